import TillCore

/// The views that replace the stock list: reorder list, valuation, a count under way and its confirmation.
extension InventoryView {
    static func drawPanel(_ grid: inout CellGrid, _ panel: InventoryPanel, state: AppState, in area: Rect, theme: Theme) {
        switch panel {
        case let .reorder(rows): drawReorder(&grid, rows, state: state, in: area, theme: theme)
        case let .valuation(rows): drawValuation(&grid, rows, state: state, in: area, theme: theme)
        case let .transfers(list): drawTransfers(&grid, list, state: state, in: area, theme: theme)
        case let .purchasing(panel):
            if let detail = panel.detail {
                drawPurchaseOrder(&grid, detail, state: state, in: area, theme: theme)
            } else {
                drawPurchasing(&grid, panel, state: state, in: area, theme: theme)
            }
        case let .count(sheet):
            if state.inventory.confirmingCount {
                drawCountConfirm(&grid, sheet, state: state, in: area, theme: theme)
            } else {
                drawCount(&grid, sheet, state: state, in: area, theme: theme)
            }
        }
    }

    /// Wrapped lines at `y`, in `style`; returns the rows used.
    @discardableResult
    static func paragraph(_ grid: inout CellGrid, _ text: String, x: Int, y: Int, width: Int, style: CellStyle,
                          maxRows: Int = .max) -> Int {
        let lines = SubjectPrompt.wrap(text, width: width).prefix(max(0, maxRows))
        for (index, line) in lines.enumerated() { grid.put(line, x: x, y: y + index, style: style) }
        return lines.count
    }

    static func drawTransfers(_ grid: inout CellGrid, _ list: TransferList, state: AppState, in area: Rect, theme: Theme) {
        let inner = area.inner
        let x = inner.x + 1
        let width = inner.width - 2
        grid.box(x: area.x, y: area.y, width: area.width, height: area.height, title: "Inventory › Transfers with other stores",
                 border: theme[.borderActive], titleStyle: theme[.title], fill: theme[.text])
        let used = paragraph(&grid, list.unavailable ?? "Open transfers, as head office has both stores' movements. Ships from the "
                             + "shop floor, receives into the back room; other amounts: till transfer ship|receive --item.",
                             x: x, y: inner.y, width: width, style: theme[list.unavailable == nil ? .muted : .error])
        let room = max(0, inner.height - used - 1)
        let chosen = min(state.inventory.transferSelected, max(0, list.transfers.count - 1))
        let first = max(0, chosen - max(0, room - 1))
        let shown = list.transfers[first..<min(list.transfers.count, first + room)]
        Table.draw(into: &grid, x: x, y: inner.y + used, width: width, columns: [
            .fixed("Transfer", 10), .fixed("Route", 12), .fixed("State", 16), .flexible("Items (requested/shipped/received)"),
        ], rows: shown.map { transfer in
            let route = transfer.from == list.store ? "→ \(transfer.to)" : "← \(transfer.from)"
            let items = transfer.lines.map { "\($0.sku) \($0.requested)/\($0.shipped)/\($0.received)" }.joined(separator: " · ")
            return [TableCell(transfer.id), TableCell(route), TableCell(transfer.state, role: transfer.state.contains("more") ? .stockLow : .text),
                    TableCell(items)]
        }, selected: list.transfers.isEmpty ? nil : chosen - first, theme: theme)
        if list.transfers.isEmpty && list.unavailable == nil {
            grid.put("No open transfers.", x: x, y: inner.y + used + 2, style: theme[.muted])
        }
        let action: String
        switch list.action(at: chosen) {
        case .ship?: action = "Enter: ship it"
        case .receive?: action = "Enter: receive it"
        case nil: action = "r: ask HQ again"
        }
        grid.put(" \(action) · Esc back ", x: area.x + 2, y: area.y + area.height - 1, style: theme[.muted])
    }

