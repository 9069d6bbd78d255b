/// A frame's styles as text, one letter per cell for the roles that carry meaning, so a golden can check that
/// the selected row is highlighted, an error looks like one and negative stock stands out — as ratatui's
/// TestBackend asserts a buffer with its styles, not only its text.
public enum StyleLayer {
    /// The roles a golden checks, and their letters; every other cell is ".".
    public static let letters: [(ThemeRole, Character)] = [
        (.rowSelected, "s"), (.error, "e"), (.stockNegative, "n"), (.stockLow, "l"), (.total, "t"), (.money, "m"),
        (.keyDisabled, "d"), (.key, "k"),
    ]

    public static let legend = "s selected · e error · n negative stock · l low stock · t total · m money · d disabled key · k key"

    /// One line per row, trailing dots removed. A style two roles share in `theme` reads as the first listed.
    public static func render(_ grid: CellGrid, theme: Theme) -> String {
        var byStyle: [CellStyle: Character] = [:]
        for (role, letter) in letters.reversed() { byStyle[theme[role]] = letter }
        // A role the theme leaves to the plain text style means nothing on screen: it must not mark every cell.
        byStyle[theme[.text]] = nil
        var lines: [String] = []
        for y in 0..<grid.height {
            var line = ""
            for x in 0..<grid.width {
                let cell = grid[x, y]
                line.append(byStyle[cell.style] ?? ".")
            }
            while line.hasSuffix(".") { line.removeLast() }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
