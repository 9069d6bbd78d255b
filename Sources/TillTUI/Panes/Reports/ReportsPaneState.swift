import TillCore

public struct ReportsPaneState: Equatable, Sendable {
    public var data: ReportsData?
    /// Why there is nothing to show (no permission, say).
    public var problem: String?
    /// A drawer action being typed.
    public var prompt: DrawerPrompt?
    public var input = ""
    /// A report shown over the charts (X report, Z report, shift report) until Esc.
    public var panel: [String]?
    /// The panel's first line shown (PgUp/PgDn scroll a report longer than the screen).
    public var panelTop = 0
}

public enum DrawerPrompt: Equatable, Sendable {
    case openShift, closeShift, noSale
    /// The amount of a pay-in or pay-out; then `cashReason` asks why.
    case payIn, payOut
    case cashReason(CashMovementKind, amount: Int64)
    /// Closing the business day is for good: asked once more, naming the day.
    case confirmZ(day: String)

    /// Whether the answer is a reason (free text) rather than an amount or a count.
    var asksReason: Bool {
        switch self {
        case .noSale, .cashReason: return true
        default: return false
        }
    }

    /// What the prompt asks, with amounts in the store's money.
    func label(money: (Int64) -> String) -> String {
        switch self {
        case .openShift: return "Float counted into the drawer: "
        case .closeShift: return "Drawer counted (e.g. 50x2,20x3,0.50x4): "
        case .noSale: return "Why open the drawer (no sale)? "
        case .payIn: return "Pay in: amount put into the drawer: "
        case .payOut: return "Pay out: amount taken from the drawer: "
        case let .cashReason(kind, amount):
            return "\(kind == .payIn ? "Pay in" : "Pay out") \(money(amount)), why (e.g. \(kind == .payIn ? "float top-up" : "window cleaning"))? "
        case let .confirmZ(day): return "Z: close business day \(day)? "
        }
    }

    /// Fixed text after the label, for a question answered by Enter or Esc.
    var question: String? {
        if case .confirmZ = self { return "Enter closes it for good · Esc: no" }
        return nil
    }
}

/// What the Reports pane shows: the last 30 days, today, and the open shift's drawer.
public struct ReportsData: Equatable, Sendable {
    public var month: SalesSummary
    public var today: SalesSummary
    public var shift: ShiftSummary?
    /// The business day open now (what a Z would close), `YYYY-MM-DD`.
    public var businessDay: String?

    public init(month: SalesSummary, today: SalesSummary, shift: ShiftSummary?, businessDay: String? = nil) {
        self.month = month
        self.today = today
        self.shift = shift
        self.businessDay = businessDay
    }
}
