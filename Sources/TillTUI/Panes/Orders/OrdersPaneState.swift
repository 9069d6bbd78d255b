import TillCore

public struct OrdersPaneState: Equatable, Sendable {
    public var search = ""
    public var searchFocused = false
    /// Why the search as typed cannot run (`card:12`), shown in place of the rows.
    public var searchProblem: String?
    public var list = ListWindow<OrderSummary>()
    public var detail: OrderDetail?
    /// The selected line of the open order (0-based), for refunds.
    public var selectedLine = 0
    public var prompt: OrdersPrompt?
    /// Inside an order: its lines and money, or its timeline and notes (`t`), which at 80 columns have no room
    /// beside the lines.
    public var showingTimeline = false
    /// The first timeline row shown (↑↓ PgUp PgDn scroll it).
    public var timelineTop = 0
    /// Inside an order: its receipt's signed QR code (`q`), drawn large enough to scan from the screen.
    public var showingCode = false
}

/// A support action being typed on the open order.
public enum OrdersPrompt: Equatable, Sendable {
    case refund(RefundForm)
    case note(String)
    case confirmVoid
    /// The signed-in member may not void: a manager types their name and PIN in the approval box.
    case approveVoid(VoidApproval)
}

/// The manager's name and PIN for a void, typed as in the Register's discount approval.
public struct VoidApproval: Equatable, Sendable {
    public var reason: String
    public var username = ""
    public var pin = ""
    public var onPIN = false
    /// Sent: waiting for the answer (a wrong PIN brings the box back with the message).
    public var checking = false

    public init(reason: String) { self.reason = reason }
}

/// The refund being set up: which line (nil: everything left), how many, restock or not, where the money goes.
public struct RefundForm: Equatable, Sendable {
    public var line: Int?
    public var quantity: String
    public var restock = true
    public var toStoreCredit = false

    public init(line: Int?, quantity: String) {
        self.line = line
        self.quantity = quantity
    }
}
