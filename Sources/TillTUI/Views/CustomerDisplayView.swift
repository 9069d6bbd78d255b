import TillCore

/// The customer's screen (`till display`): the store's name, then the sale as it is rung up, the change due and a
/// thank-you, or a welcome. A pure function of what the store holds and the screen's size.
public enum CustomerDisplayView {
    /// The smallest screen it draws on (a small counter monitor, or a 40×12 pole of text).
    public static let minimum = ScreenSize(width: 32, height: 10)

    /// `display` nil: not read yet. `problem`: why the store cannot be read now (shown instead of a stale sale).
    public static func render(_ display: CustomerDisplay?, problem: String? = nil, size: ScreenSize, theme: Theme) -> CellGrid {
        var grid = CellGrid(width: size.width, height: size.height, fill: theme[.text])
        guard size.width >= minimum.width, size.height >= minimum.height else {
            centred(&grid, ["screen too small", "for the customer display",
                            "need \(minimum.width)×\(minimum.height), have \(size.width)×\(size.height)"],
                    top: max(0, size.height / 2 - 1), styles: [theme[.error], theme[.error], theme[.muted]])
            return grid
        }
        grid.fill(x: 0, y: 0, width: size.width, height: 1, style: theme[.statusBar])
        let name = display?.storeName ?? ""
        centred(&grid, [name.clipped(toWidth: size.width - 2)], top: 0, styles: [theme[.title]])
        let body = Rect(x: 1, y: 2, width: size.width - 2, height: size.height - 3)
        if let problem {
            centred(&grid, WordWrap.lines(problem, width: body.width).prefix(body.height).map { $0 }, top: body.y + body.height / 3,
                    styles: [theme[.error]])
            return grid
        }
        guard let display else {
            centred(&grid, ["…"], top: body.y + body.height / 2, styles: [theme[.muted]])
            return grid
        }
        switch display.screen {
        case .welcome:
            let hint = WordWrap.lines("Your items will show here as they are scanned.", width: body.width)
            centred(&grid, ["Welcome", ""] + hint, top: body.y + max(0, body.height / 2 - 2),
                    styles: [theme[.title], theme[.text], theme[.muted]])
        case let .sale(sale):
            drawSale(&grid, sale, display: display, in: body, theme: theme)
        case let .thanks(thanks):
            drawThanks(&grid, thanks, display: display, in: body, theme: theme)
        }
        return grid
    }

