import Foundation
import TillCore

/// The HQ app's screen: state in, cells out, nothing else (as `AppView` is for a store).
public enum HQAppView {
    public static func render(_ state: HQAppState, theme: Theme) -> CellGrid {
        var grid = CellGrid(width: state.size.width, height: state.size.height, fill: theme[.text])
        guard !state.size.isTooSmall else {
            let lines = ["terminal too small (need \(ScreenSize.minimum.width)×\(ScreenSize.minimum.height), have \(state.size.width)×\(state.size.height))",
                         "enlarge the window, or press Ctrl-Q to quit"]
            for (index, line) in lines.enumerated() {
                let text = line.clipped(toWidth: grid.width)
                grid.put(text, x: max(0, (grid.width - DisplayWidth.of(text)) / 2), y: max(0, grid.height / 2 - 1) + index,
                         style: index == 0 ? theme[.error] : theme[.muted])
            }
            return grid
        }
        drawTabBar(&grid, state: state, theme: theme)
        let body = Rect(x: 0, y: 1, width: state.size.width, height: state.size.height - 2)
        switch state.pane {
        case .orders:
            if let order = state.orders.detail {
                drawOrder(&grid, order, state: state, in: body, theme: theme)
            } else {
                drawOrders(&grid, state: state, in: body, theme: theme)
            }
        case .stock:
            drawStock(&grid, state: state, in: body, theme: theme)
        }
        if state.showingHelp { drawHelp(&grid, state: state, theme: theme) }
        drawStatusBar(&grid, state: state, theme: theme)
        return grid
    }

    static func drawTabBar(_ grid: inout CellGrid, state: HQAppState, theme: Theme) {
        grid.fill(x: 0, y: 0, width: grid.width, height: 1, style: theme[.statusBar])
        var x = grid.put(" Till HQ ", x: 0, y: 0, style: theme[.title])
        for (index, pane) in HQAppState.Pane.allCases.enumerated() {
            x += grid.put(" F\(index + 1) \(pane.title) ", x: x, y: 0, style: pane == state.pane ? theme[.tabActive] : theme[.tabInactive])
            x += grid.put(" ", x: x, y: 0, style: theme[.statusBar])
        }
        let room = max(0, grid.width - x - 2)
        let place = "read-only · " + state.place
        let text = DisplayWidth.of(place) <= room ? place : (DisplayWidth.of("read-only") <= room ? "read-only" : "")
        grid.put(text, x: grid.width - DisplayWidth.of(text) - 1, y: 0, style: theme[.statusBar])
    }

    static func money(_ units: Int64, _ state: HQAppState, code: String? = nil) -> String {
        let currency = state.currency ?? (code.flatMap { try? Currency.named($0) }) ?? .EUR
        return Money(minorUnits: units, currency: currency).formatted()
    }

    /// HQ keeps times in UTC (a store's zone is the store's); shown to the minute.
    static func time(_ iso: String) -> String {
        guard iso.count >= 16 else { return iso }
        return String(iso.prefix(16)).replacingOccurrences(of: "T", with: " ")
    }

    // MARK: - Orders

