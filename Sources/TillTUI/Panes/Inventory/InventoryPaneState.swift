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
    /// The row an action was taken on: after the list reloads the selection goes back to it.
    public var follow: StockRowKey?
    /// The count's variances are on screen awaiting Enter (apply) or Esc (back to counting).
    public var confirmingCount = false
    /// The SKU counted last in this count: a bare quantity typed next sets its count.
    public var countSubject: String?
    /// The row chosen in the reorder list.
    public var reorderSelected = 0
    /// The transfer chosen in the transfers list.
    public var transferSelected = 0
    /// The purchase order chosen in the suppliers and purchase orders view.
    public var purchaseSelected = 0
    /// A delivery being scanned in against the order on screen: what was scanned or typed, in order (nil: none).
    public var delivery: [String]?
    /// Why items not on the order are kept (Ctrl-K), sent with the delivery; nil: they are refused.
    public var deliveryReason: String?
    /// The box is taking that reason rather than scans.
    public var typingDeliveryReason = false
}

/// Which stock row: a SKU at a location.
public struct StockRowKey: Equatable, Sendable {
    public var sku: String
    public var location: String

    public init(_ row: StockLevelRow) {
        sku = row.sku
        location = row.locationCode
    }

    public init(sku: String, location: String) {
        self.sku = sku
        self.location = location
    }

    public func matches(_ row: StockLevelRow) -> Bool {
        row.sku.lowercased() == sku.lowercased() && row.locationCode.lowercased() == location.lowercased()
    }
}

public struct StockHistory: Equatable, Sendable {
    public var row: StockLevelRow
    public var movements: [MovementRow]
}

/// A stock action typed for the selected row, in a box that names the row.
public enum InventoryPrompt: Equatable, Sendable {
    case adjust, transfer
    /// Receiving asks the delivery's reference first, then its lines (`again`: `--again` was typed).
    case receive
    case receiveLines(reference: String, again: Bool)

    /// The question, naming SKU, name, location and on-hand, and what to type.
    func prompt(for row: StockLevelRow, text: String) -> SubjectPrompt {
        let item = "\(row.sku) \(row.name)"
        let onHand = "\(Formatting.quantity(row.onHand, unit: row.unit)) on hand"
        switch self {
        case .adjust:
            return SubjectPrompt(title: "Adjust stock", question: "Adjust \(item) at \(row.locationCode) (\(onHand)) by: ",
                                 help: "a change and a reason, then a note if you like: -2 damaged · +1 other found in "
                                     + "the stock room (other needs a note). Reasons: "
                                     + StockOperations.adjustmentReasons.map(\.rawValue).joined(separator: ", ")
                                     + ". Enter adjusts · Esc cancels", text: text)
        case .transfer:
            return SubjectPrompt(title: "Transfer stock",
                                 question: "Transfer \(item) from \(row.locationCode) (\(onHand)) to \(row.otherLocation): ",
                                 help: "how many, e.g. 6 · Enter moves · Esc cancels", text: text)
        case .receive:
            return SubjectPrompt(title: "Receive a delivery",
                                 question: "Receive into \(row.locationCode), for \(item) (\(onHand)): delivery note or reference: ",
                                 help: "e.g. DN-1001; add --again to receive a reference a second time (the rest of a split "
                                     + "delivery) · Enter goes on to the quantities · Esc cancels", text: text)
        case let .receiveLines(reference, again):
            return SubjectPrompt(title: "Receive \(reference)\(again ? " (again)" : "")",
                                 question: "Receive \(reference) into \(row.locationCode): \(item) (\(onHand)), how many[@cost]: ",
                                 help: "e.g. 24 or 24@4.10 (cost per unit, updates the average cost); other SKUs on the same "
                                     + "note: 24 TEA-001=12@2.00 · Enter receives · Esc cancels", text: text)
        }
    }
}

extension StockLevelRow {
    /// Where a transfer from this row goes: the shop floor and the back room trade stock.
    var otherLocation: String { locationCode == Location.floorCode ? Location.backCode : Location.floorCode }
}

/// What the Inventory pane shows instead of the stock list.
public enum InventoryPanel: Equatable, Sendable {
    case reorder([ReorderRow])
    case valuation([ValuationRow])
    case count(CountSheet)
    case transfers(TransferList)
    case purchasing(PurchasingPanel)
}

/// Suppliers and the store's purchase orders (open ones, then the last closed), or one order's lines.
public struct PurchasingPanel: Equatable, Sendable {
    public var suppliers: [SupplierRow]
    public var orders: [PurchaseOrderRow]
    /// The order opened with Enter.
    public var detail: PurchaseOrderDetail?
    public var currency: Currency

    public init(suppliers: [SupplierRow], orders: [PurchaseOrderRow], detail: PurchaseOrderDetail? = nil, currency: Currency) {
        self.suppliers = suppliers
        self.orders = orders
        self.detail = detail
        self.currency = currency
    }
}

/// Open transfers with other stores, as head office has them (or why it could not say).
public struct TransferList: Equatable, Sendable {
    public var store: String
    public var transfers: [ChainTransfer]
    /// Set when HQ could not be asked.
    public var unavailable: String?

    public init(store: String, transfers: [ChainTransfer], unavailable: String? = nil) {
        self.store = store
        self.transfers = transfers
        self.unavailable = unavailable
    }

    public enum Action: Equatable, Sendable {
        case ship(String)
        case receive(String)
    }

    /// What Enter does on the transfer at `index`: ship what is still asked for (this store sends it), or
    /// receive what is in transit (this store gets it).
    func action(at index: Int) -> Action? {
        guard transfers.indices.contains(index) else { return nil }
        let transfer = transfers[index]
        if transfer.from == store && transfer.lines.contains(where: { $0.requested > $0.shipped }) { return .ship(transfer.id) }
        if transfer.to == store && transfer.lines.contains(where: { $0.inTransit.milli > 0 }) { return .receive(transfer.id) }
        return nil
    }

    func noActionReason(at index: Int) -> String {
        guard transfers.indices.contains(index) else { return unavailable ?? "no open transfers" }
        let transfer = transfers[index]
        return transfer.from == store ? "everything asked for is shipped; \(transfer.to) receives it"
            : "nothing is in transit yet: \(transfer.from) has not shipped (or its shipment has not reached HQ)"
    }
}
