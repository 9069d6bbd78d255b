import TillCore

public struct ReportsPaneState: Equatable, Sendable {
    public var data: ReportsData?
    /// Why there is nothing to show (no permission, say).
    public var problem: String?
}

/// What the Reports pane shows: the last 30 days, today, and the open shift's drawer.
public struct ReportsData: Equatable, Sendable {
    public var month: SalesSummary
    public var today: SalesSummary
    public var shift: ShiftSummary?
}