    static func drawOrders(_ grid: inout CellGrid, state: HQAppState, in area: Rect, theme: Theme) {
        let pane = state.orders
        let count = pane.loading && pane.rows.isEmpty ? "searching…" : "\(pane.rows.count)\(pane.rows.count >= HQAppReducer.orderLimit ? "+" : "")"
        grid.box(x: area.x, y: area.y, width: area.width, height: area.height, title: "Orders at HQ, every store (\(count))",
                 border: theme[.borderActive], titleStyle: theme[.title], fill: theme[.text])
        let inner = area.inner
        grid.inputLine("Search: ", text: pane.search, in: area, theme: theme)
        let hint: (String, ThemeRole)
        if let problem = pane.problem {
            hint = (problem, .error)
        } else if let reason = pane.unreachable {
            hint = ("head office cannot be reached (\(reason)): the orders shown are from the last answer", .error)
        } else {
            hint = ("S012-1001 · S012 · #1042 · card:4242 · sku:COF-002 · staff:ana · 12.50 · 2026-12-01 · from:/to:", .muted)
        }
        // Two rows, so a refusal is read whole at 80 columns.
        let hintLines = WordWrap.lines(hint.0, width: inner.width - 2)
        for (index, line) in hintLines.prefix(2).enumerated() {
            let text = index == 1 && hintLines.count > 2 ? WordWrap.clipped(hintLines[1...].joined(separator: " "), width: inner.width - 2) : line
            grid.put(text, x: inner.x + 1, y: inner.y + 1 + index, style: theme[hint.1])
        }
        let columns: [TableColumn] = [.fixed("order", 12), .fixed("completed (UTC)", 16), .fixed("register", 8),
                                      .flexible("staff", minimum: 8), .fixed("total", 12, right: true), .fixed("", 7)]
        let rows = HQAppReducer.listRows(state)
        let shown = pane.rows.dropFirst(pane.top).prefix(rows)
        let cells = shown.map { order -> [TableCell] in
            [TableCell(order.chainNumber), TableCell(time(order.completedAt)), TableCell(order.register),
             TableCell(order.staff ?? "—"), TableCell(money(order.total, state, code: order.currency), role: .money),
             order.voided ? TableCell("voided", role: .error) : TableCell("")]
        }
        Table.draw(into: &grid, x: inner.x + 1, y: inner.y + 3, width: inner.width - 2, columns: columns, rows: Array(cells),
                   selected: pane.rows.isEmpty ? nil : pane.selected - pane.top, theme: theme)
        if pane.rows.isEmpty, pane.problem == nil, !pane.loading {
            let text = state.currency == nil ? "waiting for head office…" : "no orders at HQ match \"\(pane.search)\""
            grid.put(WordWrap.clipped(text, width: inner.width - 4), x: inner.x + 2, y: inner.y + 5, style: theme[.muted])
        }
    }

    static func drawOrder(_ grid: inout CellGrid, _ order: HQOrder, state: HQAppState, in area: Rect, theme: Theme) {
        grid.box(x: area.x, y: area.y, width: area.width, height: area.height, title: "Order \(order.chainNumber) · read-only at HQ",
                 border: theme[.borderActive], titleStyle: theme[.title], fill: theme[.text])
        let inner = area.inner
        var y = inner.y
        let width = inner.width - 2
        let x = inner.x + 1
        let facts = "store \(order.store) · register \(order.register) · \(order.staff ?? "no staff") · \(time(order.completedAt)) UTC"
            + (order.businessDay.map { " · day \($0)" } ?? "")
        grid.put(WordWrap.clipped(facts, width: width), x: x, y: y, style: theme[.text])
        y += 1
        if order.voided {
            grid.put("VOIDED at the store", x: x, y: y, style: theme[.error])
            y += 1
        }
        y += 1
        let lines = order.lines ?? []
        let payments = order.payments ?? []
        // What fits: the lines first, then payments, the total and the refund rule at the foot.
        let foot = 1 + payments.count + 1 + 2
        let lineRoom = max(1, inner.y + inner.height - y - foot - 1)
        let columns: [TableColumn] = [.fixed("sku", 12), .flexible("item", minimum: 12), .fixed("qty", 7, right: true),
                                      .fixed("price", 10, right: true), .fixed("discount", 9, right: true), .fixed("total", 11, right: true)]
        var cells = lines.prefix(lineRoom).map { line -> [TableCell] in
            [TableCell(line.sku), TableCell(line.name), TableCell(Quantity(milli: line.quantityMilli).description),
             TableCell(money(line.unitPrice, state, code: order.currency)),
             TableCell(line.discount == 0 ? "" : "−" + money(line.discount, state, code: order.currency)),
             TableCell(money(line.total, state, code: order.currency), role: .money)]
        }
        if lines.count > lineRoom { cells[cells.count - 1] = [TableCell("…"), TableCell("and \(lines.count - lineRoom + 1) more lines", role: .muted)] }
        Table.draw(into: &grid, x: x, y: y, width: width, columns: columns, rows: cells, selected: nil, theme: theme)
        y += cells.count + 2
        for payment in payments {
            var method = payment.method.replacingOccurrences(of: "_", with: " ")
            if let brand = payment.cardBrand { method += " \(brand)" }
            if let last4 = payment.cardLast4 { method += " ••\(last4)" }
            let amount = money(payment.amount, state, code: order.currency)
            grid.put(WordWrap.clipped("paid " + method, width: width - 14), x: x, y: y, style: theme[.text])
            grid.put(amount.padded(toWidth: 12, alignRight: true), x: x + width - 12, y: y, style: theme[.money])
            y += 1
        }
        let total = money(order.total, state, code: order.currency)
        grid.put("Total", x: x, y: y, style: theme[.total])
        grid.put(total.padded(toWidth: 12, alignRight: true), x: x + width - 12, y: y, style: theme[.total])
        let rule = state.returnsAnywhere
            ? "Refunds: at any store of the chain, into its own stock (cash or store credit; back to the card only at \(order.store))."
            : "Refunds: only at \(order.store), the store that sold it (head office has not allowed returns at other stores)."
        let ruleLines = WordWrap.lines(rule, width: width)
        for (index, line) in ruleLines.prefix(2).enumerated() {
            grid.put(line, x: x, y: inner.y + inner.height - min(2, ruleLines.count) + index, style: theme[.muted])
        }
    }

