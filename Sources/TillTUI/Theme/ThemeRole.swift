/// What a piece of the screen IS, so themes colour meanings rather than widgets.
public enum ThemeRole: String, CaseIterable, Sendable {
    case text
    case muted
    case title
    case border
    case borderActive = "border.active"
    case tabActive = "tab.active"
    case tabInactive = "tab.inactive"
    case rowSelected = "row.selected"
    case header
    case money
    case total
    case stockLow = "stock.low"
    case stockNegative = "stock.negative"
    case error
    case info
    case statusBar = "status.bar"
    case input
    case inputLabel = "input.label"
    case overlay
    case key
    /// A key that cannot act now (greyed in help and the status bar).
    case keyDisabled = "key.disabled"
}
