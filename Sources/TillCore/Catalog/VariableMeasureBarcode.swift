/// GS1 variable-measure labels (EAN-13 starting 20–29), as deli and scale labels print them:
///
///     2 P | I I I I I | V V V V V | C
///     prefix  item       value      check digit
///
/// The item is found by its base code — the same 13 digits with the value zeroed (and its check digit
/// recomputed), stored as one of the item's barcodes. The value is read per the store's setting:
/// `weight`: grams (sold by the kg); `price`: the label price in minor units, turned back into a weight at the
/// item's price per kg so the stock ledger stays right (charged: that weight × price, to the cent).
public enum VariableMeasureBarcode {
    public enum Mode: String, Sendable, CaseIterable {
        case off, weight, price
    }

    public struct Decoded: Equatable, Sendable {
        public var baseCode: String
        public var value: Int64
    }

    /// The base code and the embedded value, or nil when `code` is not a valid variable-measure EAN-13.
    public static func decode(_ code: String) -> Decoded? {
        guard code.count == 13, Barcode.isValid(code), let first = code.first, first == "2" else { return nil }
        let digits = Array(code)
        let body = String(digits[0..<7]) + "00000"
        guard let value = Int64(String(digits[7..<12])) else { return nil }
        return Decoded(baseCode: body + String(Barcode.checkDigit(forBody: body)), value: value)
    }

    /// A label's full code for an item's base code and a value (for tests and label printers).
    public static func encode(baseCode: String, value: Int64) -> String? {
        guard baseCode.count == 13, value >= 0, value <= 99_999 else { return nil }
        let valueText = String(value)
        let body = String(baseCode.prefix(7)) + String(repeating: "0", count: 5 - valueText.count) + valueText
        return body + String(Barcode.checkDigit(forBody: body))
    }
}

/// What a scan resolves to: the item and, for a variable-measure label, the quantity it carries; for a case
/// code, the units one scan stands for.
public struct ScanResult: Equatable, Sendable {
    public var item: CatalogItem
    public var quantity: Quantity?
    /// Units per scan: 1, or a case code's pack quantity.
    public var pack: Int64

    public init(item: CatalogItem, quantity: Quantity?, pack: Int64 = 1) {
        self.item = item
        self.quantity = quantity
        self.pack = pack
    }

    /// What one scan adds: a scale label's own weight; otherwise `typed` (a typed `3*`, default one) times the
    /// pack, so `2*` a case of 12 is 24 units.
    public func units(typed: Quantity? = nil) throws -> Quantity {
        if let quantity { return quantity }
        let count = typed ?? .one
        return Quantity(milli: try checkedMultiply(count.milli, pack, "\(count) × a case of \(pack)"))
    }
}

extension Catalog {
    /// A scanned or typed code: a barcode (a case code with its pack), a SKU, or (when the store reads them) a
    /// GS1 variable-measure label.
    public func resolveScan(_ code: String) throws -> ScanResult? {
        let trimmed = code.trimmingCharacters(in: .whitespaces)
        if let found = try resolve(code: trimmed) { return ScanResult(item: found.item, quantity: nil, pack: found.pack) }
        let mode = try store.read { db in try StoreSettings.load(db).variableMeasure }
        // The label's digits as printed; its base code is then looked up like any barcode (in GTIN-14 form).
        guard mode != .off, let decoded = VariableMeasureBarcode.decode(Barcode.cleaned(trimmed)),
              let item = try lookup(code: decoded.baseCode) else { return nil }
        switch mode {
        case .off:
            return nil
        case .weight:
            guard item.unit == .kg else {
                throw TillError.invalid("\(item.sku) is sold each, but the label \(trimmed) carries a weight")
            }
            return ScanResult(item: item, quantity: Quantity(milli: decoded.value))
        case .price:
            guard item.unit == .kg, item.price > 0 else {
                throw TillError.invalid("\(item.sku) has no price per kg to read the label \(trimmed) against")
            }
            let grams = try scaleRoundingHalfAwayFromZero(decoded.value, times: 1000, over: item.price)
            return ScanResult(item: item, quantity: Quantity(milli: grams))
        }
    }
}
