import TillCore

/// The HQ app (`till hq` with no subcommand): support and stock across the chain, read from head office's
/// PostgreSQL. It changes nothing: orders are looked at here and refunded at a store.
public struct HQAppState: Equatable, Sendable {
    public enum Pane: String, CaseIterable, Sendable {
        case orders, stock

        var title: String {
            switch self {
            case .orders: return "Orders"
            case .stock: return "Stock across stores"
            }
        }
    }

    public var size: ScreenSize
    /// Where the app reads from (the URL with its password hidden).
    public var place: String
    public var currency: Currency?
    /// Whether the chain lets a customer return anywhere (the order view says where a refund is done).
    public var returnsAnywhere = false
    public var pane: Pane = .orders
    public var orders = HQOrdersPane()
    public var stock = HQStockPane()
    /// The status bar's line; `isError` colours it.
    public var message: HQMessage?
    public var showingHelp = false
    public var shouldQuit = false

    public init(size: ScreenSize, place: String) {
        self.size = size
        self.place = place
    }
}

public struct HQMessage: Equatable, Sendable {
    public var text: String
    public var isError: Bool

    public static func info(_ text: String) -> HQMessage { HQMessage(text: text, isError: false) }
    public static func error(_ text: String) -> HQMessage { HQMessage(text: text, isError: true) }
}

/// The Orders pane: the search as typed, what HQ found, and the order open over it.
public struct HQOrdersPane: Equatable, Sendable {
    public var search = ""
    /// Why the search as typed cannot run (`card:12`), shown in place of the rows.
    public var problem: String?
    public var rows: [HQOrder] = []
    public var selected = 0
    public var top = 0
    /// Waiting for HQ's answer to the search numbered `generation`; older answers are dropped.
    public var loading = false
    public var generation = 0
    /// HQ could not be reached for the last search: the rows are the last ones it gave.
    public var unreachable: String?
    public var detail: HQOrder?
    public var loadingDetail: String?

    public var selectedRow: HQOrder? { rows.indices.contains(selected) ? rows[selected] : nil }
}

/// The stock pane: a SKU or name typed, the products that match, and the selected one's stock in every store.
public struct HQStockPane: Equatable, Sendable {
    public var search = ""
    public var matches: [HQProductMatch] = []
    public var selected = 0
    public var top = 0
    public var generation = 0
    public var loading = false
    public var problem: String?
    /// The SKU whose levels are shown, and the levels.
    public var levelsFor: String?
    public var levels: [HQStockRow] = []
    public var levelsGeneration = 0

    public var selectedMatch: HQProductMatch? { matches.indices.contains(selected) ? matches[selected] : nil }
}

public struct HQProductMatch: Equatable, Sendable {
    public var sku: String
    public var name: String

    public init(sku: String, name: String) {
        self.sku = sku
        self.name = name
    }
}
