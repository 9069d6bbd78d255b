import TillCore

public struct CatalogPaneState: Equatable, Sendable {
    public var search = ""
    public var searchFocused = false
    public var categories: [String] = []
    /// Index into `categories`, or nil for all.
    public var category: Int?
    public var list = ListWindow<CatalogItem>()
    public var detail: ProductDetail?

    public var categoryName: String? { category.flatMap { categories.indices.contains($0) ? categories[$0] : nil } }
}
