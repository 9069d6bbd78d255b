/// Screen geometry shared by views and reducers, so paging moves exactly one screen of rows.
public enum Layout {
    /// From this width the Register shows the cart and a catalog finder side by side.
    public static let sideBySideWidth = 120

    /// Rows a list pane shows: the screen less the tab bar, status bar, box borders, search line and header.
    public static func listRows(_ size: ScreenSize) -> Int { max(1, size.height - 6) }
}
