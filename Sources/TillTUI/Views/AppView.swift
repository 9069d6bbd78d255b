/// state → frame. A pure function: the same state, theme and size always give the same cells.
public enum AppView {
    public static func render(_ state: AppState, theme: Theme) -> CellGrid {
        var grid = CellGrid(width: state.size.width, height: state.size.height, fill: theme[.text])
        guard !state.size.isTooSmall else {
            drawTooSmall(&grid, state: state, theme: theme)
            return grid
        }
        drawTabBar(&grid, state: state, theme: theme)
        let body = Rect(x: 0, y: 1, width: state.size.width, height: state.size.height - 2)
        switch state.pane {
        case .register: RegisterView.draw(&grid, state: state, in: body, theme: theme)
        case .catalog: CatalogView.draw(&grid, state: state, in: body, theme: theme)
        case .inventory: InventoryView.draw(&grid, state: state, in: body, theme: theme)
        case .orders: OrdersView.draw(&grid, state: state, in: body, theme: theme)
        }
        drawStatusBar(&grid, state: state, theme: theme)
        if state.showingHelp { HelpOverlay.draw(&grid, pane: state.pane, theme: theme) }
        return grid
    }

    static func drawTooSmall(_ grid: inout CellGrid, state: AppState, theme: Theme) {
        let lines = [
            "terminal too small (need \(ScreenSize.minimum.width)×\(ScreenSize.minimum.height), have \(state.size.width)×\(state.size.height))",
            "enlarge the window, or press Ctrl-Q to quit",
        ]
        let top = max(0, grid.height / 2 - 1)
        for (index, line) in lines.enumerated() {
            let text = line.clipped(toWidth: grid.width)
            let x = max(0, (grid.width - DisplayWidth.of(text)) / 2)
            grid.put(text, x: x, y: top + index, style: index == 0 ? theme[.error] : theme[.muted])
        }
    }

    static func drawTabBar(_ grid: inout CellGrid, state: AppState, theme: Theme) {
        grid.fill(x: 0, y: 0, width: grid.width, height: 1, style: theme[.statusBar])
        var x = grid.put(" Till ", x: 0, y: 0, style: theme[.title])
        for pane in PaneID.allCases {
            let label = " F\(pane.functionKey) \(pane.title) "
            x += grid.put(label, x: x, y: 0, style: pane == state.pane ? theme[.tabActive] : theme[.tabInactive])
            x += grid.put(" ", x: x, y: 0, style: theme[.statusBar])
        }
        let name = state.store.name.clipped(toWidth: max(0, grid.width - x - 2))
        grid.put(name, x: grid.width - DisplayWidth.of(name) - 1, y: 0, style: theme[.statusBar])
    }

    static func drawStatusBar(_ grid: inout CellGrid, state: AppState, theme: Theme) {
        let y = grid.height - 1
        grid.fill(x: 0, y: y, width: grid.width, height: 1, style: theme[.statusBar])
        let who = " \(state.store.staff ?? "not signed in") "
        var x = grid.put(who, x: 0, y: y, style: theme[.statusBar])
        x += grid.put("│ ", x: x, y: y, style: theme[.statusBar])
        if state.confirmingQuit {
            grid.put("A sale is in progress. Quit anyway? y/n", x: x, y: y, style: theme[.error], maxWidth: grid.width - x)
            return
        }
        if let message = state.message {
            grid.put(" \(message.text) ", x: x, y: y, style: message.isError ? theme[.error] : theme[.info],
                     maxWidth: grid.width - x)
            return
        }
        let hints = (KeyBindings.pane(state.pane) + KeyBindings.global).filter(\.inStatusBar)
        for binding in hints {
            let keyText = binding.keyLabel
            let short = binding.help.components(separatedBy: " (").first ?? binding.help
            let label = " " + short.clipped(toWidth: 24) + "  "
            guard x + DisplayWidth.of(keyText) + DisplayWidth.of(label) <= grid.width else { break }
            x += grid.put(keyText, x: x, y: y, style: theme[.key])
            x += grid.put(label, x: x, y: y, style: theme[.statusBar])
        }
    }
}

/// A rectangle of the screen.
public struct Rect: Equatable, Sendable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    /// The inside of a box drawn on this rectangle.
    public var inner: Rect { Rect(x: x + 1, y: y + 1, width: max(0, width - 2), height: max(0, height - 2)) }
}

enum HelpOverlay {
    static func draw(_ grid: inout CellGrid, pane: PaneID, theme: Theme) {
        let sections: [(String, [KeyBinding])] = [("\(pane.title) keys", KeyBindings.pane(pane)),
                                                   ("Everywhere", KeyBindings.global)]
        var lines: [(String, String)] = []
        for (title, bindings) in sections {
            if !lines.isEmpty { lines.append(("", "")) }
            lines.append((title, ""))
            for binding in bindings { lines.append((binding.keyLabel, binding.help)) }
        }
        let width = min(grid.width - 4, 64)
        let height = min(grid.height - 2, lines.count + 4)
        let x = (grid.width - width) / 2
        let y = max(1, (grid.height - height) / 2)
        grid.box(x: x, y: y, width: width, height: height, title: "Help — any key closes", border: theme[.borderActive],
                 titleStyle: theme[.title], fill: theme[.overlay])
        for (index, line) in lines.prefix(height - 4).enumerated() {
            let row = y + 2 + index
            if line.1.isEmpty {
                grid.put(line.0, x: x + 3, y: row, style: theme[.header], maxWidth: width - 6)
            } else {
                grid.put(line.0.padded(toWidth: 14), x: x + 3, y: row, style: theme[.key])
                grid.put(line.1, x: x + 18, y: row, style: theme[.overlay], maxWidth: width - 21)
            }
        }
    }
}
