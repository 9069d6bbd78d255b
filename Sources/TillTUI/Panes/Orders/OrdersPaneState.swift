import TillCore

public struct OrdersPaneState: Equatable, Sendable {
    public var search = ""
    public var searchFocused = false
    public var list = ListWindow<OrderSummary>()
    public var detail: OrderDetail?
}