    /// Suppliers (a line each, as many as fit in a third of the box) over the purchase orders.
    static func drawPurchasing(_ grid: inout CellGrid, _ panel: PurchasingPanel, state: AppState, in area: Rect, theme: Theme) {
        let inner = area.inner
        let x = inner.x + 1
        let width = inner.width - 2
        grid.box(x: area.x, y: area.y, width: area.width, height: area.height, title: "Inventory › Suppliers and purchase orders",
                 border: theme[.borderActive], titleStyle: theme[.title], fill: theme[.text])
        var y = inner.y
        if panel.suppliers.isEmpty {
            y += paragraph(&grid, "No suppliers yet: till supplier add CODE --name NAME, then till supplier item CODE SKU --case 12 "
                           + "--cost 1.20 says what each supplies.", x: x, y: y, width: width, style: theme[.muted])
        } else {
            let room = max(1, inner.height / 3 - 1)
            let shown = Array(panel.suppliers.prefix(room))
            Table.draw(into: &grid, x: x, y: y, width: width, columns: [
                .fixed("Supplier", 10), .flexible("Name"), .fixed("Lead", 5, right: true), .fixed("SKUs", 5, right: true),
                .fixed("Open POs", 8, right: true), .fixed("Terms", 10),
            ], rows: shown.map { row in
                [TableCell(row.supplier.code), TableCell(row.supplier.name), TableCell("\(row.supplier.leadTimeDays)d"),
                 TableCell(String(row.items)), TableCell(row.openOrders > 0 ? String(row.openOrders) : "", role: .total),
                 TableCell(row.supplier.terms, role: .muted)]
            }, selected: nil, theme: theme)
            y += shown.count + 1
            if panel.suppliers.count > shown.count {
                grid.put("… and \(panel.suppliers.count - shown.count) more (till supplier list)", x: x, y: y, style: theme[.muted])
                y += 1
            }
        }
        y += 1
        let room = max(0, inner.y + inner.height - y - 1)
        let chosen = min(state.inventory.purchaseSelected, max(0, panel.orders.count - 1))
        let first = max(0, chosen - max(0, room - 1))
        let shown = panel.orders.isEmpty ? [] : Array(panel.orders[first..<min(panel.orders.count, first + room)])
        Table.draw(into: &grid, x: x, y: y, width: width, columns: [
            .fixed("PO", 8), .fixed("Supplier", 10), .fixed("Status", 9), .fixed("Lines", 5, right: true),
            .fixed("Back-ord.", 9, right: true), .flexible("Value", minimum: 8), .fixed("Due", 10),
        ], rows: shown.map { row in
            [TableCell(PurchaseOrder.label(row.number)), TableCell(row.supplier),
             TableCell(row.status.rawValue, role: row.status == .partial ? .stockLow : row.status == .closed ? .muted : .text),
             TableCell(String(row.lines)), TableCell(row.backOrderedLines > 0 ? String(row.backOrderedLines) : "", role: .stockLow),
             TableCell(Money(minorUnits: row.value, currency: panel.currency).formatted(), role: .money),
             TableCell(row.expectedOn ?? "", role: .muted)]
        }, selected: panel.orders.isEmpty ? nil : chosen - first, theme: theme)
        if panel.orders.isEmpty {
            paragraph(&grid, "No purchase orders yet. d drafts them from the reorder list, one per supplier.",
                      x: x, y: y + 2, width: width, style: theme[.muted])
        }
        let position = panel.orders.isEmpty ? "" : " \(chosen + 1) of \(panel.orders.count) "
        grid.put(" Enter: lines · d: draft · s: send · Ctrl-R: receive · Esc back ", x: area.x + 2, y: area.y + area.height - 1, style: theme[.muted])
        grid.put(position, x: area.x + area.width - DisplayWidth.of(position) - 2, y: area.y + area.height - 1, style: theme[.muted])
    }

