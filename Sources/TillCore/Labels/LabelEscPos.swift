/// A shelf-edge label (name, price, unit price, barcode, SKU) or a smaller item label (name, price, barcode), one
/// after another.
public enum LabelKind: String, Sendable, CaseIterable {
    case shelf, item
}

/// The printer language labels are sent in.
public enum LabelFormat: String, Sendable, CaseIterable {
    /// Receipt-style printers (Epson TM and compatibles; label printers that speak ESC/POS).
    case escpos
    /// Zebra label printers (ZPL II).
    case zpl
}

/// Labels as ESC/POS for receipt-style printers: code page 858 text (`ESC t 19`), centred (`ESC a 1`), the price
/// double size (`GS !`), the barcode by the printer's own `GS k` (function B: `GS k m n d1…dn`, after `GS h` height,
/// `GS w` module width and `GS H` for the digits under the bars) — or, for printers without `GS k`, the bars drawn
/// here as a raster image (`GS v 0`) with the digits printed under it — and a partial cut (`GS V 66 0`) after each
/// label.
public enum LabelEscPos {
    public struct Options: Equatable, Sendable {
        /// Paper width in font A columns: 32 (58 mm), 42 or 48 (80 mm).
        public var columns: Int
        /// Draw the bars as a raster image instead of `GS k`.
        public var raster: Bool
        /// Bar height in dots (`GS h`, 1–255).
        public var barHeight: Int

        public init(columns: Int = 42, raster: Bool = false, barHeight: Int = 64) {
            self.columns = columns
            self.raster = raster
            self.barHeight = barHeight
        }

        public static let widths = [32, 42, 48]

        /// Dots across the paper: font A is 12 dots a column.
        public var dots: Int { columns * 12 }
    }

    static let esc: UInt8 = 0x1B
    static let gs: UInt8 = 0x1D
    static let lineFeed: UInt8 = 0x0A

    /// Every label `copies` times, each ending in a cut.
    public static func encode(_ labels: [ShelfLabel], kind: LabelKind = .shelf, copies: Int = 1,
                              options: Options = Options()) -> [UInt8] {
        var bytes: [UInt8] = [esc, 0x40, esc, 0x74, 19]   // ESC @ initialise, ESC t 19 code page 858
        for label in labels {
            let one = encode(label, kind: kind, options: options)
            for _ in 0..<max(1, copies) { bytes += one }
        }
        return bytes
    }

    static func encode(_ label: ShelfLabel, kind: LabelKind, options: Options) -> [UInt8] {
        let width = options.columns
        var bytes: [UInt8] = [esc, 0x61, 1]               // ESC a 1: centre
        func line(_ text: String, columns: Int = width) {
            bytes += CodePage858.encode(fit(ShelfLabel.oneLine(text), columns))
            bytes.append(lineFeed)
        }
        bytes += [esc, 0x45, 1]                           // ESC E 1: bold
        let nameLines = kind == .shelf ? wrap(ShelfLabel.oneLine(label.name), width, lines: 2) : [label.displayName]
        for text in nameLines { line(text) }
        bytes += [esc, 0x45, 0]
        if kind == .shelf && !label.option.isEmpty { line(label.option) }
        if let promotion = label.promotion { line("* " + promotion + " *") }
        bytes += [gs, 0x21, 0x11]                         // GS ! 0x11: double width and height
        line(label.priceText, columns: width / 2)
        bytes += [gs, 0x21, 0x00]
        if let was = label.wasText { line(was) }
        if let unitPrice = label.unitPriceText { line(unitPrice) }
        if let barcode = label.barcode { bytes += self.barcode(barcode, options: options) }
        if kind == .shelf { line(label.sku) }
        bytes += [esc, 0x64, 3]                           // ESC d 3: feed three lines
        bytes += [gs, 0x56, 66, 0]                        // GS V 66 0: feed to the cutter and cut partially
        return bytes
    }

