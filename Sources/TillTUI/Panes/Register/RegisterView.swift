import TillCore

enum RegisterView {
    static func draw(_ grid: inout CellGrid, state: AppState, in area: Rect, theme: Theme) {
        let register = state.register
        let sideBySide = area.width >= Layout.sideBySideWidth
        // The last receipt takes the right-hand column (the finder's, when wide enough) while the next sale starts,
        // unless matches for a search need it.
        let receiptBeside = register.receipt != nil && register.suggestions.isEmpty && area.width >= Layout.receiptBesideWidth
        let receiptColumn = receiptBeside ? receiptColumnWidth(register.receipt ?? "", in: area, leaving: 50) : 0
        let cartWidth = receiptBeside ? area.width - receiptColumn : sideBySide ? area.width * 3 / 5 : area.width
        let cart = Rect(x: area.x, y: area.y, width: cartWidth, height: area.height)
        drawCart(&grid, state: state, in: cart, theme: theme)
        if receiptBeside, let receipt = register.receipt {
            drawReceipt(&grid, receipt, in: Rect(x: area.x + cartWidth, y: area.y, width: receiptColumn, height: area.height),
                        theme: theme, overlay: false)
            if let change = register.changeDue, register.lines.isEmpty {
                let inner = cart.inner
                let box = Rect(x: inner.x + 1, y: inner.y + 3, width: inner.width - 2, height: ChangeDueView.height)
                ChangeDueView.draw(&grid, change, state: state, in: box, theme: theme)
            }
        } else if sideBySide {
            let finder = Rect(x: area.x + cartWidth, y: area.y, width: area.width - cartWidth, height: area.height)
            drawFinder(&grid, state: state, in: finder, theme: theme, overlay: false)
        } else if !register.suggestions.isEmpty {
            // Narrow screens: the matches cover the cart lines, never the totals or the input line.
            let room = cartListHeight(register, in: cart) + 1
            let height = max(4, min(register.suggestions.count + 3, room))
            drawFinder(&grid, state: state, in: Rect(x: area.x + 2, y: area.y + 1, width: area.width - 4, height: height),
                       theme: theme, overlay: true)
        }
        if let parked = register.parked { drawParked(&grid, parked: parked, selected: register.parkedSelected, state: state, in: area, theme: theme) }
        if register.prompt == .customer && !register.customerMatches.isEmpty {
            drawCustomers(&grid, register.customerMatches, in: cart, theme: theme)
        }
        if let tender = register.tender, let current = register.cart {
            TenderView.draw(&grid, tender: tender, cart: current, state: state, in: area, theme: theme)
        } else if let job = register.unprinted, cart.height > 4, cart.width > 8 {
            // On the rule over the scan line, where it stays while the next sale is rung up (messages take the
            // rows below, a receipt on screen the rows above): the receipt still owed.
            let line = " " + RegisterReducer.notPrintedLine(job) + " "
            _ = grid.put(WordWrap.clipped(line, width: cart.width - 4), x: cart.x + 2, y: cart.y + cart.height - 3, style: theme[.error])
        }
        // Narrow screens: the receipt and the change cover the empty cart until its first line lands, leaving the
        // input line in view so the cashier sees the next scan arrive.
        if !receiptBeside, register.lines.isEmpty, register.suggestions.isEmpty, register.prompt == nil,
           register.parked == nil, register.tender == nil {
            let covered = Rect(x: area.x, y: area.y, width: area.width, height: max(3, area.height - 3))
            var receiptWidth = 0
            if let receipt = register.receipt {
                receiptWidth = receiptColumnWidth(receipt, in: area, leaving: register.changeDue == nil ? 0 : 30)
                drawReceipt(&grid, receipt, in: Rect(x: covered.x, y: covered.y, width: receiptWidth, height: covered.height),
                            theme: theme, overlay: true)
            }
            if let change = register.changeDue {
                // Inside the cart's frame, beside the receipt.
                let box = Rect(x: covered.x + receiptWidth, y: covered.y + 1, width: covered.width - receiptWidth - 1,
                               height: min(ChangeDueView.height, covered.height - 1))
                ChangeDueView.draw(&grid, change, state: state, in: box, theme: theme)
            } else if receiptWidth > 0 {
                // No change to hand back (card, exact cash): beside the receipt only what comes next, not the
                // empty cart's hint cut off by the receipt.
                let rest = Rect(x: covered.x + receiptWidth, y: covered.y + 1, width: covered.width - receiptWidth - 1,
                                height: covered.height - 1)
                grid.fill(x: rest.x, y: rest.y, width: rest.width, height: rest.height, style: theme[.text])
                grid.put(WordWrap.clipped("Scan the next item.", width: max(1, rest.width - 2)), x: rest.x + 1, y: rest.y + 1,
                         style: theme[.muted])
            }
        }
    }

