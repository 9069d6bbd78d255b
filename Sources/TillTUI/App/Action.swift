import TillCore

/// Everything that can happen to the app: a key, a resize, or the answer to an effect.
public enum Action: Equatable, Sendable {
    case key(Key)
    case resized(ScreenSize)
    /// The app has just started: load what the first screen needs.
    case started
    case catalogLoaded([CatalogItem], ListLoad)
    case categoriesLoaded([String])
    case productDetailLoaded(ProductDetail)
    case stockLoaded([StockLevelRow], ListLoad)
    case stockHistoryLoaded(StockHistory)
    case ordersLoaded([OrderSummary], ListLoad)
    case orderDetailLoaded(OrderDetail)
    case codeLookedUp(code: String, item: CatalogItem?)
    case suggestionsLoaded(query: String, items: [CatalogItem])
    case failed(String)
}

/// Work a reducer asks for; the effect runner does it against TillCore and answers with an `Action`.
public enum Effect: Equatable, Sendable {
    case loadCatalog(text: String, category: String?, ListLoad)
    case loadCategories
    case loadProductDetail(variantID: Int64)
    case loadStock(text: String, location: String?, lowOnly: Bool, ListLoad)
    case loadStockHistory(StockLevelRow)
    case loadOrders(text: String, ListLoad)
    case loadOrderDetail(id: Int64)
    /// `scan` numbers each Enter, so scanning the same code twice in a burst looks it up twice.
    case lookupCode(String, scan: Int)
    case loadSuggestions(String)

    /// Effects in the same slot replace each other: only the newest search of a burst of keys runs.
    public var slot: String {
        switch self {
        case .loadCatalog: return "catalog"
        case .loadCategories: return "categories"
        case .loadProductDetail: return "product"
        case .loadStock: return "stock"
        case .loadStockHistory: return "history"
        case .loadOrders: return "orders"
        case .loadOrderDetail: return "order"
        case let .lookupCode(_, scan): return "lookup:\(scan)"
        case .loadSuggestions: return "suggestions"
        }
    }
}