    /// The barcode, as `GS k` or as a raster image; nothing when it would not fit the paper.
    static func barcode(_ barcode: LabelBarcode, options: Options) -> [UInt8] {
        let modules = barcode.modules
        let quiet = barcode.quietZone
        let total = modules.count + quiet.left + quiet.right
        // The module as wide as the paper allows, 2 to 3 dots (GS w takes 2–6; more is no easier to scan).
        let moduleDots = min(3, options.dots / total)
        guard moduleDots >= 2 else { return [] }
        let height = UInt8(min(max(options.barHeight, 1), 255))
        if options.raster {
            return raster(modules, quietZone: quiet, moduleDots: moduleDots, height: Int(height))
                + CodePage858.encode(barcode.value) + [lineFeed]
        }
        var bytes: [UInt8] = [gs, 0x68, height,           // GS h: bar height in dots
                              gs, 0x77, UInt8(moduleDots), // GS w: module width
                              gs, 0x48, 2,                 // GS H 2: the digits below the bars
                              gs, 0x66, 0]                 // GS f 0: in font A
        let data: [UInt8]
        let m: UInt8
        switch barcode.symbology {
        case .ean13: m = 67; data = Array(barcode.value.utf8)
        case .ean8: m = 68; data = Array(barcode.value.utf8)
        case .upcA: m = 65; data = Array(barcode.value.utf8)
        case .code128:
            // Code set B from the start ({B); a brace in the data is sent twice.
            m = 73
            data = Array("{B".utf8) + barcode.value.utf8.flatMap { $0 == 0x7B ? [0x7B, 0x7B] : [$0] }
        }
        guard data.count <= 255 else { return [] }
        bytes += [gs, 0x6B, m, UInt8(data.count)] + data   // GS k m n d1…dn (function B)
        bytes.append(lineFeed)
        return bytes
    }

    /// GS v 0 m xL xH yL yH d1…dk: the bars, `moduleDots` dots a module with the quiet zones white, `height` rows; a
    /// byte per 8 dots across, most significant bit leftmost, 1 printing black.
    static func raster(_ modules: [Bool], quietZone: (left: Int, right: Int), moduleDots: Int, height: Int) -> [UInt8] {
        let widthDots = (modules.count + quietZone.left + quietZone.right) * moduleDots
        let bytesPerRow = (widthDots + 7) / 8
        var row = [UInt8](repeating: 0, count: bytesPerRow)
        for (index, dark) in modules.enumerated() where dark {
            let start = (quietZone.left + index) * moduleDots
            for dot in start..<(start + moduleDots) { row[dot >> 3] |= 0x80 >> UInt8(dot & 7) }
        }
        var bytes: [UInt8] = [gs, 0x76, 0x30, 0,
                              UInt8(bytesPerRow & 0xFF), UInt8(bytesPerRow >> 8),
                              UInt8(height & 0xFF), UInt8(height >> 8)]
        for _ in 0..<height { bytes += row }
        return bytes
    }

    /// One line of `columns`: as it is when it fits, else cut with an ellipsis that still fits once printed as
    /// "..." (code page 858 has no …).
    static func fit(_ text: String, _ columns: Int) -> String {
        DisplayWidth.of(text) <= columns ? text : text.clipped(toWidth: max(1, columns - 2))
    }

    /// Up to `lines` lines of `columns`, broken between words; the last one cut with an ellipsis if need be.
    static func wrap(_ text: String, _ columns: Int, lines: Int) -> [String] {
        var result: [String] = []
        var current = ""
        var words = text.split(separator: " ").map(String.init)[...]
        while let word = words.first {
            let candidate = current.isEmpty ? word : current + " " + word
            if DisplayWidth.of(candidate) <= columns {
                current = candidate
                words = words.dropFirst()
                continue
            }
            if result.count == lines - 1 { break }            // the last line takes the rest, cut to fit
            if current.isEmpty {
                // A word longer than a line: as much as fits, the rest on the next line.
                let head = word.clipped(toWidth: columns, ellipsis: false)
                result.append(head)
                words = ([String(word.dropFirst(head.count))] + words.dropFirst())[...]
            } else {
                result.append(current)
                current = ""
            }
        }
        if words.isEmpty { return current.isEmpty ? result : result + [current] }
        return result + [fit(([current] + words).filter { !$0.isEmpty }.joined(separator: " "), columns)]
    }
}