    /// One order: what was ordered, what has come, what is still owed (or cancelled, once closed).
    static func drawPurchaseOrder(_ grid: inout CellGrid, _ detail: PurchaseOrderDetail, state: AppState, in area: Rect, theme: Theme) {
        let inner = area.inner
        let x = inner.x + 1
        let width = inner.width - 2
        let order = detail.order
        grid.box(x: area.x, y: area.y, width: area.width, height: area.height,
                 title: "Inventory › \(order.label) from \(detail.supplier.name)",
                 border: theme[.borderActive], titleStyle: theme[.title], fill: theme[.text])
        let next: String
        switch order.status {
        case .draft: next = "Draft: till po edit \(order.number) SKU=QTY changes it; till po send \(order.number) sends it."
        case .sent: next = "Sent\(order.expectedOn.map { ", due \($0)" } ?? ""). When it comes: Ctrl-R on the order list scans it in."
        case .partial: next = "Part delivered: the rest is on back-order. Ctrl-R on the order list books more; till po close \(order.number) cancels the rest."
        case .received: next = "Everything has arrived. till po close \(order.number) closes it."
        case .closed: next = "Closed\(order.closedAt.map { " " + LocalTime.format($0, timeZone: state.store.timeZone) } ?? ""); back-orders cancelled."
        }
        var y = inner.y
        if let delivery = state.inventory.delivery {
            // Receiving: the scan box, what to type, and what this delivery holds so far (nothing is booked yet).
            var inputX = x
            inputX += grid.put(state.inventory.typingDeliveryReason ? "Why keep what is not on the order ▸ " : "Scan or type ▸ ",
                               x: inputX, y: y, style: theme[.key])
            var typed = state.inventory.input
            while !typed.isEmpty && DisplayWidth.of(typed) > x + width - inputX - 1 { typed.removeFirst() }
            inputX += grid.put(typed, x: inputX, y: y, style: theme[.input])
            grid.put("▏", x: inputX, y: y, style: theme[.input])
            y += 1
            y += paragraph(&grid, "a barcode adds one (a case code its pack) · CODE=QTY or CODE=QTY@COST · F10 books it · Ctrl-X takes the last off",
                           x: x, y: y, width: width, style: theme[.muted], maxRows: 2)
            let counts = Dictionary(grouping: delivery, by: { $0 }).mapValues(\.count)
            var seen: Set<String> = []
            let summary = delivery.filter { seen.insert($0).inserted }.map { counts[$0, default: 1] > 1 ? "\($0) ×\(counts[$0, default: 1])" : $0 }
            y += paragraph(&grid, delivery.isEmpty ? "This delivery: nothing yet." : "This delivery: " + summary.joined(separator: ", "),
                           x: x, y: y, width: width, style: theme[delivery.isEmpty ? .muted : .total], maxRows: 3)
            if let reason = state.inventory.deliveryReason {
                y += paragraph(&grid, "Not on the order but kept: \(reason)", x: x, y: y, width: width, style: theme[.stockLow], maxRows: 1)
            }
        } else {
            y += paragraph(&grid, next + (order.note.isEmpty ? "" : " Note: \(order.note)"), x: x, y: y, width: width, style: theme[.muted])
        }
        let room = max(0, inner.height - (y - inner.y) - 2)
        Table.draw(into: &grid, x: x, y: y, width: width, columns: [
            .fixed("SKU", 10), .flexible("Name"), .fixed("Ordered", 8, right: true), .fixed("Received", 9, right: true),
            .fixed("Owed", 8, right: true), .fixed("Cost", 9, right: true),
        ], rows: detail.lines.prefix(room).map { entry in
            let line = entry.line
            let owed = line.backOrdered.milli > 0 ? (order.status == .closed ? "cancel." : line.backOrdered.description)
                : line.over.milli > 0 ? "\(line.over) over" : ""
            return [TableCell(entry.sku), TableCell(entry.name + (line.addedReason.map { " (not ordered: \($0))" } ?? "")),
                    TableCell(line.ordered.description), TableCell(line.received.description),
                    TableCell(owed, role: line.backOrdered.milli > 0 ? .stockLow : .muted),
                    TableCell(line.unitCost.map { Money(minorUnits: $0, currency: detail.currency).formatted() } ?? "—", role: .money)]
        }, selected: nil, theme: theme)
        if detail.lines.count > room {
            grid.put("… \(detail.lines.count - room) more lines: till po show \(order.number)", x: x, y: inner.y + inner.height - 1, style: theme[.muted])
        }
        let total = " Ordered \(Money(minorUnits: detail.orderedValue, currency: detail.currency).formatted()) "
        grid.put(state.inventory.delivery == nil ? " Esc: back to the orders " : " F10: book the delivery · Esc: cancel ",
                 x: area.x + 2, y: area.y + area.height - 1, style: theme[.muted])
        grid.put(total, x: area.x + area.width - DisplayWidth.of(total) - 2, y: area.y + area.height - 1, style: theme[.total])
    }

