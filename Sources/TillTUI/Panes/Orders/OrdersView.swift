import Foundation
import TillCore

enum OrdersView {
    static func draw(_ grid: inout CellGrid, state: AppState, in area: Rect, theme: Theme) {
        if let detail = state.orders.detail {
            drawDetail(&grid, detail: detail, state: state, in: area, theme: theme)
            return
        }
        let wide = area.width >= 100
        // A big store's numbers (#1011123) show whole: the column is as wide as the widest one loaded.
        let numberWidth = max(7, state.orders.list.rows.map { 1 + String($0.number ?? 0).count }.max() ?? 0)
        var columns: [TableColumn] = [.fixed("Order", numberWidth), .fixed("Date", 16), .flexible("Customer")]
        if wide { columns.append(.fixed("Staff", 8)) }
        columns += [.fixed("Items", 5, right: true), .fixed("Total", 13, right: true), .fixed("Status", 13)]
        ListPaneView.draw(&grid, in: area, title: "Orders", search: state.orders.search,
                          searchFocused: state.orders.searchFocused,
                          searchHint: OrderSearchSyntax.hint, filters: "newest first",
                          list: state.orders.list, columns: columns, emptyText: "", theme: theme) { order in
            var cells = [TableCell(order.number.map { "#\($0)" } ?? "—"), TableCell(Formatting.dateTime(order.completedAt ?? order.createdAt, in: state.store.timeZone)),
                         TableCell(order.customerName ?? "walk-in", role: order.customerName == nil ? .muted : nil)]
            if wide { cells.append(TableCell(order.staffUsername ?? "")) }
            cells += [TableCell(String(order.lineCount)), TableCell(state.money(order.total), role: .money),
                      TableCell(Formatting.status(order.status), role: order.status == .completed ? nil : .stockLow)]
            return cells
        }
        if state.orders.list.isEmpty { drawGuide(&grid, state: state, in: area, theme: theme) }
    }

    /// In place of the rows when nothing matches: why (a field typed wrong), then what can be typed.
    private static func drawGuide(_ grid: inout CellGrid, state: AppState, in area: Rect, theme: Theme) {
        let inner = area.inner
        let x = inner.x + 1
        let width = inner.width - 2
        var y = inner.y + 3
        let bottom = inner.y + inner.height
        if let problem = state.orders.searchProblem {
            for line in wrap(problem, width: width, maxLines: 3) {
                grid.put(line, x: x, y: y, style: theme[.error], maxWidth: width)
                y += 1
            }
        } else {
            grid.put(state.orders.search.isEmpty ? "No orders yet." : "No orders match.", x: x, y: y, style: theme[.muted], maxWidth: width)
            y += 1
        }
        y += 1
        guard y < bottom else { return }
        grid.put("Search by (fields combine; Esc clears):", x: x, y: y, style: theme[.header], maxWidth: width)
        y += 1
        for entry in OrderSearchSyntax.guide where y < bottom {
            grid.put(entry.example, x: x + 2, y: y, style: theme[.key], maxWidth: 28)
            grid.put(entry.meaning, x: x + 31, y: y, style: theme[.muted], maxWidth: max(0, width - 31))
            y += 1
        }
    }

