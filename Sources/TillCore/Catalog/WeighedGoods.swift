/// Items sold by weight (unit kg): every sale of one carries a weight that was actually read — from a scale
/// label, or typed/weighed at the till. Nothing defaults to "1 kg".
extension CatalogItem {
    public var isWeighed: Bool { unit == .kg }

    /// The quantity a sale line takes: the one given, else one piece. A weighed item without a weight is refused
    /// (the hint is `till sell`'s `CODE*QTY` form; the TUI asks for the weight before it gets here).
    public func saleQuantity(_ given: Quantity?) throws -> Quantity {
        if let given { return given }
        guard !isWeighed else { throw TillError.invalid("weighed item \(sku) needs a weight: \(sku)*0.450") }
        return .one
    }

    /// Whether another of this item joins its undiscounted line. Pieces do (3 × coffee); each weighing — each
    /// scale label — stays its own line with its own weight and price, as the customer's packages are.
    var joinsLine: Bool { !isWeighed }
}

extension ScanResult {
    /// A weighed item found by its own barcode, SKU or name: the till must ask for the weight. (A scale label
    /// carries it.)
    public var needsWeight: Bool { item.isWeighed && quantity == nil }
}
