import TillCore

/// Does the work reducers ask for, against TillCore, and answers with an action. The only part of the app that
/// touches the store.
public struct EffectRunner: Sendable {
    let catalog: Catalog
    let inventory: Inventory
    let orders: Orders

    public init(store: StoreDatabase) {
        catalog = Catalog(store: store)
        inventory = Inventory(store: store)
        orders = Orders(store: store)
    }

    public func run(_ effect: Effect) -> Action {
        do {
            switch effect {
            case let .loadCatalog(text, category, load):
                return .catalogLoaded(try catalog.search(text, category: category, limit: load.limit, offset: load.offset), load)
            case .loadCategories:
                return .categoriesLoaded(try catalog.categories().map(\.name))
            case let .loadProductDetail(variantID):
                return .productDetailLoaded(try catalog.detail(variantID: variantID, movementLimit: 30))
            case let .loadStock(text, location, lowOnly, load):
                return .stockLoaded(try inventory.levels(location: location, lowOnly: lowOnly, search: text,
                                                         limit: load.limit, offset: load.offset), load)
            case let .loadStockHistory(row):
                return .stockHistoryLoaded(StockHistory(row: row, movements: try inventory.movements(variantID: row.variantID, limit: 100)))
            case let .loadOrders(text, load):
                return .ordersLoaded(try orders.search(OrderQuery(searchText: text), limit: load.limit, offset: load.offset), load)
            case let .loadOrderDetail(id):
                return .orderDetailLoaded(try orders.detail(id: id))
            case let .lookupCode(code, _):
                return .codeLookedUp(code: code, item: try catalog.lookup(code: code))
            case let .loadSuggestions(text):
                return .suggestionsLoaded(query: text, items: try catalog.search(text, includeInactive: false, limit: 20))
            }
        } catch {
            return .failed("\(error)")
        }
    }
}
