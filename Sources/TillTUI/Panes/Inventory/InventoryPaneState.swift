import TillCore

public enum LocationFilter: Equatable, Sendable, CaseIterable {
    case all, floor, back

    public var code: String? {
        switch self {
        case .all: return nil
        case .floor: return Location.floorCode
        case .back: return Location.backCode
        }
    }

    public var label: String {
        switch self {
        case .all: return "All locations"
        case .floor: return "Shop floor"
        case .back: return "Back room"
        }
    }
}

public struct InventoryPaneState: Equatable, Sendable {
    public var search = ""
    public var searchFocused = false
    public var location = LocationFilter.all
    public var lowOnly = false
    public var list = ListWindow<StockLevelRow>()
    public var history: StockHistory?
    public var prompt: InventoryPrompt?
    public var input = ""
    public var panel: InventoryPanel?
}

public struct StockHistory: Equatable, Sendable {
    public var row: StockLevelRow
    public var movements: [MovementRow]
}

/// A stock action typed on the Inventory pane's input line, for the selected row.
public enum InventoryPrompt: Equatable, Sendable {
    case adjust, transfer, receive, count

    public var label: String {
        switch self {
        case .adjust: return "Adjust: QTY REASON [note] (e.g. -2 damaged) ▸ "
        case .transfer: return "Move how many to the other location ▸ "
        case .receive: return "Receive: REF QTY[@COST] or REF SKU=QTY[@COST]… [--again] ▸ "
        case .count: return "Counted: QTY, or SKU QTY ▸ "
        }
    }
}

/// What the Inventory pane shows instead of the stock list.
public enum InventoryPanel: Equatable, Sendable {
    case reorder([ReorderRow])
    case valuation([ValuationRow])
    case count(id: Int64, location: String, variances: [CountVariance])
}