    // MARK: - Stock

    static func drawStock(_ grid: inout CellGrid, state: HQAppState, in area: Rect, theme: Theme) {
        let pane = state.stock
        let leftWidth = max(30, area.width * 2 / 5)
        let left = Rect(x: area.x, y: area.y, width: leftWidth, height: area.height)
        let right = Rect(x: area.x + leftWidth, y: area.y, width: area.width - leftWidth, height: area.height)
        grid.box(x: left.x, y: left.y, width: left.width, height: left.height, title: "Products at HQ",
                 border: theme[.borderActive], titleStyle: theme[.title], fill: theme[.text])
        grid.inputLine("SKU or name: ", text: pane.search, in: left, theme: theme)
        let inner = left.inner
        if let problem = pane.problem {
            let lines = WordWrap.lines(problem, width: inner.width - 2)
            for (index, line) in lines.prefix(3).enumerated() {
                grid.put(line, x: inner.x + 1, y: inner.y + 1 + index, style: theme[.error])
            }
        }
        let rows = HQAppReducer.listRows(state)
        let shown = pane.matches.dropFirst(pane.top).prefix(rows)
        let cells = shown.map { [TableCell($0.sku), TableCell($0.name.isEmpty ? "(not in HQ's catalog)" : $0.name)] }
        Table.draw(into: &grid, x: inner.x + 1, y: inner.y + 2, width: inner.width - 2,
                   columns: [.fixed("sku", 12), .flexible("name", minimum: 8)], rows: Array(cells),
                   selected: pane.matches.isEmpty ? nil : pane.selected - pane.top, theme: theme)
        if pane.matches.isEmpty, pane.problem == nil, !pane.loading {
            grid.put(WordWrap.clipped("nothing at HQ matches \"\(pane.search)\"", width: inner.width - 2), x: inner.x + 1, y: inner.y + 3,
                     style: theme[.muted])
        }

        let title = pane.selectedMatch.map { "\($0.sku) in every store" } ?? "Stock"
        grid.box(x: right.x, y: right.y, width: right.width, height: right.height, title: title,
                 border: theme[.border], titleStyle: theme[.title], fill: theme[.text])
        let box = right.inner
        guard let match = pane.selectedMatch else { return }
        if !match.name.isEmpty { grid.put(WordWrap.clipped(match.name, width: box.width - 2), x: box.x + 1, y: box.y, style: theme[.text]) }
        guard pane.levelsFor == match.sku else {
            grid.put("asking head office…", x: box.x + 1, y: box.y + 2, style: theme[.muted])
            return
        }
        guard !pane.levels.isEmpty else {
            grid.put(WordWrap.clipped("no store has reported stock of \(match.sku)", width: box.width - 2), x: box.x + 1, y: box.y + 2,
                     style: theme[.muted])
            return
        }
        let room = max(1, box.height - 5)
        var levelCells = pane.levels.prefix(room).map { level -> [TableCell] in
            let onHand = Quantity(milli: level.onHandMilli)
            return [TableCell(level.store), TableCell(level.location), TableCell(onHand.description, role: level.onHandMilli < 0 ? .stockNegative : .text),
                    TableCell(level.asOf.map(time) ?? "#\(level.asOfSeq)", role: .muted)]
        }
        if pane.levels.count > room { levelCells[levelCells.count - 1] = [TableCell("…"), TableCell("\(pane.levels.count - room + 1) more", role: .muted)] }
        Table.draw(into: &grid, x: box.x + 1, y: box.y + 2, width: box.width - 2,
                   columns: [.fixed("store", 6), .fixed("location", 8), .fixed("on hand", 8, right: true), .flexible("as of (UTC)", minimum: 10)],
                   rows: levelCells, selected: nil, theme: theme)
        let total = Quantity(milli: pane.levels.reduce(0) { $0 + $1.onHandMilli })
        let stores = Set(pane.levels.map(\.store)).count
        grid.put(WordWrap.clipped("chain total: \(total) in \(stores) store\(stores == 1 ? "" : "s")", width: box.width - 2),
                 x: box.x + 1, y: box.y + box.height - 1, style: theme[.total])
    }