    static func drawReorder(_ grid: inout CellGrid, _ rows: [ReorderRow], state: AppState, in area: Rect, theme: Theme) {
        let inner = area.inner
        let x = inner.x + 1
        let width = inner.width - 2
        grid.box(x: area.x, y: area.y, width: area.width, height: area.height, title: "Inventory › Reorder list",
                 border: theme[.borderActive], titleStyle: theme[.title], fill: theme[.text])
        let used = paragraph(&grid, "At or below the reorder point; order = \(StockReports.coverDays) days of recent sales "
                             + "+ back to the reorder point.", x: x, y: inner.y, width: width, style: theme[.muted])
        let room = max(0, inner.height - used - 1)
        // Scroll so the chosen row stays in view.
        let chosen = min(state.inventory.reorderSelected, max(0, rows.count - 1))
        let first = max(0, chosen - max(0, room - 1))
        Table.draw(into: &grid, x: x, y: inner.y + used, width: width, columns: [
            .fixed("SKU", 12), .flexible("Name"), .fixed("On hand", 8, right: true), .fixed("Reorder", 8, right: true),
            .fixed("Sold 30d", 9, right: true), .fixed("Order", 7, right: true),
        ], rows: rows[first..<min(rows.count, first + room)].map { row in
            [TableCell(row.sku), TableCell(row.name), TableCell(row.onHand, role: .stockLow), TableCell(row.reorderPoint),
             TableCell(row.soldLast30Days), TableCell(row.suggested, role: .total)]
        }, selected: rows.isEmpty ? nil : min(state.inventory.reorderSelected, rows.count - 1) - first, theme: theme)
        if rows.isEmpty { grid.put("Nothing needs reordering.", x: x, y: inner.y + used + 2, style: theme[.muted]) }
        let position = rows.isEmpty ? "" : " \(chosen + 1) of \(rows.count) "
        grid.put(" Enter: this SKU's stock · d: draft orders · Esc back ", x: area.x + 2, y: area.y + area.height - 1, style: theme[.muted])
        grid.put(position, x: area.x + area.width - DisplayWidth.of(position) - 2, y: area.y + area.height - 1, style: theme[.muted])
    }

    static func drawValuation(_ grid: inout CellGrid, _ rows: [ValuationRow], state: AppState, in area: Rect, theme: Theme) {
        let inner = area.inner
        grid.box(x: area.x, y: area.y, width: area.width, height: area.height, title: "Inventory › Valuation (on hand × cost)",
                 border: theme[.borderActive], titleStyle: theme[.title], fill: theme[.text])
        let total = rows.reduce(Int64(0)) { $0 + $1.value }
        Table.draw(into: &grid, x: inner.x + 1, y: inner.y, width: inner.width - 2, columns: [
            .flexible("Category"), .fixed("Units", 10, right: true), .fixed("Value", 14, right: true), .fixed("No cost", 8, right: true),
        ], rows: rows.prefix(max(0, inner.height - 3)).map { row in
            [TableCell(row.group), TableCell(row.units.description), TableCell(state.money(row.value), role: .money),
             TableCell(row.withoutCost > 0 ? String(row.withoutCost) : "", role: .stockLow)]
        } + [[TableCell("Total", role: .total), TableCell(""), TableCell(state.money(total), role: .total), TableCell("")]],
                   selected: nil, theme: theme)
        grid.put(" Esc back ", x: area.x + 2, y: area.y + area.height - 1, style: theme[.muted])
    }

    static func signed(_ quantity: Quantity) -> String { quantity.milli > 0 ? "+\(quantity)" : quantity.description }

    static func signedMoney(_ state: AppState, _ minor: Int64) -> String { (minor > 0 ? "+" : "") + state.money(minor) }

    /// A count's net variance in words: "−2 units, +0.250 kg, −€8.00 at cost".
    static func net(_ totals: CountTotals, state: AppState) -> String {
        var parts: [String] = []
        if totals.units.milli != 0 || totals.weight.milli == 0 {
            parts.append("\(signed(totals.units)) unit\(abs(totals.units.milli) == Quantity.scale ? "" : "s")")
        }
        if totals.weight.milli != 0 { parts.append("\(signed(totals.weight)) kg") }
        parts.append("\(signedMoney(state, totals.value)) at cost")
        return parts.joined(separator: ", ")
    }

