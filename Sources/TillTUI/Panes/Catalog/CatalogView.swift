import TillCore

enum CatalogView {
    static func draw(_ grid: inout CellGrid, state: AppState, in area: Rect, theme: Theme) {
        defer {
            if let form = state.catalog.form { drawForm(&grid, form: form, in: area, theme: theme) }
            if let prompt = CatalogView.prompt(state) {
                grid.subjectPrompt(prompt, in: area, keepVisible: ListPaneView.selectedRowY(state.catalog.list, in: area), theme: theme)
            }
            if let preview = state.catalog.pricePreview { drawPricePreview(&grid, preview, state: state, in: area, theme: theme) }
        }
        if let detail = state.catalog.detail {
            drawDetail(&grid, detail: detail, state: state, in: area, theme: theme)
            return
        }
        let wide = area.width >= 100
        var columns: [TableColumn] = [.fixed("SKU", 12), .flexible("Name")]
        if wide { columns.append(.fixed("Category", 18)) }
        columns += [.fixed("Price", 10, right: true), .fixed("On hand", 9, right: true)]
        let category = "Category: \(state.catalog.categoryName ?? "All") ←→"
        ListPaneView.draw(&grid, in: area, title: "Catalog", search: state.catalog.search,
                          searchFocused: state.catalog.searchFocused, searchHint: "type to search name, SKU or barcode",
                          filters: category, list: state.catalog.list, columns: columns,
                          emptyText: "No products match.", theme: theme) { item in
            var cells = [TableCell(item.sku), TableCell(item.displayName + (item.active ? "" : " (archived)"),
                                                        role: item.active ? nil : .muted)]
            if wide { cells.append(TableCell(item.category ?? "")) }
            cells += [TableCell(state.money(item.price), role: .money),
                      TableCell(Formatting.quantity(item.onHand, unit: item.unit),
                                role: Formatting.stockRole(item.onHand, reorderPoint: Quantity(milli: item.reorderPointMilli)))]
            return cells
        }
    }

