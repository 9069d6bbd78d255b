/// Fits a theme's colours to what the terminal has: 256, 16, 8 or none. Indexes past the terminal's range
/// become the nearest colour it does have; with none, colours drop and a background becomes reverse video so
/// a highlighted row stays visible.
public enum ColorDegrade {
    public static func fit(_ style: CellStyle, colors: Int) -> CellStyle {
        var fitted = style
        guard colors >= 8 else {
            if style.background != .terminalDefault && !style.reverse { fitted.reverse = true }
            fitted.foreground = .terminalDefault
            fitted.background = .terminalDefault
            return fitted
        }
        fitted.foreground = fit(style.foreground, colors: colors)
        fitted.background = fit(style.background, colors: colors)
        // Bright foregrounds on an 8-colour terminal read as bold.
        if colors < 16, case let .indexed(index) = style.foreground, (8...15).contains(index) { fitted.bold = true }
        return fitted
    }

    public static func fit(_ color: TerminalColor, colors: Int) -> TerminalColor {
        guard case let .indexed(index) = color, index >= colors else { return color }
        if colors <= 8 && (8...15).contains(index) { return .indexed(index - 8) }
        let target = rgb(index)
        let palette = (0..<min(colors, 16)).map { ($0, rgb($0)) }
        let nearest = palette.min { distance($0.1, target) < distance($1.1, target) }
        return .indexed(nearest?.0 ?? 7)
    }

    /// The xterm default palette.
    static func rgb(_ index: Int) -> (Int, Int, Int) {
        let basic: [(Int, Int, Int)] = [
            (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
            (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
        ]
        if index < 16 { return basic[max(0, index)] }
        if index >= 232 {
            let level = 8 + 10 * (index - 232)
            return (level, level, level)
        }
        let levels = [0, 95, 135, 175, 215, 255]
        let cube = index - 16
        return (levels[cube / 36], levels[(cube % 36) / 6], levels[cube % 6])
    }

    private static func distance(_ a: (Int, Int, Int), _ b: (Int, Int, Int)) -> Int {
        let dr = a.0 - b.0, dg = a.1 - b.1, db = a.2 - b.2
        return dr * dr + dg * dg + db * db
    }
}
