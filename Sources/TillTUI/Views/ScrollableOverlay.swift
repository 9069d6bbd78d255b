import TillCore

/// One line of a box: pieces of text, each drawn in its own role.
public struct OverlayLine: Equatable, Sendable {
    public struct Piece: Equatable, Sendable {
        public var text: String
        public var role: ThemeRole
        /// Columns from the line's start; nil: right after the previous piece.
        public var column: Int?
    }

    public var pieces: [Piece]

    public init(_ text: String = "", role: ThemeRole = .overlay) { pieces = [Piece(text: text, role: role, column: nil)] }

    public init(pieces: [Piece]) { self.pieces = pieces }

    public var text: String { pieces.map(\.text).joined() }
}

/// What a scrollable box shows: a title, its lines, how wide it wants to be and where it sits.
public struct OverlayPage: Equatable, Sendable {
    public enum Placement: Equatable, Sendable { case centered, right }

    public var title: String
    public var lines: [OverlayLine]
    /// The box's width including its border (shrunk to the screen).
    public var width: Int
    public var placement: Placement = .centered
}

/// The one box every overlay that can be taller than the screen uses (help, the X and Z reports, the price
/// preview, the reorder list, valuation, a SKU's movements): it shows what fits, scrolls with PgUp/PgDn, and says
/// "more ↓" / "↑ more" in its border instead of cutting at the screen's height.
public enum ScrollableOverlay {
    /// The box in force for this state, or nil when none is open.
    public static func page(for state: AppState) -> OverlayPage? {
        switch KeyBindings.active(state).id {
        case .help: return HelpOverlay.page(state)
        case .reportPanel:
            guard let lines = state.reports.panel else { return nil }
            // As wide as the longest line where the screen allows; a line still too long wraps between words
            // (its column alignment is lost, never a word).
            let width = min(state.size.width - 4, max(54, (lines.map { DisplayWidth.of($0) }.max() ?? 0) + 4))
            let room = width - 4
            let fitted = lines.flatMap { DisplayWidth.of($0) <= room ? [$0] : WordWrap.lines($0, width: room) }
            return OverlayPage(title: "Report — Esc closes", lines: fitted.map { OverlayLine($0) }, width: width, placement: .right)
        default: return nil
        }
    }

    /// The rows the box in force has and how many fit on this screen: what scrolling may not go past. Boxes of
    /// lines (help, reports) and boxes of tables (previews, stock lists) alike.
    public static func extent(_ state: AppState) -> (rows: Int, visible: Int)? {
        // The pane area `AppView` gives the pane views.
        let body = Rect(x: 0, y: 1, width: state.size.width, height: state.size.height - 2)
        switch KeyBindings.active(state).id {
        case .help, .reportPanel:
            guard let page = page(for: state) else { return nil }
            return (page.lines.count, frame(page, size: state.size).inner.height)
        default:
            return nil
        }
    }

    /// The rows of lines the box shows at once on this screen.
    public static func visibleRows(_ state: AppState) -> Int { max(0, extent(state)?.visible ?? 0) }

    /// The furthest the box can scroll: its last row at the bottom.
    public static func maxOffset(_ state: AppState) -> Int {
        guard let extent = extent(state) else { return 0 }
        return max(0, extent.rows - max(0, extent.visible))
    }

    /// The rows of a table box to draw from the scroll position.
    static func window<Row>(_ rows: [Row], visible: Int, state: AppState) -> ArraySlice<Row> {
        let visible = max(0, visible)
        let offset = min(state.overlayScroll, max(0, rows.count - visible))
        return rows.dropFirst(offset).prefix(visible)
    }

    /// "↑ more (PgUp)" in the top border and "more ↓ (PgDn)" in the bottom one, where rows are hidden.
    /// `pageKeys` false: the box follows a selection (↑/↓), so the labels name no key.
    static func drawIndicators(_ grid: inout CellGrid, box: Rect, rows: Int, visible: Int, offset: Int, theme: Theme,
                               pageKeys: Bool = true) {
        let offset = min(offset, max(0, rows - visible))
        if offset > 0 {
            let label = pageKeys ? " ↑ more (PgUp) " : " ↑ more "
            grid.put(label, x: box.x + box.width - DisplayWidth.of(label) - 2, y: box.y, style: theme[.key])
        }
        if offset + visible < rows {
            let label = pageKeys ? " more ↓ (PgDn) " : " more ↓ "
            grid.put(label, x: box.x + box.width - DisplayWidth.of(label) - 2, y: box.y + box.height - 1, style: theme[.key])
        }
    }

    /// Below the tab bar and above the status bar, as tall as its lines need.
    static func frame(_ page: OverlayPage, size: ScreenSize) -> Rect {
        let width = min(size.width - 4, page.width)
        let height = min(size.height - 3, page.lines.count + 2)
        let x = page.placement == .right ? size.width - width - 2 : (size.width - width) / 2
        let y = page.placement == .right ? 2 : max(1, 1 + (size.height - 2 - height) / 2)
        return Rect(x: x, y: y, width: width, height: height)
    }

    public static func draw(_ grid: inout CellGrid, state: AppState, theme: Theme) {
        guard let page = page(for: state) else { return }
        let box = frame(page, size: state.size)
        grid.box(x: box.x, y: box.y, width: box.width, height: box.height, title: page.title, border: theme[.borderActive],
                 titleStyle: theme[.title], fill: theme[.overlay])
        let inner = box.inner
        let offset = min(state.overlayScroll, max(0, page.lines.count - inner.height))
        for (index, line) in page.lines.dropFirst(offset).prefix(inner.height).enumerated() {
            var x = inner.x + 1
            for piece in line.pieces {
                if let column = piece.column { x = inner.x + 1 + column }
                x += grid.put(piece.text, x: x, y: inner.y + index, style: theme[piece.role], maxWidth: max(0, inner.x + inner.width - 1 - x))
            }
        }
        drawIndicators(&grid, box: box, rows: page.lines.count, visible: inner.height, offset: offset, theme: theme)
    }
}
