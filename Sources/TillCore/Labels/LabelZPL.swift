/// Labels as ZPL II for Zebra label printers, one format (`^XA` … `^XZ`) per label with its quantity (`^PQ`):
/// UTF-8 text (`^CI28`) in the scalable font (`^A0N`), placed with `^FO` and wrapped or aligned in a field block
/// (`^FB`); field data escaped with `^FH` (a `^`, `~` or `_` in a name is sent as `_5E`, `_7E`, `_5F`, so it can
/// never end the field or start a command); the barcode as `^BEN` (EAN-13, 12 digits: the printer adds the check
/// digit), `^BUN` (UPC-A, 11), `^B8N` (EAN-8, 7) or `^BCN` (Code 128, subset B, `^ > ~` by their invocation codes),
/// its module width set with `^BY`.
///
/// Sizes are in dots; the defaults suit a 203 dpi printer (8 dots/mm): shelf labels 58 × 38 mm, item labels
/// 50 × 30 mm.
public enum LabelZPL {
    public struct Options: Equatable, Sendable {
        /// Label width and length in dots (`^PW`, `^LL`); nil takes the kind's default at `dpi`.
        public var width: Int?
        public var height: Int?
        /// The printer's resolution: 203, 300 or 600 dpi. Sets the default size and the bars' module width.
        public var dpi: Int

        public init(width: Int? = nil, height: Int? = nil, dpi: Int = 203) {
            self.width = width
            self.height = height
            self.dpi = dpi
        }

        public static let resolutions = [203, 300, 600]

        /// The label size in dots for a kind: the given one, else 58 × 38 mm (shelf) or 50 × 30 mm (item).
        public func size(for kind: LabelKind) -> (width: Int, height: Int) {
            let millimetres = kind == .shelf ? (58, 38) : (50, 30)
            func dots(_ mm: Int) -> Int { mm * dpi * 10 / 254 }
            return (width ?? dots(millimetres.0), height ?? dots(millimetres.1))
        }
    }

    public static func encode(_ labels: [ShelfLabel], kind: LabelKind = .shelf, copies: Int = 1,
                              options: Options = Options()) -> String {
        labels.map { encode($0, kind: kind, copies: copies, options: options) }.joined()
    }

    static func encode(_ label: ShelfLabel, kind: LabelKind, copies: Int, options: Options) -> String {
        let (width, height) = options.size(for: kind)
        let margin = max(4, height / 20)
        let inner = max(1, width - 2 * margin)
        let nameHeight = max(10, kind == .shelf ? height / 9 : height / 8)
        let priceHeight = max(10, kind == .shelf ? height / 4 : height / 5)
        let smallHeight = max(10, kind == .shelf ? height / 14 : height / 12)
        let barHeight = max(10, kind == .shelf ? height / 5 : height * 2 / 9)
        var out = "^XA\n^CI28\n^PW\(width)\n^LL\(height)\n"
        var y = margin
        func text(_ value: String, height: Int, lines: Int = 1, align: String = "L", at top: Int? = nil) {
            out += "^FO\(margin),\(top ?? y)^A0N,\(height),\(height)^FB\(inner),\(lines),0,\(align)^FH^FD\(fieldData(value))^FS\n"
            if top == nil { y += height * lines + 2 }
        }
        if kind == .shelf {
            text(label.name, height: nameHeight, lines: label.option.isEmpty ? 2 : 1)
            if !label.option.isEmpty { text(label.option, height: smallHeight) }
        } else {
            text(label.displayName, height: nameHeight)
        }
        if label.promotion != nil || label.wasText != nil {
            // The promotion on the left, the price it replaces on the right, on one small line.
            if let promotion = label.promotion { text(promotion, height: smallHeight, at: y) }
            if let was = label.wasText { text(was, height: smallHeight, align: "R", at: y) }
            y += smallHeight + 2
        }
        text(label.priceText, height: priceHeight, align: "R")
        if let unitPrice = label.unitPriceText { text(unitPrice, height: smallHeight) }
        y += 2
        if let barcode = label.barcode, let command = barcodeCommand(barcode, height: barHeight, room: inner, dpi: options.dpi) {
            out += "^FO\(margin),\(y)" + command + "\n"
        }
        if kind == .shelf {
            text(label.sku, height: smallHeight, align: "R", at: max(y, height - margin - smallHeight))
        }
        out += "^PQ\(min(max(copies, 1), 99_999_999)),0,1,Y\n^XZ\n"
        return out
    }

    /// `^BY` and the barcode field; nil when even one-dot modules would not fit `room` dots.
    static func barcodeCommand(_ barcode: LabelBarcode, height: Int, room: Int, dpi: Int) -> String? {
        let quiet = barcode.quietZone
        let total = barcode.modules.count + quiet.left + quiet.right
        // Two dots a module at 203 dpi (0.25 mm, EAN's 80 % size), more at finer resolutions; less only to fit.
        let preferred = max(1, (2 * dpi + 101) / 203)
        let module = min(preferred, min(10, room / total))
        guard module >= 1 else { return nil }
        let digits = barcode.value
        switch barcode.symbology {
        case .ean13: return "^BY\(module)^BEN,\(height),Y,N^FD\(digits.dropLast())^FS"
        case .upcA: return "^BY\(module)^BUN,\(height),Y,N,Y^FD\(digits.dropLast())^FS"
        case .ean8: return "^BY\(module)^B8N,\(height),Y,N^FD\(digits.dropLast())^FS"
        case .code128:
            var data = ">:"                                // Start Code B
            for character in digits {
                switch character {
                case "^": data += "><"
                case ">": data += ">0"
                case "~": data += ">="
                default: data.append(character)
                }
            }
            return "^BY\(module)^BCN,\(height),Y,N,N,N^FD\(data)^FS"
        }
    }

    /// Field data for a `^FH` field: `_` (the hex indicator), `^` and `~` as hex escapes; text is UTF-8 under `^CI28`.
    static func fieldData(_ text: String) -> String {
        var out = ""
        for scalar in ShelfLabel.oneLine(text).unicodeScalars {
            switch scalar {
            case "_": out += "_5F"
            case "^": out += "_5E"
            case "~": out += "_7E"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
