import TillCore

enum RegisterView {
    static func draw(_ grid: inout CellGrid, state: AppState, in area: Rect, theme: Theme) {
        let sideBySide = area.width >= Layout.sideBySideWidth
        let cartWidth = sideBySide ? area.width * 3 / 5 : area.width
        let cart = Rect(x: area.x, y: area.y, width: cartWidth, height: area.height)
        drawCart(&grid, state: state, in: cart, theme: theme)
        if sideBySide {
            let finder = Rect(x: area.x + cartWidth, y: area.y, width: area.width - cartWidth, height: area.height)
            drawFinder(&grid, state: state, in: finder, theme: theme, overlay: false)
        } else if !state.register.suggestions.isEmpty {
            // Narrow screens: the matches cover the cart lines, never the totals or the input line.
            let room = cartListHeight(state.register, in: cart) + 1
            let height = max(4, min(state.register.suggestions.count + 3, room))
            let finder = Rect(x: area.x + 2, y: area.y + 1, width: area.width - 4, height: height)
            drawFinder(&grid, state: state, in: finder, theme: theme, overlay: true)
        }
    }

    /// Rows for cart lines (with their header), after the totals block and the input line.
    static func cartListHeight(_ register: RegisterState, in area: Rect) -> Int {
        max(1, area.inner.height - 2 - totalsHeight(register) - 1)
    }

    static func totalsHeight(_ register: RegisterState) -> Int {
        guard let pricing = register.pricing, !register.lines.isEmpty else { return 0 }
        let taxes = pricing.taxes.filter { $0.tax != 0 }.count
        return 2 + taxes + (pricing.discountTotal > 0 ? 1 : 0)
    }

    static func drawCart(_ grid: inout CellGrid, state: AppState, in area: Rect, theme: Theme) {
        let register = state.register
        grid.box(x: area.x, y: area.y, width: area.width, height: area.height, title: "Sale",
                 border: theme[.borderActive], titleStyle: theme[.title], fill: theme[.text])
        let inner = area.inner
        let x = inner.x + 1
        let width = inner.width - 2
        let pricing = register.pricing
        let taxes: [TaxBreakdown] = (pricing?.taxes ?? []).filter { $0.tax != 0 }
        let totalsHeight = totalsHeight(register)
        let inputY = inner.y + inner.height - 1
        let listHeight = cartListHeight(register, in: area)

        if register.lines.isEmpty {
            grid.put("Scan a barcode or type a SKU or name, then Enter.", x: x, y: inner.y + 1, style: theme[.muted],
                     maxWidth: width)
        } else {
            // Keep the selected line in view: show the last lines that end with it.
            let first = max(0, min(register.selected - listHeight + 1, register.lines.count - listHeight))
            let shown = Array(register.lines.enumerated()).dropFirst(max(0, first)).prefix(listHeight)
            let rows = shown.map { index, line -> [TableCell] in
                let total = pricing?.lines.indices.contains(index) == true ? pricing?.lines[index].total ?? 0 : 0
                return [TableCell(String(index + 1)), TableCell(line.item.displayName),
                        TableCell(Formatting.quantity(line.quantity, unit: line.item.unit)),
                        TableCell(state.money(line.item.price), role: .money), TableCell(state.money(total), role: .money)]
            }
            Table.draw(into: &grid, x: x, y: inner.y, width: width, columns: [
                .fixed("#", 3, right: true), .flexible("Item"), .fixed("Qty", 8, right: true),
                .fixed("Price", 10, right: true), .fixed("Total", 11, right: true),
            ], rows: rows, selected: register.selected - max(0, first), theme: theme)
        }

        if let pricing, !register.lines.isEmpty {
            var y = inputY - 1 - totalsHeight
            let labelX = x + max(0, width - 40)
            func total(_ label: String, _ amount: Int64, role: ThemeRole = .money) {
                grid.put(label.padded(toWidth: 26), x: labelX, y: y, style: theme[role == .total ? .total : .text])
                grid.put(state.money(amount).padded(toWidth: 14, alignRight: true), x: labelX + 26, y: y, style: theme[role])
                y += 1
            }
            let items = register.lines.reduce(Quantity.zero) { $0 + ($1.item.unit == .each ? $1.quantity : .one) }
            grid.put("\(items) item\(items == .one ? "" : "s")", x: x, y: y, style: theme[.muted])
            total("Subtotal", pricing.subtotal)
            if pricing.discountTotal > 0 { total("Discounts", -pricing.discountTotal) }
            for tax in taxes {
                total("Tax \(tax.taxClassCode) \(TaxClass.formatRate(tax.ratePPM))%\(pricing.taxInclusive ? " incl." : "")", tax.tax)
            }
            total("TOTAL", pricing.total, role: .total)
        }

        grid.fill(x: inner.x, y: inputY - 1, width: inner.width, height: 1, style: theme[.text])
        grid.put(String(repeating: "─", count: inner.width), x: inner.x, y: inputY - 1, style: theme[.border])
        var inputX = x
        inputX += grid.put("Scan or type ▸ ", x: inputX, y: inputY, style: theme[.inputLabel])
        var shown = register.input
        while DisplayWidth.of(shown) > width - (inputX - x) - 2 { shown.removeFirst() }
        inputX += grid.put(shown, x: inputX, y: inputY, style: theme[.input])
        grid.put("▏", x: inputX, y: inputY, style: theme[.input])
    }

    static func drawFinder(_ grid: inout CellGrid, state: AppState, in area: Rect, theme: Theme, overlay: Bool) {
        let register = state.register
        let title = register.suggestionsFor.isEmpty ? "Find" : "Matches for “\(register.suggestionsFor)”"
        grid.box(x: area.x, y: area.y, width: area.width, height: area.height, title: title,
                 border: overlay ? theme[.borderActive] : theme[.border], titleStyle: theme[.title],
                 fill: overlay ? theme[.overlay] : theme[.text])
        let inner = area.inner
        guard !register.suggestions.isEmpty else {
            let hints = ["Type letters to search the catalog;", "Enter adds the top match.",
                         "Digits + Enter: a barcode or SKU."]
            for (index, hint) in hints.enumerated() where index < inner.height {
                grid.put(hint, x: inner.x + 1, y: inner.y + index, style: theme[.muted], maxWidth: inner.width - 2)
            }
            return
        }
        let rows = register.suggestions.prefix(max(0, inner.height - 1)).map { item in
            [TableCell(item.sku), TableCell(item.displayName), TableCell(state.money(item.price), role: .money)]
        }
        Table.draw(into: &grid, x: inner.x + 1, y: inner.y, width: inner.width - 2, columns: [
            .fixed("SKU", 11), .flexible("Name"), .fixed("Price", 10, right: true),
        ], rows: rows, selected: 0, theme: theme)
    }
}
