import TillCore

public struct CartLine: Equatable, Sendable {
    public var item: CatalogItem
    public var quantity: Quantity
}

public struct RegisterState: Equatable, Sendable {
    public var lines: [CartLine] = []
    public var selected = 0
    /// What the scanner or the cashier typed since the last Enter.
    public var input = ""
    public var pricing: PricedSale?
    /// Search-as-you-type results for letters typed into the input.
    public var suggestions: [CatalogItem] = []
    public var suggestionsFor = ""
    public var scans = 0
    /// The text last submitted with Enter, awaiting its lookup.
    public var submitted = ""

    public var isSaleInProgress: Bool { !lines.isEmpty }
}
