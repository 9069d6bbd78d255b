import TillCore

public struct ReportsPaneState: Equatable, Sendable {
    public var data: ReportsData?
    /// Why there is nothing to show (no permission, say).
    public var problem: String?
    /// A drawer action being typed.
    public var prompt: DrawerPrompt?
    public var input = ""
    /// A report shown over the charts (X report, shift report) until Esc.
    public var panel: [String]?
}

public enum DrawerPrompt: Equatable, Sendable {
    case openShift, closeShift, noSale

    var label: String {
        switch self {
        case .openShift: return "Float counted into the drawer: "
        case .closeShift: return "Drawer counted (e.g. 50x2,20x3,0.50x4): "
        case .noSale: return "Why open the drawer (no sale)? "
        }
    }
}

/// What the Reports pane shows: the last 30 days, today, and the open shift's drawer.
public struct ReportsData: Equatable, Sendable {
    public var month: SalesSummary
    public var today: SalesSummary
    public var shift: ShiftSummary?
}
