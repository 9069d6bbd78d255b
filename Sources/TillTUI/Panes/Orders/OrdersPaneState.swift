import TillCore

public struct OrdersPaneState: Equatable, Sendable {
    public var search = ""
    public var searchFocused = false
    public var list = ListWindow<OrderSummary>()
    public var detail: OrderDetail?
    /// The selected line of the open order (0-based), for refunds.
    public var selectedLine = 0
    public var prompt: OrdersPrompt?
}

/// A support action being typed on the open order.
public enum OrdersPrompt: Equatable, Sendable {
    case refund(RefundForm)
    case note(String)
    case confirmVoid
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