    // MARK: - Help and the status bar

    static func drawHelp(_ grid: inout CellGrid, state: HQAppState, theme: Theme) {
        var behind = state
        behind.showingHelp = false
        let bindings = HQKeyBindings.bindings(HQKeyBindings.context(behind))
        let width = min(grid.width - 4, 60)
        let height = min(grid.height - 4, bindings.count + 4)
        let x = (grid.width - width) / 2, y = (grid.height - height) / 2
        grid.box(x: x, y: y, width: width, height: height, title: "Keys", border: theme[.borderActive], titleStyle: theme[.title],
                 fill: theme[.overlay])
        for (index, binding) in bindings.prefix(height - 4).enumerated() {
            grid.put(binding.key.description.padded(toWidth: 10), x: x + 2, y: y + 1 + index, style: theme[.key])
            grid.put(WordWrap.clipped(binding.help, width: width - 14), x: x + 12, y: y + 1 + index, style: theme[.overlay])
        }
        grid.put(WordWrap.clipped("Typing searches. Read-only: nothing here changes HQ.", width: width - 4),
                 x: x + 2, y: y + height - 2, style: theme[.muted])
    }

    static func drawStatusBar(_ grid: inout CellGrid, state: HQAppState, theme: Theme) {
        let y = grid.height - 1
        grid.fill(x: 0, y: y, width: grid.width, height: 1, style: theme[.statusBar])
        if let message = state.message {
            grid.put(" " + WordWrap.clipped(message.text, width: grid.width - 2), x: 0, y: y, style: message.isError ? theme[.error] : theme[.info])
            return
        }
        var x = 1
        for binding in HQKeyBindings.bindings(HQKeyBindings.context(state)) {
            guard let label = binding.label else { continue }
            let keyText = binding.key.description
            let needed = DisplayWidth.of(keyText) + 1 + DisplayWidth.of(label) + 2
            guard x + needed <= grid.width else { break }
            x += grid.put(keyText, x: x, y: y, style: theme[.key])
            x += grid.put(" " + label + "  ", x: x, y: y, style: theme[.statusBar])
        }
    }
}
