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
        if let settings = state.settings { SettingsView.draw(&grid, state: state, settings: settings, theme: theme) }
        // Help, a report: whichever box is on top scrolls the same way.
        ScrollableOverlay.draw(&grid, state: state, theme: theme)
        if let signIn = state.signIn {
            CredentialsView.draw(&grid, title: "Sign in", reason: signIn.reason, username: signIn.username, pin: signIn.pin,
                                 onPIN: signIn.onPIN, cover: true, theme: theme)
        } else if let approval = state.approval {
            CredentialsView.draw(&grid, title: "Manager approval", reason: approval.reason, username: approval.username,
                                 pin: approval.pin, onPIN: approval.onPIN, cover: false, error: approval.error, submit: "approve",
                                 theme: theme)
        }
        // Last: a long message wraps upwards over whatever is open, so it is always read whole.
        drawStatusBar(&grid, state: state, theme: theme)
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
        // The shop's name where it fits, cut between words ("Corner Store…"), never "Corn…".
        let room = max(0, grid.width - x - 2)
        var name = state.store.name
        if DisplayWidth.of(name) > room {
            var kept = ""
            for word in name.split(separator: " ") {
                let candidate = kept.isEmpty ? String(word) : kept + " " + word
                guard DisplayWidth.of(candidate) + 1 <= room else { break }
                kept = candidate
            }
            name = kept.isEmpty ? "" : kept + "…"
        }
        grid.put(name, x: grid.width - DisplayWidth.of(name) - 1, y: 0, style: theme[.statusBar])
    }

    /// The most rows a long message takes above the status bar before it is cut (between words, with "…").
    static let messageRows = 4

    /// Who is signed in, then the message (word-wrapped upwards over the pane's foot when it is long), or the
    /// status-bar keys of the context in force — a prompt's, the lock screen's — that can act now.
    static func drawStatusBar(_ grid: inout CellGrid, state: AppState, theme: Theme) {
        let y = grid.height - 1
        grid.fill(x: 0, y: y, width: grid.width, height: 1, style: theme[.statusBar])
        let who = " \(state.store.staff ?? "not signed in") "
        var x = grid.put(who, x: 0, y: y, style: theme[.statusBar])
        // A chain store's link to head office, at the right end: what is left of the bar is the rest's.
        var width = grid.width
        let message = state.confirmingQuit ? StatusMessage.error("A sale is in progress. Quit anyway? y/n") : state.message
        // A message is read whole: while one shows, the link gives it its room (it is back with the next key).
        if let link = state.store.chainLink, message == nil {
            let text = " " + WordWrap.clipped(link, width: max(0, grid.width / 3)) + " "
            width = grid.width - DisplayWidth.of(text)
            let offline = !link.hasPrefix("HQ ✓")
            grid.put(text, x: width, y: y, style: offline ? theme[.error] : theme[.statusBar])
        }
        x += grid.put("│ ", x: x, y: y, style: theme[.statusBar])
        if let message {
            let room = width - x - 2
            var lines = WordWrap.lines(message.text, width: room)
            if lines.count > messageRows {
                let rest = lines[(messageRows - 1)...].joined(separator: " ")
                lines = Array(lines.prefix(messageRows - 1)) + [WordWrap.clipped(rest, width: room)]
            }
            let style = message.isError ? theme[.error] : theme[.info]
            let top = y - (lines.count - 1)
            if lines.count > 1 { grid.fill(x: 0, y: top, width: grid.width, height: lines.count - 1, style: theme[.statusBar]) }
            for (index, line) in lines.enumerated() {
                grid.put(" \(line) ".padded(toWidth: room + 2), x: x, y: top + index, style: style)
            }
            return
        }
        // While the simulated reader waits, the bar shows the customer's keys (the cashier plays them); other
        // long work shows what it is doing.
        if let work = state.running.last, !(work.collectsCard && state.store.cashierPlaysCardCustomer) {
            grid.put(" \(work.progress) ", x: x, y: y, style: theme[.info], maxWidth: width - x)
            return
        }
        // As lazygit does, a key that cannot act now leaves the bar to one that can (help shows it greyed, with why).
        for binding in KeyBindings.active(state).filter(\.inStatusBar) where binding.disabledReason(state) == nil {
            let keyText = binding.keyLabel
            let label = " " + WordWrap.clipped(binding.shortHelp, width: 24) + "  "
            guard x + DisplayWidth.of(keyText) + DisplayWidth.of(label) <= width else { break }
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

/// `?`: the keys of the screen the user is on — a prompt's, an order's, the tender screen's — not the pane's
/// underneath. Disabled keys are greyed with the reason; long lists scroll.
enum HelpOverlay {
    static let keyColumn = 12

    static func page(_ state: AppState) -> OverlayPage {
        var under = state
        under.showingHelp = false
        let context = KeyBindings.active(under)
        let width = min(state.size.width - 4, 76)
        let textWidth = max(10, width - 4 - keyColumn)
        var lines: [OverlayLine] = [OverlayLine(context.title, role: .header)]
        func add(_ label: String, _ text: String, role: ThemeRole, keyRole: ThemeRole) {
            for (index, part) in WordWrap.lines(text, width: textWidth).enumerated() {
                lines.append(OverlayLine(pieces: [
                    .init(text: index == 0 ? label : "", role: keyRole, column: 0),
                    .init(text: part, role: role, column: keyColumn),
                ]))
            }
        }
        for binding in context.own { line(binding, under, add) }
        if let typing = context.typing { add("typing", "\(typing) (Backspace deletes)", role: .overlay, keyRole: .muted) }
        if !context.shared.isEmpty {
            lines.append(OverlayLine())
            lines.append(OverlayLine("Everywhere", role: .header))
            for binding in context.shared { line(binding, under, add) }
        }
        return OverlayPage(title: "Help — Esc closes", lines: lines, width: width)
    }

    private static func line(_ binding: KeyBinding, _ state: AppState, _ add: (String, String, ThemeRole, ThemeRole) -> Void) {
        if let reason = binding.disabledReason(state) {
            add(binding.keyLabel, "\(binding.help) — not now: \(reason)", .keyDisabled, .keyDisabled)
        } else {
            add(binding.keyLabel, binding.help, .overlay, .key)
        }
    }

    static func draw(_ grid: inout CellGrid, state: AppState, theme: Theme) {
        ScrollableOverlay.draw(&grid, state: state, theme: theme)
    }
}