    /// The receipt's lines plus its box and margins, or 2/5 of the screen if that is wider, leaving `leaving`
    /// columns for what is beside it.
    static func receiptColumnWidth(_ receipt: String, in area: Rect, leaving: Int) -> Int {
        let widest = receipt.split(separator: "\n").map { DisplayWidth.of(String($0)) }.max() ?? 40
        return max(20, min(area.width - leaving, max(widest + 4, area.width * 2 / 5)))
    }

    /// Rows for cart lines (with their header), after the totals block and the input line.
    static func cartListHeight(_ register: RegisterState, in area: Rect) -> Int {
        max(1, area.inner.height - 2 - totalsHeight(register) - 1)
    }

    static func totalsHeight(_ register: RegisterState) -> Int {
        guard let cart = register.cart, !cart.isEmpty else { return 0 }
        let taxes = cart.taxes.filter { $0.tax != 0 }.count
        return 2 + taxes + (cart.order.discountTotal > 0 ? 1 : 0) + (cart.paid > 0 ? 2 : 0)
    }

    static func drawCart(_ grid: inout CellGrid, state: AppState, in area: Rect, theme: Theme) {
        let register = state.register
        let title = register.cart?.customer.map { "Sale · \($0.name)" } ?? "Sale"
        grid.box(x: area.x, y: area.y, width: area.width, height: area.height, title: title,
                 border: theme[.borderActive], titleStyle: theme[.title], fill: theme[.text])
        let inner = area.inner
        let x = inner.x + 1
        let width = inner.width - 2
        let inputY = inner.y + inner.height - 1
        let listHeight = cartListHeight(register, in: area)
        let lines = register.lines

        if lines.isEmpty {
            grid.put("Scan a barcode or type a SKU or name, then Enter.  F10: parked sales.", x: x, y: inner.y + 1,
                     style: theme[.muted], maxWidth: width)
        } else {
            // Keep the selected line in view.
            let first = max(0, min(register.selected - listHeight + 2, lines.count - listHeight + 1))
            let shown = Array(lines.enumerated()).dropFirst(first).prefix(listHeight - 1)
            // A narrow cart (the last receipt beside it) leaves out the discount column while no line has one.
            let showDiscounts = width >= 60 || lines.contains { $0.discount > 0 }
            let rows = shown.map { index, line -> [TableCell] in
                [TableCell(String(index + 1)), TableCell(line.promotion.map { "\(line.name) ★ \($0)" } ?? line.name),
                 TableCell(register.cart?.isWeighed(line) == true ? "\(line.quantity.kilograms) kg" : line.quantity.description),
                 // A weighed line's price is per kilogram, and says so.
                 TableCell(state.money(line.unitPrice) + (register.cart?.isWeighed(line) == true ? "/kg" : ""), role: .money)]
                + (showDiscounts ? [TableCell(line.discount > 0 ? "-" + state.money(line.discount) : "", role: .stockLow)] : [])
                + [TableCell(state.money(line.total), role: .money)]
            }
            Table.draw(into: &grid, x: x, y: inner.y, width: width, columns: [
                .fixed("#", 3, right: true), .flexible("Item"), .fixed("Qty", 8, right: true), .fixed("Price", 10, right: true),
            ] + (showDiscounts ? [.fixed("Disc.", 8, right: true)] : []) + [.fixed("Total", 10, right: true)],
                       rows: rows, selected: register.selected - first, theme: theme)
        }

        if let cart = register.cart, !cart.isEmpty {
            var y = inputY - 1 - totalsHeight(register)
            let labelX = x + max(0, width - 40)
            func total(_ label: String, _ amount: Int64, role: ThemeRole = .money) {
                grid.put(label.padded(toWidth: 26), x: labelX, y: y, style: theme[role == .total ? .total : .text])
                grid.put(state.money(amount).padded(toWidth: 14, alignRight: true), x: labelX + 26, y: y, style: theme[role])
                y += 1
            }
            grid.put(cart.items.description, x: x, y: y, style: theme[.muted], maxWidth: labelX > x ? labelX - x - 1 : nil)
            total("Subtotal", cart.order.subtotal)
            if cart.order.discountTotal > 0 { total("Discounts", -cart.order.discountTotal) }
            for tax in cart.taxes where tax.tax != 0 {
                total("Tax \(tax.code) \(TaxClass.formatRate(tax.ratePPM))%\(cart.order.taxInclusive ? " incl." : "")", tax.tax)
            }
            total("TOTAL", cart.order.total, role: .total)
            if cart.paid > 0 {
                total("Paid", cart.paid, role: .text)
                total("Still due", cart.due, role: .total)
            }
        }

        grid.put(String(repeating: "─", count: inner.width), x: inner.x, y: inputY - 1, style: theme[.border])
        // The scale's word on the weight being asked for, over the rule above the prompt.
        if let weighing = register.weighing, case .weight = register.prompt {
            var refused = false
            if case .refused = weighing.status { refused = true }
            grid.put(" \(weighing.summary) ", x: x, y: inputY - 1, style: theme[refused ? .error : .info], maxWidth: width)
        }
        var inputX = x
        let label = register.prompt?.label(maxWidth: width) ?? "Scan or type ▸ "
        // Beside the last receipt the cart is narrow: the question is cut to leave room to type, never past the edge.
        inputX += grid.put(WordWrap.clipped(label, width: max(1, width - 12)), x: inputX, y: inputY,
                           style: register.prompt == nil ? theme[.inputLabel] : theme[.key])
        var shown = register.input
        while !shown.isEmpty && DisplayWidth.of(shown) > width - (inputX - x) - 2 { shown.removeFirst() }
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
                         "Digits + Enter: a barcode or SKU.", "3*CODE sells three; 0.450*CODE weighs."]
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
        ], rows: rows, selected: register.suggestionSelected, theme: theme)
    }

    static func drawParked(_ grid: inout CellGrid, parked: [OrderSummary], selected: Int, state: AppState, in area: Rect, theme: Theme) {
        let height = min(area.height - 2, parked.count + 4)
        let box = Rect(x: area.x + 4, y: area.y + 2, width: min(area.width - 8, 70), height: height)
        grid.box(x: box.x, y: box.y, width: box.width, height: box.height, title: "Parked sales — Enter recalls, Esc closes",
                 border: theme[.borderActive], titleStyle: theme[.title], fill: theme[.overlay])
        let rows = parked.prefix(max(0, height - 3)).map { order in
            // The cashier's label first: it is how the sale is told apart from the others ("red coat lady").
            [TableCell(Formatting.dateTime(order.createdAt, in: state.store.timeZone)),
             TableCell([order.parkLabel.map { "“\($0)”" }, order.customerName ?? (order.parkLabel == nil ? "walk-in" : nil)]
                .compactMap { $0 }.joined(separator: " · ")),
             TableCell("\(order.lineCount) lines"), TableCell(state.money(order.total), role: .money)]
        }
        Table.draw(into: &grid, x: box.inner.x + 1, y: box.inner.y, width: box.inner.width - 2, columns: [
            .fixed("Parked", 16), .flexible("Label · customer"), .fixed("Lines", 9, right: true), .fixed("Total", 13, right: true),
        ], rows: rows, selected: selected, theme: theme)
    }

    static func drawCustomers(_ grid: inout CellGrid, _ customers: [Customer], in area: Rect, theme: Theme) {
        let height = customers.count + 2
        let box = Rect(x: area.x + 2, y: area.y + area.height - 3 - height, width: area.width - 4, height: height)
        grid.box(x: box.x, y: box.y, width: box.width, height: box.height, title: "Enter attaches the first",
                 border: theme[.borderActive], titleStyle: theme[.title], fill: theme[.overlay])
        for (index, customer) in customers.enumerated() {
            let text = [customer.name, customer.email ?? "", customer.phone ?? ""].filter { !$0.isEmpty }.joined(separator: "  ·  ")
            grid.put(text, x: box.inner.x + 1, y: box.inner.y + index, style: index == 0 ? theme[.rowSelected] : theme[.overlay],
                     maxWidth: box.inner.width - 2)
        }
    }

    /// The last sale's receipt in `area`: over the cart (`overlay`) or in the column beside it.
    static func drawReceipt(_ grid: inout CellGrid, _ receipt: String, in area: Rect, theme: Theme, overlay: Bool) {
        let lines = receipt.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let height = overlay ? min(area.height, lines.count + 2) : area.height
        let box = Rect(x: area.x, y: area.y, width: area.width, height: height)
        grid.box(x: box.x, y: box.y, width: box.width, height: box.height, title: "Last receipt — Space closes",
                 border: overlay ? theme[.borderActive] : theme[.border], titleStyle: theme[.title],
                 fill: overlay ? theme[.overlay] : theme[.text])
        // On a short screen the end of the receipt (totals, tenders, change) matters most.
        for (index, line) in lines.suffix(box.inner.height).enumerated() {
            grid.put(line, x: box.inner.x + 1, y: box.inner.y + index, style: theme[overlay ? .overlay : .text],
                     maxWidth: box.inner.width - 2)
        }
    }
}