    static func drawDetail(_ grid: inout CellGrid, detail: ProductDetail, state: AppState, in area: Rect, theme: Theme) {
        let item = detail.item
        grid.box(x: area.x, y: area.y, width: area.width, height: area.height, title: "Catalog › \(item.productName)",
                 border: theme[.borderActive], titleStyle: theme[.title], fill: theme[.text])
        let inner = area.inner
        var y = inner.y
        let x = inner.x + 1
        let width = inner.width - 2
        func field(_ label: String, _ value: String, role: ThemeRole = .text) {
            grid.put(label.padded(toWidth: 12), x: x, y: y, style: theme[.inputLabel])
            grid.put(value, x: x + 12, y: y, style: theme[role], maxWidth: width - 12)
            y += 1
        }
        field("Name", item.displayName, role: .title)
        field("SKU", item.sku)
        field("Barcodes", detail.barcodes.isEmpty ? "—" : detail.barcodes.joined(separator: ", "))
        if !detail.caseBarcodes.isEmpty {
            field("Case codes", detail.caseBarcodes.map { "\(Barcode.display($0.code)) × \($0.quantity)" }.joined(separator: ", "))
        }
        field("Category", item.category ?? "—")
        // The margin on the net price (TillCore's `Margin`): a tax-inclusive shelf price's tax is not the shop's.
        let margin = item.cost.map { cost in
            let share = (try? Margin.ofShelfPrice(item.price, cost: cost, taxRatePPM: item.taxRatePPM,
                                                  taxInclusive: state.store.taxInclusive))?.percentText
            return "  cost \(state.money(cost))" + (share.map { " (\($0) margin)" } ?? "")
        } ?? ""
        field("Price", state.money(item.price) + " per \(item.unit == .kg ? "kg" : "item")" + margin, role: .money)
        field("Tax", "\(item.taxClassCode) \(TaxClass.formatRate(item.taxRatePPM))%" + (state.store.taxInclusive ? " (included)" : " (added)"))
        field("Status", item.active ? "active" : "archived")
        field("Stock", detail.stock.map { "\($0.locationName) \(Formatting.quantity($0.onHand, unit: item.unit))" }
                .joined(separator: " · ") + "  (reorder at \(Quantity(milli: item.reorderPointMilli)))",
              role: Formatting.stockRole(item.onHand, reorderPoint: Quantity(milli: item.reorderPointMilli)))
        if let elsewhere = state.stockElsewhere, elsewhere.sku == item.sku {
            field("Elsewhere", elsewhere.line(unit: item.unit, timeZone: state.store.timeZone),
                  role: elsewhere.answer == nil ? .muted : .text)
        }
        y += 1
        let bottom = inner.y + inner.height
        if detail.variants.count > 1 && y < bottom - 2 {
            grid.put("Variants", x: x, y: y, style: theme[.header])
            y += 1
            let rows = detail.variants.prefix(max(0, min(6, bottom - y - 4))).map { variant in
                [TableCell(variant.sku), TableCell(variant.option.isEmpty ? "—" : variant.option),
                 TableCell(state.money(variant.price), role: .money),
                 TableCell(Formatting.quantity(variant.onHand, unit: variant.unit))]
            }
            Table.draw(into: &grid, x: x, y: y, width: width, columns: [
                .fixed("SKU", 14), .flexible("Option"), .fixed("Price", 10, right: true), .fixed("On hand", 9, right: true),
            ], header: false, rows: rows, selected: rows.firstIndex { $0[0].text == item.sku }, theme: theme)
            y += rows.count + 1
        }
        guard y < bottom - 1 else { return }
        grid.put("Recent movements", x: x, y: y, style: theme[.header])
        y += 1
        let movementRows = detail.movements.prefix(max(0, bottom - y - 1)).map { movement in
            [TableCell(Formatting.dateTime(movement.createdAt, in: state.store.timeZone)), TableCell(movement.locationCode),
             TableCell(movement.delta.milli > 0 ? "+\(movement.delta)" : movement.delta.description,
                       role: movement.delta.milli < 0 ? .stockLow : .money),
             TableCell(movement.reason.rawValue), TableCell(movement.reference ?? "")]
        }
        Table.draw(into: &grid, x: x, y: y, width: width, columns: [
            .fixed("When", 16), .fixed("Where", 6), .fixed("Change", 8, right: true), .fixed("Reason", 10), .flexible("Reference"),
        ], rows: movementRows, selected: nil, theme: theme)
        grid.put(" Esc back ", x: area.x + 2, y: area.y + area.height - 1, style: theme[.muted])
    }
}

extension CatalogView {
    /// What to type in the focused field, under the fields: a newcomer learns variants, weighed goods and case
    /// codes from the form itself. Each fits the form at 80 columns.
    static let fieldHints: [String: String] = [
        "sku": "your code for this item, e.g. MUG-S",
        "name": "the product's name as customers know it",
        "option": "what tells this variant apart (Small, Red / M); empty: no variants",
        "barcodes": "EAN-13, EAN-8 or UPC-A; several separated by commas",
        "category": "an existing category, or a new name to make one",
        "price": "the shelf price, per item or per kg, e.g. 12.50",
        "cost": "what you pay per unit (margins, stock value)",
        "tax_class": "a tax class code, e.g. standard or reduced",
        "unit": "each, or kg for goods sold by weight",
        "reorder_point": "at or below this stock the SKU is on the reorder list (F7)",
        "handle": "the same key on several SKUs makes them variants of one product",
        "case_barcodes": "a supplier's case code and its pack, e.g. 10036000291459=12",
    ]

