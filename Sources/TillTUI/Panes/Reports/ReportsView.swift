import TillCore

/// The owner's screen: the last 30 days as a bar chart, today by hour, top categories and products, and the
/// drawer of the open shift.
enum ReportsView {
    static func draw(_ grid: inout CellGrid, state: AppState, in area: Rect, theme: Theme) {
        grid.box(x: area.x, y: area.y, width: area.width, height: area.height, title: "Reports — last 30 days",
                 border: theme[.borderActive], titleStyle: theme[.title], fill: theme[.text])
        let inner = area.inner
        defer {
            if let prompt = state.reports.prompt {
                grid.inputLine(prompt.label(money: state.money), text: prompt.question ?? state.reports.input,
                               in: Rect(x: area.x, y: area.y + area.height - 3, width: area.width, height: 3), theme: theme)
            }
        }
        let x = inner.x + 1
        let width = inner.width - 2
        guard let data = state.reports.data else {
            guard let problem = state.reports.problem else {
                grid.put("Loading…", x: x, y: inner.y + 1, style: theme[.muted], maxWidth: width)
                return
            }
            // The refusal wraps between words; a cashier still runs the drawer from here, so say how.
            var y = inner.y + 1
            for line in WordWrap.lines(problem, width: width) {
                grid.put(line, x: x, y: y, style: theme[.error], maxWidth: width)
                y += 1
            }
            let drawer = "The drawer is still yours: o opens your shift (count the float), c closes it (count the drawer)."
            for line in WordWrap.lines(drawer, width: width) {
                y += 1
                grid.put(line, x: x, y: y, style: theme[.info], maxWidth: width)
            }
            return
        }
        let month = data.month
        let share = "\(month.returningCustomerPermille / 10)%"
        let headline = "\(month.orders) sales · \(state.money(month.sales)) · net \(state.money(month.netSales)) after \(state.money(month.refunds)) refunds · average \(state.money(month.averageOrder)) · \(month.itemsPerSale) per sale · margin \(state.money(month.grossMargin))\(month.grossMarginPermille.map { " (\(Margin.percentText(permille: $0)))" } ?? "") · returning customers \(share)"
        grid.put(headline, x: x, y: inner.y, style: theme[.title], maxWidth: width)

        // Left: sales by day as columns; right: categories, today, products, drawer.
        let sideWidth = width >= 110 ? 52 : 0
        let chartWidth = width - (sideWidth > 0 ? sideWidth + 2 : 0)
        let chartTop = inner.y + 2
        let bottom = inner.y + inner.height
        let chartHeight = max(3, (sideWidth > 0 ? bottom - chartTop : (bottom - chartTop) / 2) - 3)
        drawDays(&grid, days: month.byDay, x: x, y: chartTop, width: chartWidth, height: chartHeight, state: state, theme: theme)

        var y = sideWidth > 0 ? chartTop : chartTop + chartHeight + 3
        let sideX = sideWidth > 0 ? x + chartWidth + 2 : x
        let side = sideWidth > 0 ? sideWidth : width
        grid.put("Top categories", x: sideX, y: y, style: theme[.header])
        y += 1
        let categoryRows = min(month.topCategories.count, sideWidth > 0 ? 6 : 3)
        let topCategory = month.topCategories.first?.sales ?? 0
        for row in month.topCategories.prefix(categoryRows) {
            let amount = state.money(row.sales)
            grid.put(String(row.key.prefix(14)).padded(toWidth: 15), x: sideX, y: y, style: theme[.text])
            let barWidth = max(1, side - 15 - 13)
            grid.put(Charts.bar(row.sales, of: topCategory, width: barWidth, ascii: theme.ascii), x: sideX + 15, y: y, style: theme[.money])
            grid.put(amount.padded(toWidth: 12, alignRight: true), x: sideX + side - 12, y: y, style: theme[.money])
            y += 1
        }
        guard y + 2 < bottom else { return }
        y += 1
        grid.put("Today by hour  \(state.money(data.today.sales)) · \(data.today.orders) sales", x: sideX, y: y, style: theme[.header], maxWidth: side)
        y += 1
        grid.put(Charts.sparkline(data.today.byHour, ascii: theme.ascii), x: sideX, y: y, style: theme[.money])
        grid.put("0h    6h    12h   18h  23h", x: sideX, y: y + 1, style: theme[.muted], maxWidth: side)
        y += 3
        if y + 2 < bottom, sideWidth > 0 {
            grid.put("Top products", x: sideX, y: y, style: theme[.header])
            y += 1
            for row in month.topProducts.prefix(max(0, min(5, bottom - y - 4))) {
                grid.put(String(row.key.prefix(side - 14)), x: sideX, y: y, style: theme[.text], maxWidth: side - 13)
                grid.put(state.money(row.sales).padded(toWidth: 12, alignRight: true), x: sideX + side - 12, y: y, style: theme[.money])
                y += 1
            }
            y += 1
        }
        // Blind close: a cashier counts the drawer without being told what it should hold.
        let drawer = data.shift.map { $0.expectedHidden
            ? "Drawer (\($0.shift.register)): counted blind at close · \($0.sales) sales · \($0.noSales) no-sales"
            : "Drawer (\($0.shift.register)): \(state.money($0.expectedCash)) expected · \($0.sales) sales · \($0.noSales) no-sales" }
            ?? "No shift open on register \(state.store.register): o opens one"
        if sideWidth == 0 {
            // Narrow: the charts fill the height, so the drawer goes under the headline, where it is always seen.
            grid.put(drawer, x: x, y: inner.y + 1, style: theme[.muted], maxWidth: width)
        } else if y + 1 < bottom {
            grid.put(drawer, x: sideX, y: y, style: theme[.muted], maxWidth: side)
        }
    }

    /// One column per day (two cells wide when there is room), the best day's amount above.
    private static func drawDays(_ grid: inout CellGrid, days: [SalesRow], x: Int, y: Int, width: Int, height: Int,
                                 state: AppState, theme: Theme) {
        grid.put("Sales by day", x: x, y: y, style: theme[.header])
        guard !days.isEmpty else {
            grid.put("no sales in the last 30 days", x: x, y: y + 1, style: theme[.muted])
            return
        }
        let top = days.map(\.sales).max() ?? 0
        grid.put("max \(state.money(top))", x: x + max(0, width - 20), y: y, style: theme[.muted], maxWidth: 20)
        let step = width >= days.count * 3 ? 3 : width >= days.count * 2 ? 2 : 1
        let shown = Array(days.suffix(max(1, width / step)))
        let rows = Charts.columns(shown.map(\.sales), height: height, ascii: theme.ascii)
        for (index, row) in rows.enumerated() {
            let spaced = row.map { String(repeating: String($0), count: max(1, step - 1)) + (step > 1 ? " " : "") }.joined()
            grid.put(spaced, x: x, y: y + 1 + index, style: theme[.money], maxWidth: width)
        }
        // Day-of-month labels under every seventh column.
        for (index, day) in shown.enumerated() where index % 7 == 0 {
            grid.put(String(day.key.suffix(5)), x: x + index * step, y: y + 1 + height, style: theme[.muted], maxWidth: width - index * step)
        }
    }
}