    static func drawDetail(_ grid: inout CellGrid, detail: OrderDetail, state: AppState, in area: Rect, theme: Theme) {
        if state.orders.showingCode, let code = detail.receiptCode {
            drawCode(&grid, code, number: detail.order.number, in: area, theme: theme)
            return
        }
        let order = detail.order
        let title = "Orders › #\(order.number.map(String.init) ?? "—")"
        grid.box(x: area.x, y: area.y, width: area.width, height: area.height, title: title,
                 border: theme[.borderActive], titleStyle: theme[.title], fill: theme[.text])
        let inner = area.inner
        if state.orders.showingTimeline {
            drawTimelineTab(&grid, detail: detail, state: state, in: area, theme: theme)
            return
        }
        // The timeline takes a right-hand column when there is room for it; else `t` shows it.
        let timelineWidth = inner.width >= 110 ? 44 : 0
        let x = inner.x + 1
        let width = inner.width - 2 - (timelineWidth > 0 ? timelineWidth + 3 : 0)
        var y = inner.y
        let who = [detail.customer.map { "Customer: \($0.name)" } ?? "Walk-in customer",
                   detail.staff.map { "Staff: \($0.username)" } ?? ""].filter { !$0.isEmpty }.joined(separator: "  ·  ")
        grid.put("\(Formatting.status(order.status).uppercased())  \(Formatting.dateTime(order.completedAt ?? order.createdAt, in: state.store.timeZone))  ·  \(who)",
                 x: x, y: y, style: theme[.title], maxWidth: width)
        // A sale edited outside Till says so where support reads it.
        if let problem = detail.journalProblem {
            grid.put("⚠ Not as journaled: \(problem)", x: x, y: y + 1, style: theme[.error], maxWidth: width)
        }
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
        // At 80 columns the item's name needs the room an empty Discount column would take.
        let showDiscount = width >= 100 || detail.lines.contains { $0.discount > 0 }
        let lineRows = shown.map { index, line in
            let back = refunded[line.id ?? 0]
            var cells = [TableCell(String(index + 1)), TableCell(line.sku), TableCell(line.name), TableCell(line.quantity.description),
                         TableCell(back.map { "-\($0)" } ?? "", role: .stockLow),
                         TableCell(state.money(line.unitPrice), role: .money)]
            if showDiscount { cells.append(TableCell(line.discount > 0 ? "-" + state.money(line.discount) : "")) }
            return cells + [TableCell(state.money(line.total), role: .money)]
        }
        var lineColumns: [TableColumn] = [
            .fixed("#", 3, right: true), .fixed("SKU", 11), .flexible("Item"), .fixed("Qty", 6, right: true),
            .fixed("Back", 6, right: true), .fixed("Price", 10, right: true),
        ]
        if showDiscount { lineColumns.append(.fixed("Discount", 10, right: true)) }
        Table.draw(into: &grid, x: x, y: y, width: width, columns: lineColumns + [.fixed("Total", 11, right: true)],
                   rows: lineRows, selected: selected - first, theme: theme)
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
                let options = area.width >= 110
                    ? "   F6 \(form.restock ? "restock to floor" : "NOT restocked")   F7 to \(form.toStoreCredit ? "store credit" : "original payment")   Enter refund"
                    : "   F6 \(form.restock ? "restock" : "NO restock")   F7 to \(form.toStoreCredit ? "credit" : "original")   Enter refunds"
                grid.inputLine(what, text: (form.line == nil ? "" : form.quantity) + options, in: row, theme: theme)
            case let .note(text):
                grid.inputLine("Note: ", text: text, in: row, theme: theme)
            case .confirmVoid:
                grid.inputLine("Void order #\(order.number.map(String.init) ?? "")? ", text: "Enter voids (payments back, stock returned) · Esc keeps it", in: row, theme: theme)
            case let .approveVoid(form):
                drawApproval(&grid, form: form, theme: theme)
            }
        } else {
            let keys = area.width >= 110
                ? " ↑↓ line · Ctrl-R refund line · Ctrl-A refund all · Ctrl-V void · Ctrl-N note · Ctrl-P reprint · t timeline · q code · Esc back "
                : " ↑↓ · ^R refund · ^V void · ^N note · ^P reprint · t timeline · q code "
            grid.put(keys, x: area.x + 2, y: area.y + area.height - 1, style: theme[.muted], maxWidth: area.width - 4)
        }
    }

    /// The same box as the Register's manager approval, over the order.
    private static func drawApproval(_ grid: inout CellGrid, form: VoidApproval, theme: Theme) {
        CredentialsView.draw(&grid, title: "Manager approval", reason: form.reason, username: form.username, pin: form.pin,
                             onPIN: form.onPIN, cover: false, theme: theme)
    }

    /// Rows of the timeline tab: when, who, then what happened, wrapped under itself.
    static func timelineRows(_ detail: OrderDetail, state: AppState) -> [(text: String, role: ThemeRole)] {
        let width = state.size.width - 4
        let what = max(12, width - 28)
        var rows: [(String, ThemeRole)] = []
        for event in detail.timeline {
            let head = Formatting.dateTime(event.at, in: state.store.timeZone).padded(toWidth: 16) + "  "
                + String((event.staff ?? "—").prefix(8)).padded(toWidth: 8) + "  "
            let role: ThemeRole = event.what.hasPrefix("note:") ? .info : event.what.hasPrefix("refunded") || event.what.hasPrefix("voided") ? .stockLow : .text
            for (index, chunk) in wrap(event.what, width: what, maxLines: 20).enumerated() {
                rows.append(((index == 0 ? head : String(repeating: " ", count: 28)) + chunk, role))
            }
        }
        return rows
    }

    /// Timeline rows that fit under the order's header at this size.
    static func timelineRoom(_ size: ScreenSize) -> Int { max(1, size.height - 2 - 2 - 3) }

    /// The timeline and notes across the whole detail, for screens too narrow to show it beside the lines.
    private static func drawTimelineTab(_ grid: inout CellGrid, detail: OrderDetail, state: AppState, in area: Rect, theme: Theme) {
        let inner = area.inner
        let x = inner.x + 1
        let width = inner.width - 2
        let order = detail.order
        let notes = detail.notes.count
        grid.put("\(Formatting.status(order.status).uppercased())  total \(state.money(order.total))  ·  timeline\(notes > 0 ? " and \(notes) note\(notes == 1 ? "" : "s")" : "")",
                 x: x, y: inner.y, style: theme[.title], maxWidth: width)
        grid.put("When".padded(toWidth: 18) + "Who".padded(toWidth: 10) + "What", x: x, y: inner.y + 2, style: theme[.header], maxWidth: width)
        let rows = timelineRows(detail, state: state)
        let room = timelineRoom(state.size)
        let top = min(state.orders.timelineTop, max(0, rows.count - room))
        for (offset, row) in rows.dropFirst(top).prefix(room).enumerated() {
            grid.put(row.text, x: x, y: inner.y + 3 + offset, style: theme[row.role], maxWidth: width)
        }
        let more = [top > 0 ? "↑ \(top) earlier" : "", rows.count > top + room ? "↓ \(rows.count - top - room) later" : ""]
            .filter { !$0.isEmpty }.joined(separator: " · ")
        let keys = " t lines · ↑↓ PgUp PgDn scroll · ^N note · ^P reprint · Esc back " + (more.isEmpty ? "" : "· \(more) ")
        grid.put(keys, x: area.x + 2, y: area.y + area.height - 1, style: theme[.muted], maxWidth: area.width - 4)
    }

    /// Who did what to the order, newest at the bottom, as much as fits.
    private static func drawTimeline(_ grid: inout CellGrid, detail: OrderDetail, x: Int, y: Int, width: Int, height: Int,
                                     theme: Theme, timeZone: TimeZone) {
        grid.put("Timeline", x: x, y: y, style: theme[.title])
        var rows: [(String, ThemeRole)] = []
        for event in detail.timeline {
            rows.append(("\(Formatting.dateTime(event.at, in: timeZone)) \(event.staff ?? "")", .muted))
            for chunk in wrap(event.what, width: width - 2, maxLines: 4) { rows.append(("  " + chunk, .text)) }
        }
        let room = max(0, height - 2)
        for (offset, row) in rows.suffix(room).enumerated() {
            grid.put(row.0, x: x, y: y + 2 + offset, style: theme[row.1], maxWidth: width)
        }
    }

    private static func wrap(_ text: String, width: Int, maxLines: Int) -> [String] {
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
        return lines.prefix(maxLines).map { $0.count > width ? String($0.prefix(width - 1)) + "…" : $0 }
    }

    /// The receipt's signed code, as a phone scans it from the screen: light ink on black whatever the theme (a
    /// reader wants dark modules on a light ground, and the half blocks draw the light ones). When the screen is
    /// too small to hold it whole, it says so rather than show a cut code that will not scan.
    static func drawCode(_ grid: inout CellGrid, _ code: ReceiptCode, number: Int64?, in area: Rect, theme: Theme) {
        grid.box(x: area.x, y: area.y, width: area.width, height: area.height,
                 title: "Orders › #\(number.map(String.init) ?? "—") › receipt code (q or Esc: back)",
                 border: theme[.borderActive], titleStyle: theme[.title], fill: theme[.text])
        let inner = area.inner
        let all = ReceiptCodeText.lines(code)
        let symbol = all.filter { line in !line.isEmpty && line.allSatisfy { "█▀▄ ".contains($0) } }
        let words = Array(all.dropFirst(symbol.count))
        let symbolWidth = symbol.first.map { DisplayWidth.of($0) } ?? 0
        var y = inner.y
        if symbol.count + words.count <= inner.height, symbolWidth <= inner.width {
            let x = inner.x + (inner.width - symbolWidth) / 2
            let ink = CellStyle(foreground: .indexed(15), background: .black)
            for line in symbol {
                grid.put(line, x: x, y: y, style: ink)
                y += 1
            }
        } else {
            // The terminal around the pane: its top bar and status line.
            let need = "Scanning the code from this screen needs a terminal of at least \(symbolWidth + 2)×\(symbol.count + words.count + 4) "
                + "(this one is \(area.width)×\(area.height + 2)): make it larger, or reprint the receipt (Ctrl-P) — the paper has the code."
            for line in wrap(need, width: inner.width - 2, maxLines: 3) {
                grid.put(line, x: inner.x + 1, y: y, style: theme[.stockLow], maxWidth: inner.width - 2)
                y += 1
            }
            y += 1
        }
        for line in words where y < inner.y + inner.height {
            grid.put(line, x: inner.x + 1, y: y, style: theme[.muted], maxWidth: inner.width - 2)
            y += 1
        }
    }
}