    /// The add / edit form: one row per field, problems beside the field they concern when they fit there whole,
    /// else marked beside it and written out in full under the fields (never cut mid-word).
    static func drawForm(_ grid: inout CellGrid, form: ProductForm, in area: Rect, theme: Theme) {
        let fields = ProductDraftText.fields
        let width = min(area.width - 4, 96)
        let innerWidth = width - 2
        let valueWidth = min(36, max(12, (innerWidth - 16) / 2))
        let besideRoom = innerWidth - valueWidth - 16
        func issue(for field: (key: String, label: String)) -> FieldIssue? {
            form.issues.first { $0.field == field.key || ($0.field == "barcode" && field.key == "barcodes") }
        }
        func text(_ issue: FieldIssue) -> String { (issue.isWarning ? "⚠ " : "✗ ") + issue.message }
        let belowLines = fields.flatMap { field -> [(text: String, warning: Bool)] in
            guard let found = issue(for: field), DisplayWidth.of(text(found)) > besideRoom else { return [] }
            let whole = (found.isWarning ? "⚠ " : "✗ ") + "\(field.label): \(found.message)"
            return SubjectPrompt.wrap(whole, width: innerWidth - 2).map { ($0, found.isWarning) }
        }
        let height = min(area.height, fields.count + 4 + (belowLines.isEmpty ? 0 : belowLines.count + 1))
        let box = Rect(x: area.x + (area.width - width) / 2, y: area.y + max(0, (area.height - height) / 2), width: width, height: height)
        let title = form.editing.map { "Edit \($0)" } ?? "New product"
        grid.box(x: box.x, y: box.y, width: box.width, height: box.height, title: title + " — Ctrl-S saves, Esc cancels",
                 border: theme[.borderActive], titleStyle: theme[.title], fill: theme[.overlay])
        let inner = box.inner
        for (index, field) in fields.enumerated() where index < inner.height - 1 {
            let y = inner.y + 1 + index
            let focused = index == form.focused
            grid.put(field.label.padded(toWidth: 12), x: inner.x + 1, y: y, style: focused ? theme[.key] : theme[.inputLabel])
            var value = form.text[field.key]
            while !value.isEmpty && DisplayWidth.of(value) > valueWidth - 1 { value.removeFirst() }
            let shown = focused ? value + "▏" : value
            grid.put(shown.padded(toWidth: valueWidth), x: inner.x + 14, y: y, style: focused ? theme[.rowSelected] : theme[.input])
            if let found = issue(for: field) {
                let whole = text(found)
                grid.put(DisplayWidth.of(whole) <= besideRoom ? whole : (found.isWarning ? "⚠ see below" : "✗ see below"),
                         x: inner.x + 15 + valueWidth, y: y, style: found.isWarning ? theme[.stockLow] : theme[.error],
                         maxWidth: besideRoom)
            }
        }
        if let hint = fieldHints[form.focusedKey] {
            grid.put(hint, x: inner.x + 1, y: inner.y + fields.count + 1, style: theme[.muted], maxWidth: inner.width - 2)
        }
        var y = inner.y + fields.count + 2
        for line in belowLines where y < inner.y + inner.height {
            grid.put(line.text, x: inner.x + 1, y: y, style: line.warning ? theme[.stockLow] : theme[.error])
            y += 1
        }
    }
}

extension CatalogView {
    /// Preview rows that fit on a screen of `size`: the pane less the box's borders and the table header.
    static func previewRows(_ size: ScreenSize) -> Int { max(1, size.height - 3 - 2 - 2 - 1) }

    /// How a bulk change reads: `+5%`, `-10.5%`, `+€0.20`.
    static func describe(_ change: BulkPriceChange, state: AppState) -> String {
        switch change {
        case let .percent(basisPoints):
            let sign = basisPoints < 0 ? "-" : "+"
            let whole = abs(basisPoints) / 100
            var fraction = String(abs(basisPoints) % 100)
            if fraction.count == 1 { fraction = "0" + fraction }
            while fraction.hasSuffix("0") { fraction.removeLast() }
            return sign + String(whole) + (fraction.isEmpty ? "" : "." + fraction) + "%"
        case let .amount(units):
            return (units < 0 ? "" : "+") + state.money(units)
        }
    }