    static func drawSale(_ grid: inout CellGrid, _ sale: CustomerDisplay.Sale, display: CustomerDisplay, in area: Rect, theme: Theme) {
        // The foot: the count and the figures the customer checks, the total large when there is room.
        var foot: [(String, String, ThemeRole)] = []
        if sale.discountTotal > 0 { foot.append(("You save", display.money(sale.discountTotal), .money)) }
        if sale.taxTotal != 0 {
            foot.append((sale.taxInclusive ? "Incl. tax" : "Tax", display.money(sale.taxTotal), .muted))
        }
        if sale.paid > 0 {
            foot.append(("Paid", display.money(sale.paid), .money))
            foot.append(("Still to pay", display.money(sale.due), .total))
        }
        let total = display.money(sale.total)
        let bigTotal = BigText.width(total) + 8 <= area.width && area.height >= 14
        let totalRows = bigTotal ? BigText.rows : 1
        let footHeight = 1 + foot.count + 1 + totalRows
        let listHeight = max(1, area.height - footHeight - 1)

        // The lines, newest at the bottom: what was just scanned is always in view.
        let showPrice = area.width >= 60
        let quantityWidth = 10, totalWidth = 11, priceWidth = showPrice ? 13 : 0
        let nameWidth = max(4, area.width - quantityWidth - totalWidth - priceWidth)
        var rows: [(String, String, String, String, ThemeRole)] = []
        for line in sale.lines {
            let price = display.money(line.unitPrice) + (line.weighed ? "/kg" : "")
            // Before its discount, with the discount on the row below, as the receipt has it: the column adds up.
            rows.append((line.name, line.quantityText, showPrice ? price : "", display.money(line.total + line.discount), .text))
            if line.discount > 0 {
                rows.append(("  " + (line.promotion ?? "discount"), "", "", "-" + display.money(line.discount), .money))
            }
        }
        let shown = rows.suffix(listHeight)
        var y = area.y
        for row in shown {
            var x = area.x
            x += grid.put(row.0.clipped(toWidth: nameWidth - 1).padded(toWidth: nameWidth), x: x, y: y, style: theme[row.4])
            x += grid.put(row.1.padded(toWidth: quantityWidth, alignRight: true), x: x, y: y, style: theme[.text])
            if showPrice { x += grid.put(row.2.padded(toWidth: priceWidth, alignRight: true), x: x, y: y, style: theme[.muted]) }
            grid.put(row.3.padded(toWidth: totalWidth, alignRight: true), x: x, y: y, style: theme[row.4 == .money ? .money : .text])
            y += 1
        }
        if rows.count > shown.count {
            grid.put("(\(rows.count - shown.count) more above)", x: area.x, y: area.y + listHeight, style: theme[.muted], maxWidth: area.width)
        }

        var footY = area.y + area.height - footHeight
        grid.put(String(repeating: "─", count: area.width), x: area.x, y: footY, style: theme[.border])
        footY += 1
        grid.put(sale.items.description, x: area.x, y: footY, style: theme[.muted], maxWidth: area.width)
        footY += 1
        let labelWidth = 14, valueWidth = 14
        let labelX = area.x + max(0, area.width - labelWidth - valueWidth)
        for (label, value, role) in foot {
            grid.put(label.padded(toWidth: labelWidth), x: labelX, y: footY, style: theme[.text])
            grid.put(value.padded(toWidth: valueWidth, alignRight: true), x: labelX + labelWidth, y: footY, style: theme[role])
            footY += 1
        }
        if bigTotal {
            grid.put("TOTAL", x: area.x, y: footY + 1, style: theme[.total])
            let x = area.x + area.width - BigText.width(total)
            for (row, text) in BigText.render(total).enumerated() { grid.put(text, x: x, y: footY + row, style: theme[.total]) }
        } else {
            grid.put("TOTAL".padded(toWidth: labelWidth), x: labelX, y: footY, style: theme[.total])
            grid.put(total.padded(toWidth: valueWidth, alignRight: true), x: labelX + labelWidth, y: footY, style: theme[.total])
        }
    }

    static func drawThanks(_ grid: inout CellGrid, _ thanks: CustomerDisplay.Thanks, display: CustomerDisplay, in area: Rect, theme: Theme) {
        // The block centred top to bottom: the totals, the change large, the thank-you.
        let height = 1 + thanks.tenders.count + 1 + (thanks.change > 0 ? 2 + BigText.rows : 0) + 1
        var y = area.y + max(0, (area.height - height) / 2)
        let labelWidth = 14, valueWidth = 14
        let x = area.x + max(0, (area.width - labelWidth - valueWidth) / 2)
        func row(_ label: String, _ value: String, _ role: ThemeRole) {
            grid.put(label.padded(toWidth: labelWidth), x: x, y: y, style: theme[.text])
            grid.put(value.padded(toWidth: valueWidth, alignRight: true), x: x + labelWidth, y: y, style: theme[role])
            y += 1
        }
        row("Total", display.money(thanks.total), .total)
        for tender in thanks.tenders { row(tender.label, display.money(tender.amount), .money) }
        y += 1
        if thanks.change > 0 {
            let amount = display.money(thanks.change)
            centred(&grid, ["Change due"], top: y, styles: [theme[.title]])
            y += 1
            if BigText.width(amount) <= area.width, y + BigText.rows + 2 <= area.y + area.height {
                let big = BigText.render(amount)
                centred(&grid, big, top: y, styles: Array(repeating: theme[.total], count: big.count))
                y += BigText.rows + 1
            } else {
                centred(&grid, [amount], top: y, styles: [theme[.total]])
                y += 2
            }
        }
        centred(&grid, ["Thank you!"], top: min(y, area.y + area.height - 1), styles: [theme[.title]])
    }

    /// Lines centred across the grid from row `top`; each takes the style at its index (the last one after).
    static func centred(_ grid: inout CellGrid, _ lines: [String], top: Int, styles: [CellStyle]) {
        for (index, line) in lines.enumerated() where top + index < grid.height {
            let text = line.clipped(toWidth: grid.width)
            let x = max(0, (grid.width - DisplayWidth.of(text)) / 2)
            grid.put(text, x: x, y: top + index, style: styles[min(index, styles.count - 1)])
        }
    }
}
