import Foundation
import TillCore

enum OrdersView {
    static func draw(_ grid: inout CellGrid, state: AppState, in area: Rect, theme: Theme) {
        if let detail = state.orders.detail {
            drawDetail(&grid, detail: detail, state: state, in: area, theme: theme)
            return
        }
        let wide = area.width >= 100
        // A big store's numbers and totals show whole: "#10111234" (8 digits), "€1,234,567.89".
        var columns: [TableColumn] = [.fixed("Order", 9), .fixed("Date", 16), .flexible("Customer")]
        if wide { columns.append(.fixed("Staff", 8)) }
        columns += [.fixed("Items", 5, right: true), .fixed("Total", 13, right: true), .fixed("Status", 13)]
        ListPaneView.draw(&grid, in: area, title: "Orders", search: state.orders.search,
                          searchFocused: state.orders.searchFocused,
                          searchHint: "order number, customer, phone or date (YYYY-MM-DD)", filters: "newest first",
                          list: state.orders.list, columns: columns, emptyText: "No orders match.", theme: theme) { order in
            var cells = [TableCell(order.number.map { "#\($0)" } ?? "—"), TableCell(Formatting.dateTime(order.completedAt ?? order.createdAt, in: state.store.timeZone)),
                         TableCell(order.customerName ?? "walk-in", role: order.customerName == nil ? .muted : nil)]
            if wide { cells.append(TableCell(order.staffUsername ?? "")) }
            cells += [TableCell(String(order.lineCount)), TableCell(state.money(order.total), role: .money),
                      TableCell(Formatting.status(order.status), role: order.status == .completed ? nil : .stockLow)]
            return cells
        }
    }

