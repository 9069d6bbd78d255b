import TillCore

enum OrdersView {
    static func draw(_ grid: inout CellGrid, state: AppState, in area: Rect, theme: Theme) {
        if let detail = state.orders.detail {
            drawDetail(&grid, detail: detail, state: state, in: area, theme: theme)
            return
        }
        let wide = area.width >= 100
        var columns: [TableColumn] = [.fixed("Order", 7), .fixed("Date", 16), .flexible("Customer")]
        if wide { columns.append(.fixed("Staff", 8)) }
        columns += [.fixed("Items", 5, right: true), .fixed("Total", 11, right: true), .fixed("Status", 13)]
        ListPaneView.draw(&grid, in: area, title: "Orders", search: state.orders.search,
                          searchFocused: state.orders.searchFocused,
                          searchHint: "order number, customer, phone or date (YYYY-MM-DD)", filters: "newest first",
                          list: state.orders.list, columns: columns, emptyText: "No orders match.", theme: theme) { order in
            var cells = [TableCell(order.number.map { "#\($0)" } ?? "—"), TableCell(Formatting.dateTime(order.completedAt ?? order.createdAt)),
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
        let x = inner.x + 1
        let width = inner.width - 2
        var y = inner.y
        let who = [detail.customer.map { "Customer: \($0.name)" } ?? "Walk-in customer",
                   detail.staff.map { "Staff: \($0.username)" } ?? ""].filter { !$0.isEmpty }.joined(separator: "  ·  ")
        grid.put("\(Formatting.status(order.status).uppercased())  \(Formatting.dateTime(order.completedAt ?? order.createdAt))  ·  \(who)",
                 x: x, y: y, style: theme[.title], maxWidth: width)
        y += 2
        let bottom = inner.y + inner.height
        let summaryHeight = 3 + detail.taxes.count + detail.payments.count
        let lineRoom = max(1, bottom - y - summaryHeight - 1)
        let lineRows = detail.lines.prefix(lineRoom - 1).map { line in
            [TableCell(line.sku), TableCell(line.name), TableCell(line.quantity.description),
             TableCell(state.money(line.unitPrice), role: .money),
             TableCell(line.discount > 0 ? "-" + state.money(line.discount) : ""),
             TableCell(state.money(line.total), role: .money)]
        }
        Table.draw(into: &grid, x: x, y: y, width: width, columns: [
            .fixed("SKU", 11), .flexible("Item"), .fixed("Qty", 6, right: true), .fixed("Price", 10, right: true),
            .fixed("Discount", 10, right: true), .fixed("Total", 11, right: true),
        ], rows: lineRows, selected: nil, theme: theme)
        if detail.lines.count > lineRows.count {
            grid.put("… \(detail.lines.count - lineRows.count) more lines", x: x, y: y + 1 + lineRows.count, style: theme[.muted])
        }
        y = bottom - summaryHeight
        let labelX = x + max(0, width - 50)
        func total(_ label: String, _ amount: String, role: ThemeRole = .money) {
            guard y < bottom else { return }
            grid.put(label.padded(toWidth: 36), x: labelX, y: y, style: theme[.text])
            grid.put(amount.padded(toWidth: 14, alignRight: true), x: labelX + 36, y: y, style: theme[role])
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
            if payment.status != .captured { label += " (\(payment.status.rawValue))" }
            if let change = payment.change, change > 0 { label += " change \(state.money(change))" }
            total(label, state.money(payment.amount), role: .text)
        }
        grid.put(" Esc back ", x: area.x + 2, y: area.y + area.height - 1, style: theme[.muted])
    }
}
