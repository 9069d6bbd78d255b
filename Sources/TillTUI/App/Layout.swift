/// Screen geometry shared by views and reducers, so paging moves exactly one screen of rows.
public enum Layout {
    /// From this width the Register shows the cart and a catalog finder side by side.
    public static let sideBySideWidth = 120
    /// From this width the receipt of the sale just completed stays beside the next sale's cart.
    public static let receiptBesideWidth = 100

    /// Rows a list pane shows: the screen less the tab bar, status bar, box borders, search line and header.
    public static func listRows(_ size: ScreenSize) -> Int { max(1, size.height - 6) }
}
