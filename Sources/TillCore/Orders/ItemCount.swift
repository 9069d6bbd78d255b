import GRDB

/// How much was sold, pieces and weight kept apart — "12 items, 3.450 kg" — because 0.450 kg of lemons is
/// not 0.45 of an item, and a kilo of them is not one item either. Which is which follows the item's unit
/// (sold by kg or each), never whether a quantity happens to be whole.
public struct ItemCount: Equatable, Sendable, CustomStringConvertible {
    /// Items sold each (whole in a sale; an average per sale may have decimals).
    public var pieces: Quantity
    /// Items sold by weight, in kg.
    public var weight: Quantity

    public init(pieces: Quantity, weight: Quantity) {
        self.pieces = pieces
        self.weight = weight
    }

    public static let zero = ItemCount(pieces: .zero, weight: .zero)

    /// Lines' quantities, each either weighed (kg) or pieces.
    public init(_ lines: [(quantity: Quantity, weighed: Bool)]) {
        self.init(pieces: Quantity(milli: lines.filter { !$0.weighed }.reduce(0) { $0 + $1.quantity.milli }),
                  weight: Quantity(milli: lines.filter(\.weighed).reduce(0) { $0 + $1.quantity.milli }))
    }

    /// `12 items, 3.450 kg`; `1 item`; `3.450 kg` when only weighed goods were sold; `0 items` for nothing.
    public var description: String {
        let items = "\(pieces) item\(pieces == .one ? "" : "s")"
        guard weight != .zero else { return items }
        let kg = "\(weight.kilograms) kg"
        return pieces == .zero ? kg : "\(items), \(kg)"
    }

    /// The average per sale (each part divided by `sales`, to the thousandth, rounded down).
    public func perSale(_ sales: Int) -> ItemCount {
        guard sales > 0 else { return .zero }
        return ItemCount(pieces: Quantity(milli: pieces.milli / Int64(sales)), weight: Quantity(milli: weight.milli / Int64(sales)))
    }

    /// The SQL that sums order lines `l` into `pieces` and `weight` columns; join `itemUnitJoin` for `p.unit`.
    static let sumsSQL = """
        COALESCE(SUM(CASE WHEN p.unit = 'kg' THEN 0 ELSE l.quantity_milli END), 0) AS pieces,
        COALESCE(SUM(CASE WHEN p.unit = 'kg' THEN l.quantity_milli ELSE 0 END), 0) AS weight
        """
    static let itemUnitJoin = "JOIN variant v ON v.id = l.variant_id JOIN product p ON p.id = v.product_id"

    init(row: Row?) {
        self.init(pieces: Quantity(milli: row?["pieces"] ?? 0), weight: Quantity(milli: row?["weight"] ?? 0))
    }
}

extension Quantity {
    /// A weight as scales print it: always three decimals (`0.450`, `3.000`), without the unit.
    public var kilograms: String {
        let magnitude = milli.magnitude
        let fraction = String(magnitude % UInt64(Quantity.scale))
        return (milli < 0 ? "-" : "") + "\(magnitude / UInt64(Quantity.scale))."
            + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