/// The change to hand back, in figures three rows tall on a highlighted box: the one number the cashier must not
/// miss between two sales.
enum ChangeDueView {
    static let height = 7

    static func draw(_ grid: inout CellGrid, _ due: ChangeDue, state: AppState, in area: Rect, theme: Theme) {
        guard area.width >= 12, area.height >= 3 else { return }
        let style = theme[.rowSelected]
        grid.box(x: area.x, y: area.y, width: area.width, height: area.height, title: "Sale #\(due.number) · CHANGE DUE",
                 border: theme[.borderActive], titleStyle: theme[.title], fill: style)
        let inner = area.inner
        let amount = state.money(due.change)
        if BigText.width(amount) <= inner.width - 2, inner.height >= BigText.rows + 2 {
            let x = inner.x + (inner.width - BigText.width(amount)) / 2
            for (row, line) in BigText.render(amount).enumerated() {
                grid.put(line, x: x, y: inner.y + 1 + row, style: style)
            }
        } else {
            // Too narrow for the large figures: the amount at normal size, still on the highlight.
            grid.put("CHANGE \(amount)", x: inner.x + 1, y: inner.y + inner.height / 2, style: style, maxWidth: inner.width - 2)
        }
    }
}

enum TenderView {
    static func draw(_ grid: inout CellGrid, tender: TenderState, cart: Cart, state: AppState, in area: Rect, theme: Theme) {
        let width = min(area.width - 8, 60)
        let height = 14
        let box = Rect(x: area.x + (area.width - width) / 2, y: area.y + max(1, (area.height - height) / 2), width: width, height: height)
        grid.box(x: box.x, y: box.y, width: box.width, height: box.height, title: "Pay", border: theme[.borderActive],
                 titleStyle: theme[.title], fill: theme[.overlay])
        let x = box.inner.x + 2
        var y = box.inner.y + 1
        func row(_ label: String, _ value: String, role: ThemeRole) {
            grid.put(label.padded(toWidth: 18), x: x, y: y, style: theme[.overlay])
            grid.put(value.padded(toWidth: 14, alignRight: true), x: x + 18, y: y, style: theme[role])
            y += 1
        }
        row("Total", state.money(cart.order.total), role: .money)
        if cart.paid > 0 { row("Paid", state.money(cart.paid), role: .money) }
        row("Due", state.money(cart.due), role: .total)
        for payment in cart.payments where payment.status == .captured {
            let label = payment.method == .card ? "  card \(payment.cardBrand ?? "") ••\(payment.cardLast4 ?? "")"
                : payment.method == .credit ? "  store credit" : payment.method == .points ? "  points" : "  cash"
            row(label, state.money(payment.amount), role: .muted)
        }
        y += 1
        if tender.readingCredit {
            let part = tender.creditAmount.map { state.money($0) } ?? "up to \(state.money(cart.due))"
            grid.put("Store credit for \(part) ▸ \(tender.creditCode)▏", x: x, y: y, style: theme[.input], maxWidth: box.inner.width - 4)
        } else if let work = state.running.last, work.collectsCard {
            // The reader is working off the key loop: what it is charging, what the customer is to do, how to stop.
            let amount = tender.cardAmount.map { state.money($0) } ?? state.money(cart.due)
            grid.put("Card \(amount) on reader \(state.store.cardReader ?? "")", x: x, y: y, style: theme[.overlay],
                     maxWidth: box.inner.width - 4)
            y += 2
            for line in WordWrap.lines(work.progress, width: box.inner.width - 4).prefix(4) {
                grid.put(line, x: x, y: y, style: theme[.info], maxWidth: box.inner.width - 4)
                y += 1
            }
        } else {
            grid.put("Amount ▸ \(tender.amount)▏", x: x, y: y, style: theme[.input], maxWidth: box.inner.width - 4)
            y += 2
            let quick = TenderReducer.quickAmounts(due: cart.due, currency: state.store.currency)
            // A chain customer's points pay too (F7); the key is shown when there is a customer to spend them.
            let points = cart.order.customerID != nil && state.store.chainLink != nil ? "   F7 points" : ""
            grid.put("Enter cash \(tender.amount.isEmpty ? "(exact)" : "(typed amount)")   F2 card   F6 credit\(points)", x: x, y: y,
                     style: theme[.key], maxWidth: box.inner.width - 4)
            y += 1
            if cart.hasUnansweredCard {
                grid.put("A card payment's answer was lost: F2 settles it (no second charge)", x: x, y: y, style: theme[.error],
                         maxWidth: box.inner.width - 4)
            } else {
                grid.put(state.store.cardReader.map { "Card reader: \($0)" } ?? "No card reader paired with this register",
                         x: x, y: y, style: theme[.muted], maxWidth: box.inner.width - 4)
            }
            y += 1
            let quickKeys = quick.enumerated().map { "F\($0.offset + 3) \(state.money($0.element))" }
            grid.put("Cash: " + quickKeys.joined(separator: "   "), x: x, y: y, style: theme[.key], maxWidth: box.inner.width - 4)
            y += 1
            grid.put("Esc back\(cart.paid > 0 ? " (twice: cancel payments)" : "")", x: x, y: y, style: theme[.muted],
                     maxWidth: box.inner.width - 4)
        }
    }
}
