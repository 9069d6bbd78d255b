import TillCore

public struct CatalogPaneState: Equatable, Sendable {
    public var search = ""
    public var searchFocused = false
    public var categories: [String] = []
    /// Index into `categories`, or nil for all.
    public var category: Int?
    public var list = ListWindow<CatalogItem>()
    public var detail: ProductDetail?
    public var form: ProductForm?
    /// Bulk price change: what was typed, then the preview awaiting Enter.
    public var priceChangeInput: String?
    /// Renaming the category the list is filtered to (Ctrl-G).
    public var categoryRenameInput: String?
    public var pricePreview: PricePreview?
    /// The first preview row on screen (the preview scrolls; it is never cut at the screen's height).
    public var previewTop = 0
    /// Archiving (or bringing back) the selected product, awaiting Enter.
    public var archiveConfirm: CatalogItem?
    /// The product acted on (by SKU): after the list reloads the selection goes back to it.
    public var follow: String?

    /// A question is open over the list (its keys are Enter and Esc).
    public var isAsking: Bool {
        priceChangeInput != nil || categoryRenameInput != nil || pricePreview != nil || archiveConfirm != nil
    }

    public var categoryName: String? { category.flatMap { categories.indices.contains($0) ? categories[$0] : nil } }
}

/// The add / edit product form over the Catalog list.
public struct ProductForm: Equatable, Sendable {
    /// nil: a new product; else the SKU being edited.
    public var editing: String?
    public var text: ProductDraftText
    public var focused = 0
    /// Problems from the last save attempt, shown next to their fields.
    public var issues: [FieldIssue] = []
    public var active = true

    public var focusedKey: String { ProductDraftText.fields[focused].key }
    var focusedLabel: String { ProductDraftText.fields[focused].label }
    /// The fields a scanner may type a code into (see `ScanBoxGuard`).
    var focusedTakesBarcodes: Bool { ["barcodes", "case_barcodes"].contains(focusedKey) }
}

public struct PricePreview: Equatable, Sendable {
    public var category: String?
    public var skus: [String]
    public var change: BulkPriceChange
    public var rows: [PriceChangeRow]
}
