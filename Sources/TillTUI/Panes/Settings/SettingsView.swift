import Foundation
import TillCore

/// The settings overlay, over whichever pane is open: every tax class with its rate now, since when, what is
/// scheduled, and how many products use it.
enum SettingsView {
    static func draw(_ grid: inout CellGrid, state: AppState, settings: SettingsState, theme: Theme) {
        let width = min(grid.width - 4, 110)
        let rows = max(settings.classes.count, 1)
        let height = min(grid.height - 2, rows + 8)
        let x = (grid.width - width) / 2
        let y = max(1, (grid.height - height) / 2)
        grid.box(x: x, y: y, width: width, height: height, title: "Settings — tax classes and rates",
                 border: theme[.borderActive], titleStyle: theme[.title], fill: theme[.overlay])
        let inner = Rect(x: x, y: y, width: width, height: height).inner
        let left = inner.x + 1
        let tableWidth = inner.width - 2
        if let problem = settings.problem {
            for (index, line) in WordWrap.lines(problem, width: tableWidth).prefix(max(0, inner.height - 1)).enumerated() {
                grid.put(line, x: left, y: inner.y + 1 + index, style: theme[.error], maxWidth: tableWidth)
            }
            return
        }
        if settings.loading {
            grid.put("Loading…", x: left, y: inner.y + 1, style: theme[.muted], maxWidth: tableWidth)
            return
        }
        let columns: [TableColumn] = [
            .fixed("Code", 10), .flexible("Name", minimum: 10), .fixed("Now", 8, right: true), .fixed("Since", 16),
            .flexible("Scheduled", minimum: 14), .fixed("Products", 8, right: true),
        ]
        let shown = max(0, inner.height - 5)
        let first = max(0, min(settings.selected - shown + 1, settings.classes.count - shown))
        let cells = settings.classes.dropFirst(first).prefix(shown).map { entry -> [TableCell] in
            let role: ThemeRole = entry.active ? .text : .muted
            return [TableCell(entry.code, role: role), TableCell(entry.name + (entry.active ? "" : " (archived)"), role: role),
                    TableCell(TaxClass.formatRate(entry.current.ratePPM) + "%", role: .money),
                    TableCell(entry.current.isOpening ? "from the start" : TaxRates.moment(entry.current.effectiveFrom), role: role),
                    TableCell(entry.scheduled.map { "\(TaxClass.formatRate($0.ratePPM))% from \(TaxRates.moment($0.effectiveFrom))" }
                        .joined(separator: ", "), role: .info),
                    TableCell(String(entry.productCount), role: role)]
        }
        Table.draw(into: &grid, x: left, y: inner.y, width: tableWidth, columns: columns, rows: Array(cells),
                   selected: settings.classes.isEmpty ? nil : settings.selected - first, theme: theme)
        // The list follows the selection (↑/↓); the border says when classes are out of sight.
        ScrollableOverlay.drawIndicators(&grid, box: Rect(x: x, y: y, width: width, height: height), rows: settings.classes.count,
                                         visible: shown, offset: first, theme: theme, pageKeys: false)
        let foot = inner.y + inner.height - 3
        // The keys are in the status bar (from `KeyBindings.settings`); the foot says the rule for dates.
        grid.put("Rates apply from their date; back-dating only over days with no sales.",
                 x: left, y: foot - 1, style: theme[.muted], maxWidth: tableWidth)
        if let prompt = settings.prompt {
            grid.inputLine(prompt.label, text: settings.input,
                           in: Rect(x: inner.x, y: foot, width: inner.width, height: 3), theme: theme)
        }
    }
}