    static func varianceCells(_ line: CountVariance, state: AppState) -> [TableCell] {
        let changed = line.variance.milli != 0
        return [TableCell(line.sku), TableCell(line.name), TableCell(line.expected.description),
                TableCell(line.counted.description),
                TableCell(signed(line.variance), role: changed ? .stockLow : .muted),
                TableCell(line.hasCost ? signedMoney(state, line.value) : "no cost", role: line.hasCost ? .money : .muted)]
    }

    static let varianceColumns: [TableColumn] = [
        .fixed("SKU", 10), .flexible("Name"), .fixed("Books", 7, right: true), .fixed("Counted", 7, right: true),
        .fixed("Var.", 7, right: true), .fixed("Value", 10, right: true),
    ]

    /// Counting: what to type, the SKUs counted (the last one in view) and what the location still holds.
    static func drawCount(_ grid: inout CellGrid, _ sheet: CountSheet, state: AppState, in area: Rect, theme: Theme) {
        let inner = area.inner
        let x = inner.x + 1
        let width = inner.width - 2
        grid.box(x: area.x, y: area.y, width: area.width, height: area.height,
                 title: "Inventory › Count #\(sheet.id) of \(sheet.location) (\(sheet.locationName))"
                     + (sheet.category.map { " · \($0)" } ?? ""),
                 border: theme[.borderActive], titleStyle: theme[.title], fill: theme[.text])
        var inputX = x
        inputX += grid.put("Scan or type ▸ ", x: inputX, y: inner.y, style: theme[.key])
        var typed = state.inventory.input
        while !typed.isEmpty && DisplayWidth.of(typed) > x + width - inputX - 1 { typed.removeFirst() }
        inputX += grid.put(typed, x: inputX, y: inner.y, style: theme[.input])
        grid.put("▏", x: inputX, y: inner.y, style: theme[.input])
        let subject = InventoryReducer.countSubject(state, sheet)
        let subjectName = subject.flatMap { sku in
            sheet.lines.first { $0.sku == sku }?.name ?? state.inventory.list.selectedRow.flatMap { $0.sku == sku ? $0.name : nil }
        }
        let help = subject.map { "a barcode or SKU adds one (a case code its pack) · SKU QTY sets · QTY alone sets \($0) \(subjectName ?? "")" }
            ?? "a barcode or SKU adds one (a case code its pack) · SKU QTY sets the count"
        let helpRows = paragraph(&grid, help, x: x, y: inner.y + 1, width: width, style: theme[.muted], maxRows: 2)

        let bottom = inner.y + inner.height - 1  // the keys line
        var y = inner.y + 1 + helpRows
        let totals = sheet.totals
        // Rows for data: the space less two section titles and two table headers.
        let dataRows = max(2, bottom - y - 4)
        let pendingWanted = sheet.remaining == 0 ? 1 : min(sheet.pending.count, max(3, dataRows / 2))
        let countedShown = min(sheet.lines.count, max(1, dataRows - pendingWanted))
        let pendingShown = max(1, dataRows - max(1, countedShown))

        grid.put("Counted \(sheet.lines.count)" + (sheet.lines.isEmpty ? "" : " · net \(net(totals, state: state))"),
                 x: x, y: y, style: theme[.header], maxWidth: width)
        y += 1
        if sheet.lines.isEmpty {
            grid.put("Nothing yet: scan the first item on the shelf.", x: x, y: y, style: theme[.muted], maxWidth: width)
            y += 2
        } else {
            // Keep the SKU counted last in view (lines are in SKU order).
            let focus = subject.flatMap { sku in sheet.lines.firstIndex { $0.sku == sku } } ?? sheet.lines.count - 1
            let first = max(0, min(focus - countedShown / 2, sheet.lines.count - countedShown))
            let shown = Array(sheet.lines[first..<(first + countedShown)])
            Table.draw(into: &grid, x: x, y: y, width: width, columns: varianceColumns,
                       rows: shown.map { varianceCells($0, state: state) },
                       selected: subject.flatMap { sku in shown.firstIndex { $0.sku == sku } }, theme: theme)
            y += countedShown + 1
        }
        if y < bottom {
            let title = sheet.remaining == 0 ? "Still to count: none, every SKU with stock here is counted"
                : "Still to count: \(sheet.remaining) SKU\(sheet.remaining == 1 ? "" : "s") with stock on the books"
            grid.put(title, x: x, y: y, style: theme[.header], maxWidth: width)
            y += 1
        }
        if sheet.remaining > 0 && y < bottom - 1 {
            let room = min(pendingShown, bottom - y - 1)
            Table.draw(into: &grid, x: x, y: y, width: width, columns: [
                .fixed("SKU", 10), .flexible("Name"), .fixed("Books", 7, right: true),
            ], rows: sheet.pending.prefix(room).map { pending in
                [TableCell(pending.sku), TableCell(pending.name), TableCell(Formatting.quantity(pending.onHand, unit: pending.unit), role: .muted)]
            }, selected: nil, theme: theme)
        }
        grid.put("F10 review and apply · Ctrl-X cancel the count · Esc leave it open", x: x, y: bottom,
                 style: theme[.info], maxWidth: width)
    }

