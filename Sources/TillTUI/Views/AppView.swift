import TillCore

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
        case .reports: ReportsView.draw(&grid, state: state, in: body, theme: theme)
        }
        drawStatusBar(&grid, state: state, theme: theme)
        if let settings = state.settings { SettingsView.draw(&grid, state: state, settings: settings, theme: theme) }
        if state.showingHelp { HelpOverlay.draw(&grid, state: state, theme: theme) }
        if let signIn = state.signIn {
            CredentialsView.draw(&grid, title: "Sign in", reason: signIn.reason, username: signIn.username, pin: signIn.pin,
                                 onPIN: signIn.onPIN, cover: true, theme: theme)
        } else if let approval = state.approval {
            CredentialsView.draw(&grid, title: "Manager approval", reason: approval.reason, username: approval.username,
                                 pin: approval.pin, onPIN: approval.onPIN, cover: false, error: approval.error, submit: "approve",
                                 theme: theme)
        }
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
        let hints = KeyBindings.active(state).filter(\.inStatusBar)
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
    static func draw(_ grid: inout CellGrid, state: AppState, theme: Theme) {
        let paying = state.pane == .register && state.register.tender != nil
        let sections: [(String, [KeyBinding])] = paying
            ? [("Paying", KeyBindings.tender), ("Everywhere", KeyBindings.modalGlobal)]
            : state.settings != nil ? [("Settings", KeyBindings.settings), ("Everywhere", KeyBindings.modalGlobal)]
            : [("\(state.pane.title) keys", KeyBindings.pane(state.pane)), ("Everywhere", KeyBindings.global)]
        let tallest = sections.map { $0.1.count + 1 }.max() ?? 0
        let total = sections.reduce(0) { $0 + $1.1.count + 2 }
        // One column when everything fits, else the sections side by side.
        let columns = total + 3 <= grid.height - 2 ? 1 : 2
        let width = min(grid.width - 4, columns == 1 ? 64 : 96)
        let height = min(grid.height - 2, (columns == 1 ? total : tallest) + 3)
        let x = (grid.width - width) / 2
        let y = max(1, (grid.height - height) / 2)
        grid.box(x: x, y: y, width: width, height: height, title: "Help — any key closes", border: theme[.borderActive],
                 titleStyle: theme[.title], fill: theme[.overlay])
        let columnWidth = (width - 4) / columns
        var row = y + 2
        for (index, section) in sections.enumerated() {
            let left = x + 2 + (columns == 2 ? index * columnWidth : 0)
            if columns == 2 { row = y + 2 } else if index > 0 { row += 1 }
            grid.put(section.0, x: left, y: row, style: theme[.header], maxWidth: columnWidth - 1)
            row += 1
            for binding in section.1 where row < y + height - 1 {
                grid.put(binding.keyLabel.padded(toWidth: 11), x: left, y: row, style: theme[.key])
                grid.put(binding.help, x: left + 12, y: row, style: theme[.overlay], maxWidth: columnWidth - 13)
                row += 1
            }
        }
    }
}
