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
}

public struct StockHistory: Equatable, Sendable {
    public var row: StockLevelRow
    public var movements: [MovementRow]
}