    /// The new prices before they are written: what changes (category or SKU, and by how much) in the title,
    /// every row reachable with ↑/↓ and PgUp/PgDn, Enter applies, Esc cancels.
    static func drawPricePreview(_ grid: inout CellGrid, _ preview: PricePreview, state: AppState, in area: Rect, theme: Theme) {
        let width = min(area.width - 4, 90)
        let visible = previewRows(state.size)
        let height = min(area.height - 2, preview.rows.count + 4)
        let box = Rect(x: area.x + (area.width - width) / 2, y: area.y + 1, width: width, height: height)
        let scope = preview.category ?? preview.skus.joined(separator: ", ")
        let count = preview.rows.count
        grid.box(x: box.x, y: box.y, width: box.width, height: box.height,
                 title: "\(scope) \(describe(preview.change, state: state)): \(count) new price\(count == 1 ? "" : "s")",
                 border: theme[.borderActive], titleStyle: theme[.title], fill: theme[.overlay])
        let top = min(state.catalog.previewTop, max(0, count - visible))
        let shown = preview.rows.dropFirst(top).prefix(max(0, min(visible, box.inner.height - 1)))
        Table.draw(into: &grid, x: box.inner.x + 1, y: box.inner.y, width: box.inner.width - 2, columns: [
            .fixed("SKU", 12), .flexible("Name"), .fixed("Now", 10, right: true), .fixed("New", 10, right: true),
        ], rows: shown.map { row in
            [TableCell(row.sku), TableCell(row.name), TableCell(state.money(row.oldPrice)),
             TableCell(state.money(row.newPrice), role: .money)]
        }, selected: nil, theme: theme)
        let range = count > shown.count ? " \(top + 1)–\(top + shown.count) of \(count), ↑↓ PgUp PgDn ·" : ""
        grid.put("\(range) Enter applies · Esc cancels ", x: box.x + 2, y: box.y + box.height - 1, style: theme[.muted],
                 maxWidth: box.width - 4)
    }
}

extension CatalogView {
    /// The open question over the list, naming what it acts on: the category (with how many SKUs are loaded in
    /// it) or the product with its price, or the product to archive.
    static func prompt(_ state: AppState) -> SubjectPrompt? {
        let catalog = state.catalog
        if let typed = catalog.priceChangeInput {
            let question: String
            if let category = catalog.categoryName {
                question = "Change the price of every SKU in the category \(category) by: "
            } else if let item = catalog.list.selectedRow {
                question = "Change the price of \(item.sku) \(item.displayName) (now \(state.money(item.price))) by: "
            } else {
                return nil
            }
            return SubjectPrompt(title: "Change prices", question: question,
                                 help: "5% or -10% (percent), 0.20 or -0.50 (an amount) · Enter shows the new prices "
                                     + "first · Esc cancels", text: typed)
        }
        if let typed = catalog.categoryRenameInput, let category = catalog.categoryName {
            return SubjectPrompt(title: "Rename category",
                                 question: "Rename the category \(category) (its products move with it) to: ",
                                 help: "Enter renames · Esc cancels", text: typed)
        }
        if let item = catalog.archiveConfirm {
            let question = item.active
                ? "Archive \(item.sku) \(item.displayName)? The till stops selling it; its stock, history and past orders stay."
                : "Bring back \(item.sku) \(item.displayName)? The till sells it again."
            return SubjectPrompt(title: item.active ? "Archive product" : "Unarchive product", question: question,
                                 help: item.active ? "Enter archives · Esc keeps it on sale" : "Enter brings it back · Esc keeps it archived",
                                 text: "", typing: false)
        }
        return nil
    }
}