    static func drawDetail(_ grid: inout CellGrid, detail: OrderDetail, state: AppState, in area: Rect, theme: Theme) {
        let order = detail.order
        let title = "Orders › #\(order.number.map(String.init) ?? "—")"
        grid.box(x: area.x, y: area.y, width: area.width, height: area.height, title: title,
                 border: theme[.borderActive], titleStyle: theme[.title], fill: theme[.text])
        let inner = area.inner
        // The timeline takes a right-hand column when there is room for it.
        let timelineWidth = inner.width >= 110 ? 44 : 0
        let x = inner.x + 1
        let width = inner.width - 2 - (timelineWidth > 0 ? timelineWidth + 3 : 0)
        var y = inner.y
        let who = [detail.customer.map { "Customer: \($0.name)" } ?? "Walk-in customer",
                   detail.staff.map { "Staff: \($0.username)" } ?? ""].filter { !$0.isEmpty }.joined(separator: "  ·  ")
        grid.put("\(Formatting.status(order.status).uppercased())  \(Formatting.dateTime(order.completedAt ?? order.createdAt, in: state.store.timeZone))  ·  \(who)",
                 x: x, y: y, style: theme[.title], maxWidth: width)
        y += 2
        let promptRows = state.orders.prompt == nil ? 0 : 2
        let bottom = inner.y + inner.height - promptRows
        let refunds = detail.refunds.filter { $0.refund.status != .failed }
        let summaryHeight = 3 + detail.taxes.count + detail.payments.count + refunds.count
        let lineRoom = max(1, bottom - y - summaryHeight - 1)
        let refunded = detail.quantityRefunded
        let selected = min(state.orders.selectedLine, max(0, detail.lines.count - 1))
        let first = max(0, selected - (lineRoom - 2))
        let shown = Array(detail.lines.enumerated()).dropFirst(first).prefix(lineRoom - 1)
        let lineRows = shown.map { index, line in
            let back = refunded[line.id ?? 0]
            return [TableCell(String(index + 1)), TableCell(line.sku), TableCell(line.name), TableCell(line.quantity.description),
                    TableCell(back.map { "-\($0)" } ?? "", role: .stockLow),
                    TableCell(state.money(line.unitPrice), role: .money),
                    TableCell(line.discount > 0 ? "-" + state.money(line.discount) : ""),
                    TableCell(state.money(line.total), role: .money)]
        }
        Table.draw(into: &grid, x: x, y: y, width: width, columns: [
            .fixed("#", 3, right: true), .fixed("SKU", 11), .flexible("Item"), .fixed("Qty", 6, right: true),
            .fixed("Back", 6, right: true), .fixed("Price", 10, right: true), .fixed("Discount", 10, right: true),
            .fixed("Total", 11, right: true),
        ], rows: lineRows, selected: selected - first, theme: theme)
        if detail.lines.count > first + lineRows.count {
            grid.put("… \(detail.lines.count - first - lineRows.count) more lines (↓)", x: x, y: y + 1 + lineRows.count, style: theme[.muted])
        }
        y = bottom - summaryHeight
        let labelX = x + max(0, width - 54)
        func total(_ label: String, _ amount: String, role: ThemeRole = .money) {
            guard y < bottom else { return }
            grid.put(label.padded(toWidth: 40), x: labelX, y: y, style: theme[.text], maxWidth: 40)
            grid.put(amount.padded(toWidth: 14, alignRight: true), x: labelX + 40, y: y, style: theme[role])
            y += 1
        }
        total("Subtotal", state.money(order.subtotal))
        if order.discountTotal > 0 { total("Discounts", "-" + state.money(order.discountTotal)) }
        for tax in detail.taxes {
            total("Tax \(tax.code) \(TaxClass.formatRate(tax.ratePPM))%\(order.taxInclusive ? " incl." : "")", state.money(tax.tax))
        }
        total("TOTAL", state.money(order.total), role: .total)
        for payment in detail.payments {
            var label = "Paid \(payment.method.rawValue)"
            if let brand = payment.cardBrand, let last4 = payment.cardLast4 { label += " \(brand) ••\(last4)" }
            if let account = payment.creditAccountID, let code = detail.creditCodes[account] { label += " \(code)" }
            if payment.status != .captured { label += " (\(payment.status.rawValue))" }
            if let change = payment.change, change > 0 { label += " change \(state.money(change))" }
            total(label, state.money(payment.amount), role: .text)
        }
        for refund in refunds {
            let verb = refund.refund.kind == .void ? "Voided" : refund.refund.status == .pending ? "Refund on hold" : "Refunded"
            let to = refund.tenders.map { tender in
                tender.method == .card ? "card ••\(tender.cardLast4 ?? "")" : tender.method == .cash ? "cash" : (refund.creditCode ?? "credit")
            }.joined(separator: "+")
            total("\(verb) \(Formatting.dateTime(refund.refund.createdAt, in: state.store.timeZone).suffix(5)) → \(to)", "-" + state.money(refund.refund.amount),
                  role: .stockLow)
        }
        if timelineWidth > 0 {
            drawTimeline(&grid, detail: detail, x: inner.x + inner.width - timelineWidth - 1, y: inner.y,
                         width: timelineWidth, height: bottom - inner.y, theme: theme, timeZone: state.store.timeZone)
        }
        if let prompt = state.orders.prompt {
            let row = Rect(x: area.x, y: inner.y + inner.height - 2, width: area.width, height: 3)
            switch prompt {
            case let .refund(form):
                let what = form.line.map { "Refund line \($0) (\(detail.lines[$0 - 1].sku)) qty: " } ?? "Refund everything left"
                let options = "   F6 \(form.restock ? "restock to floor" : "NOT restocked")   F7 to \(form.toStoreCredit ? "store credit" : "original payment")   Enter refund"
                grid.inputLine(what, text: (form.line == nil ? "" : form.quantity) + options, in: row, theme: theme)
            case let .note(text):
                grid.inputLine("Note: ", text: text, in: row, theme: theme)
            case .confirmVoid:
                grid.inputLine("Void order #\(order.number.map(String.init) ?? "")? ", text: "Enter voids it (cards voided, cash back, stock returned); Esc keeps it", in: row, theme: theme)
            }
        } else {
            let keys = area.width >= 110
                ? " ↑↓ line · Ctrl-R refund line · Ctrl-A refund all · Ctrl-V void · Ctrl-N note · Ctrl-P reprint · Esc back "
                : " ↑↓ · ^R refund line · ^A refund all · ^V void · ^N note · ^P reprint "
            grid.put(keys, x: area.x + 2, y: area.y + area.height - 1, style: theme[.muted], maxWidth: area.width - 4)
        }
    }

    /// Who did what to the order, newest at the bottom, as much as fits.
    private static func drawTimeline(_ grid: inout CellGrid, detail: OrderDetail, x: Int, y: Int, width: Int, height: Int,
                                     theme: Theme, timeZone: TimeZone) {
        grid.put("Timeline", x: x, y: y, style: theme[.title])
        var rows: [(String, ThemeRole)] = []
        for event in detail.timeline {
            rows.append(("\(Formatting.dateTime(event.at, in: timeZone)) \(event.staff ?? "")", .muted))
            for chunk in wrap(event.what, width: width - 2) { rows.append(("  " + chunk, .text)) }
        }
        let room = max(0, height - 2)
        for (offset, row) in rows.suffix(room).enumerated() {
            grid.put(row.0, x: x, y: y + 2 + offset, style: theme[row.1], maxWidth: width)
        }
    }

    private static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 4 else { return [text] }
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            if current.isEmpty {
                current = String(word)
            } else if current.count + 1 + word.count <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = String(word)
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines.prefix(4).map { $0.count > width ? String($0.prefix(width - 1)) + "…" : $0 }
    }
}