    /// The count's corrections before they are written: per line and in total, in units and at cost.
    static func drawCountConfirm(_ grid: inout CellGrid, _ sheet: CountSheet, state: AppState, in area: Rect, theme: Theme) {
        let inner = area.inner
        let x = inner.x + 1
        let width = inner.width - 2
        grid.box(x: area.x, y: area.y, width: area.width, height: area.height,
                 title: "Apply count #\(sheet.id) of \(sheet.location) (\(sheet.locationName))?",
                 border: theme[.borderActive], titleStyle: theme[.title], fill: theme[.text])
        let totals = sheet.totals
        let changed = sheet.lines.filter { $0.variance.milli != 0 }
        let bottom = inner.y + inner.height - 1
        var y = inner.y
        var notes: [String] = []
        notes.append(totals.changed == 0
            ? "Every SKU counted matches the books: applying closes the count and writes no correction."
            : "Net \(net(totals, state: state)), from \(totals.changed) correction\(totals.changed == 1 ? "" : "s") to the stock ledger.")
        let matching = totals.counted - totals.changed
        var rest: [String] = []
        if matching > 0 { rest.append("\(matching) counted SKU\(matching == 1 ? " matches" : "s match") the books") }
        if sheet.remaining > 0 { rest.append("\(sheet.remaining) not counted stay as they are") }
        if !rest.isEmpty { notes.append(rest.joined(separator: "; ") + ".") }
        if totals.withoutCost > 0 {
            notes.append("\(totals.withoutCost) SKU\(totals.withoutCost == 1 ? " has" : "s have") no cost and \(totals.withoutCost == 1 ? "is" : "are") not in the value.")
        }
        let noteRows = notes.reduce(0) { $0 + SubjectPrompt.wrap($1, width: width).count }
        if !changed.isEmpty {
            let room = max(1, bottom - y - noteRows - 3)
            let shown = changed.prefix(changed.count > room ? room - 1 : room)
            var rows = shown.map { varianceCells($0, state: state) }
            if changed.count > shown.count {
                rows.append([TableCell(""), TableCell("… and \(changed.count - shown.count) more corrections", role: .muted)])
            }
            rows.append([TableCell("Total", role: .total), TableCell(""), TableCell(""), TableCell(""),
                         TableCell(totals.weight.milli == 0 ? signed(totals.units) : "", role: .total),
                         TableCell(signedMoney(state, totals.value), role: .total)])
            Table.draw(into: &grid, x: x, y: y, width: width, columns: varianceColumns, rows: rows, selected: nil, theme: theme)
            y += rows.count + 2
        }
        for note in notes where y < bottom {
            y += paragraph(&grid, note, x: x, y: y, width: width, style: theme[.text], maxRows: bottom - y)
        }
        grid.put("Enter applies these corrections · Esc goes back to counting", x: x, y: bottom, style: theme[.info], maxWidth: width)
    }
}
