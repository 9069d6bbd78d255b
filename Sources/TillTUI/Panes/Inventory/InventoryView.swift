import Foundation
import TillCore

enum InventoryView {
    static func draw(_ grid: inout CellGrid, state: AppState, in area: Rect, theme: Theme) {
        if let panel = state.inventory.panel {
            drawPanel(&grid, panel, state: state, in: area, theme: theme)
            return
        }
        defer {
            if let prompt = state.inventory.prompt, let row = state.inventory.list.selectedRow {
                // The box names the row acted on; it keeps clear of that row on screen.
                let list = state.inventory.list
                grid.subjectPrompt(prompt.prompt(for: row, text: state.inventory.input), in: area,
                                   keepVisible: ListPaneView.selectedRowY(list, in: area), theme: theme)
            }
        }
        if let history = state.inventory.history {
            drawHistory(&grid, history: history, in: area, theme: theme, timeZone: state.store.timeZone,
                        elsewhere: state.stockElsewhere.flatMap { $0.sku == history.row.sku ? $0 : nil })
            return
        }
        let inventory = state.inventory
        let filters = "\(inventory.location.label) ←→" + (inventory.lowOnly ? " · low stock (F6)" : "")
        ListPaneView.draw(&grid, in: area, title: "Inventory", search: inventory.search,
                          searchFocused: inventory.searchFocused, searchHint: "type to search SKU or name",
                          filters: filters, list: inventory.list, columns: [
                              .fixed("SKU", 12), .flexible("Name"), .fixed("Location", 8),
                              .fixed("On hand", 9, right: true), .fixed("Reorder", 8, right: true),
                          ], emptyText: inventory.lowOnly ? "Nothing is at or below its reorder point." : "No stock matches.",
                          theme: theme) { row in
            [TableCell(row.sku), TableCell(row.name), TableCell(row.locationCode),
             TableCell(Formatting.quantity(row.onHand, unit: row.unit),
                       role: Formatting.stockRole(row.onHand, reorderPoint: row.reorderPoint)),
             TableCell(row.reorderPoint.description, role: .muted)]
        }
    }

    static func drawHistory(_ grid: inout CellGrid, history: StockHistory, in area: Rect, theme: Theme, timeZone: TimeZone,
                            elsewhere: StockElsewhereState? = nil) {
        grid.box(x: area.x, y: area.y, width: area.width, height: area.height,
                 title: "Inventory › \(history.row.sku) movements", border: theme[.borderActive],
                 titleStyle: theme[.title], fill: theme[.text])
        let inner = area.inner
        grid.put(history.row.name, x: inner.x + 1, y: inner.y, style: theme[.title], maxWidth: inner.width - 2)
        if let elsewhere {
            grid.put("Other stores: " + elsewhere.line(unit: history.row.unit, timeZone: timeZone), x: inner.x + 1, y: inner.y + 1,
                     style: theme[elsewhere.answer == nil ? .muted : .text], maxWidth: inner.width - 2)
        }
        let rows = history.movements.prefix(max(0, inner.height - 3)).map { movement in
            [TableCell(Formatting.dateTime(movement.createdAt, in: timeZone)), TableCell(movement.locationCode),
             TableCell(movement.delta.milli > 0 ? "+\(movement.delta)" : movement.delta.description,
                       role: movement.delta.milli < 0 ? .stockLow : .money),
             TableCell(movement.reason.rawValue), TableCell(movement.staff ?? ""),
             TableCell(referenceAndNote(movement))]
        }
        Table.draw(into: &grid, x: inner.x + 1, y: inner.y + 2, width: inner.width - 2, columns: [
            .fixed("When", 16), .fixed("Where", 6), .fixed("Change", 8, right: true), .fixed("Reason", 10),
            .fixed("Staff", 6), .flexible("Reference / note"),
        ], rows: rows, selected: nil, theme: theme)
        if rows.isEmpty {
            grid.put("No movements yet.", x: inner.x + 1, y: inner.y + 3, style: theme[.muted])
        }
        grid.put(" Esc back ", x: area.x + 2, y: area.y + area.height - 1, style: theme[.muted])
    }
}

extension InventoryView {
    /// The note says why a person moved stock ("dropped by a customer") and comes first; a reference that only
    /// repeats the reason (`adjust`) is left out so the note fits at 80 columns.
    static func referenceAndNote(_ movement: MovementRow) -> String {
        let reference = movement.reference == "adjust" ? nil : movement.reference
        return [movement.note, reference].compactMap { $0 }.joined(separator: " · ")
    }
}
