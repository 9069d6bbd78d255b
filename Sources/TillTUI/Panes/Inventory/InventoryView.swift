import Foundation
import TillCore

enum InventoryView {
    static func draw(_ grid: inout CellGrid, state: AppState, in area: Rect, theme: Theme) {
        if let panel = state.inventory.panel {
            drawPanel(&grid, panel, state: state, in: area, theme: theme)
            return
        }
        defer {
            if let prompt = state.inventory.prompt {
                // The action line replaces the search line while it is open.
                grid.inputLine(prompt.label, text: state.inventory.input, in: area, theme: theme)
            }
        }
        if let history = state.inventory.history {
            drawHistory(&grid, history: history, state: state, in: area, theme: theme, timeZone: state.store.timeZone)
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

    static func drawHistory(_ grid: inout CellGrid, history: StockHistory, state: AppState, in area: Rect, theme: Theme,
                            timeZone: TimeZone) {
        grid.box(x: area.x, y: area.y, width: area.width, height: area.height,
                 title: "Inventory › \(history.row.sku) movements", border: theme[.borderActive],
                 titleStyle: theme[.title], fill: theme[.text])
        let inner = area.inner
        grid.put(history.row.name, x: inner.x + 1, y: inner.y, style: theme[.title], maxWidth: inner.width - 2)
        let rows = ScrollableOverlay.window(history.movements, visible: inner.height - 3, state: state).map { movement in
            [TableCell(Formatting.dateTime(movement.createdAt, in: timeZone)), TableCell(movement.locationCode),
             TableCell(movement.delta.milli > 0 ? "+\(movement.delta)" : movement.delta.description,
                       role: movement.delta.milli < 0 ? .stockLow : .money),
             TableCell(movement.reason.rawValue), TableCell(movement.staff ?? ""), TableCell(movement.reference ?? "")]
        }
        Table.draw(into: &grid, x: inner.x + 1, y: inner.y + 2, width: inner.width - 2, columns: [
            .fixed("When", 16), .fixed("Where", 6), .fixed("Change", 8, right: true), .fixed("Reason", 10),
            .fixed("Staff", 6), .flexible("Reference"),
        ], rows: rows, selected: nil, theme: theme)
        if rows.isEmpty {
            grid.put("No movements yet.", x: inner.x + 1, y: inner.y + 3, style: theme[.muted])
        }
        grid.put(" Esc back ", x: area.x + 2, y: area.y + area.height - 1, style: theme[.muted])
        ScrollableOverlay.drawIndicators(&grid, box: area, rows: history.movements.count, visible: inner.height - 3,
                                         offset: state.overlayScroll, theme: theme)
    }
}

extension InventoryView {
    static func drawPanel(_ grid: inout CellGrid, _ panel: InventoryPanel, state: AppState, in area: Rect, theme: Theme) {
        let inner = area.inner
        let x = inner.x + 1
        let width = inner.width - 2
        switch panel {
        case let .reorder(rows):
            grid.box(x: area.x, y: area.y, width: area.width, height: area.height, title: "Inventory › Reorder list",
                     border: theme[.borderActive], titleStyle: theme[.title], fill: theme[.text])
            grid.put("At or below the reorder point; order = \(StockReports.coverDays) days of recent sales + back to the reorder point.",
                     x: x, y: inner.y, style: theme[.muted], maxWidth: width)
            Table.draw(into: &grid, x: x, y: inner.y + 1, width: width, columns: [
                .fixed("SKU", 12), .flexible("Name"), .fixed("On hand", 8, right: true), .fixed("Reorder", 8, right: true),
                .fixed("Sold 30d", 9, right: true), .fixed("Order", 7, right: true),
            ], rows: ScrollableOverlay.window(rows, visible: inner.height - 3, state: state).map { row in
                [TableCell(row.sku), TableCell(row.name), TableCell(row.onHand, role: .stockLow), TableCell(row.reorderPoint),
                 TableCell(row.soldLast30Days), TableCell(row.suggested, role: .total)]
            }, selected: nil, theme: theme)
            ScrollableOverlay.drawIndicators(&grid, box: area, rows: rows.count, visible: inner.height - 3,
                                             offset: state.overlayScroll, theme: theme)
            if rows.isEmpty { grid.put("Nothing needs reordering.", x: x, y: inner.y + 3, style: theme[.muted]) }
        case let .valuation(rows):
            grid.box(x: area.x, y: area.y, width: area.width, height: area.height, title: "Inventory › Valuation (on hand × cost)",
                     border: theme[.borderActive], titleStyle: theme[.title], fill: theme[.text])
            let total = rows.reduce(Int64(0)) { $0 + $1.value }
            Table.draw(into: &grid, x: x, y: inner.y, width: width, columns: [
                .flexible("Category"), .fixed("Units", 10, right: true), .fixed("Value", 14, right: true), .fixed("No cost", 8, right: true),
            ], rows: Array(ScrollableOverlay.window(rows.map { row in
                [TableCell(row.group), TableCell(row.units.description), TableCell(state.money(row.value), role: .money),
                 TableCell(row.withoutCost > 0 ? String(row.withoutCost) : "", role: .stockLow)]
            } + [[TableCell("Total", role: .total), TableCell(""), TableCell(state.money(total), role: .total), TableCell("")]],
                                                      visible: inner.height - 2, state: state)),
                       selected: nil, theme: theme)
            ScrollableOverlay.drawIndicators(&grid, box: area, rows: rows.count + 1, visible: inner.height - 2,
                                             offset: state.overlayScroll, theme: theme)
        case let .count(id, location, variances):
            grid.box(x: area.x, y: area.y, width: area.width, height: area.height, title: "Inventory › Count #\(id) of \(location)",
                     border: theme[.borderActive], titleStyle: theme[.title], fill: theme[.text])
            var inputX = x
            inputX += grid.put(InventoryPrompt.count.label, x: inputX, y: inner.y, style: theme[.key])
            inputX += grid.put(state.inventory.input, x: inputX, y: inner.y, style: theme[.input])
            grid.put("▏", x: inputX, y: inner.y, style: theme[.input])
            let selected = state.inventory.list.selectedRow.map { "selected: \($0.sku) \($0.name)" } ?? ""
            grid.put(selected, x: x, y: inner.y + 1, style: theme[.muted], maxWidth: width)
            let value = variances.reduce(Int64(0)) { $0 + $1.value }
            Table.draw(into: &grid, x: x, y: inner.y + 2, width: width, columns: [
                .fixed("SKU", 12), .flexible("Name"), .fixed("Expected", 9, right: true), .fixed("Counted", 8, right: true),
                .fixed("Variance", 9, right: true), .fixed("Value", 11, right: true),
            ], rows: variances.suffix(max(0, inner.height - 5)).map { line in
                [TableCell(line.sku), TableCell(line.name), TableCell(line.expected.description), TableCell(line.counted.description),
                 TableCell(line.variance.description, role: line.variance.milli == 0 ? .text : .stockLow),
                 TableCell(state.money(line.value), role: .money)]
            }, selected: nil, theme: theme)
            grid.put("Variance value \(state.money(value)) · F10 apply · Ctrl-X cancel · Esc leave open", x: x,
                     y: inner.y + inner.height - 1, style: theme[.info], maxWidth: width)
        }
    }
}
