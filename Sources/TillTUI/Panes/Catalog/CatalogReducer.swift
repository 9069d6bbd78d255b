import TillCore

enum CatalogReducer {
    static func reload(_ state: inout AppState) -> [Effect] {
        let load = state.catalog.list.reset(visible: Layout.listRows(state.size))
        return [.loadCatalog(text: state.catalog.search, category: state.catalog.categoryName, load)]
    }

    /// Reloads the list where it is after a change to a product: the selection returns to `state.catalog.follow`
    /// (or stays at its position when that product left the window).
    static func refresh(_ state: inout AppState) -> [Effect] {
        let load = state.catalog.list.refresh(visible: Layout.listRows(state.size))
        return [.loadCatalog(text: state.catalog.search, category: state.catalog.categoryName, load)]
    }

    static func resized(_ state: inout AppState) -> [Effect] {
        let visible = Layout.listRows(state.size)
        state.catalog.list.fit(visible: visible)
        guard let load = state.catalog.list.loadIfNeeded(visible: visible) else { return [] }
        return [.loadCatalog(text: state.catalog.search, category: state.catalog.categoryName, load)]
    }

    static func key(_ state: inout AppState, _ key: Key, command: Command?) -> [Effect] {
        if state.catalog.form != nil { return formKey(&state, key, command: command) }
        if let preview = state.catalog.pricePreview {
            let page = max(1, CatalogView.previewRows(state.size))
            let last = max(0, preview.rows.count - page)
            switch command {
            case .confirm:
                state.catalog.pricePreview = nil
                return [.applyPrices(preview)]
            case .back:
                state.catalog.pricePreview = nil
                state.message = .info("Prices unchanged.")
            case .moveDown: state.catalog.previewTop = min(last, state.catalog.previewTop + 1)
            case .moveUp: state.catalog.previewTop = max(0, state.catalog.previewTop - 1)
            case .pageDown: state.catalog.previewTop = min(last, state.catalog.previewTop + page)
            case .pageUp: state.catalog.previewTop = max(0, state.catalog.previewTop - page)
            default: break
            }
            return []
        }
        if let item = state.catalog.archiveConfirm {
            state.catalog.archiveConfirm = nil
            guard command == .confirm else {
                state.message = .info("\(item.sku) unchanged: still \(item.active ? "on sale" : "archived").")
                return []
            }
            state.catalog.follow = item.sku
            return [.setProductActive(sku: item.sku, active: !item.active)]
        }
        if let typed = state.catalog.priceChangeInput { return priceKey(&state, typed, key, command: command) }
        if let typed = state.catalog.categoryRenameInput {
            switch command {
            case .back: state.catalog.categoryRenameInput = nil
            case .confirm:
                state.catalog.categoryRenameInput = nil
                guard let from = state.catalog.categoryName else { return [] }
                return [.renameCategory(from: from, to: typed)]
            default:
                if let edited = SearchField.edit(typed, with: key, field: "The category name", message: &state.message) {
                    state.catalog.categoryRenameInput = edited
                }
            }
            return []
        }
        if state.catalog.detail != nil {
            // The detail view: Esc (or Enter) goes back to the list.
            if command == .back || command == .open { state.catalog.detail = nil }
            return []
        }
        let visible = Layout.listRows(state.size)
        let moved = ListKeys.move(&state.catalog.list, command, visible: visible)
        if moved.handled {
            return moved.load.map { [.loadCatalog(text: state.catalog.search, category: state.catalog.categoryName, $0)] } ?? []
        }
        switch command {
        case .open:
            guard let item = state.catalog.list.selectedRow else { return [] }
            return [.loadProductDetail(variantID: item.variantID)] + StockElsewhereReducer.ask(&state, sku: item.sku)
        case .newProduct:
            var text = ProductDraftText()
            text["tax_class"] = "standard"
            text["unit"] = "each"
            text["category"] = state.catalog.categoryName ?? ""
            state.catalog.form = ProductForm(editing: nil, text: text)
        case .editProduct:
            guard let item = state.catalog.list.selectedRow else { return [] }
            state.catalog.follow = item.sku
            return [.loadProductForm(sku: item.sku)]
        case .renameCategory:
            guard let name = state.catalog.categoryName else {
                state.message = .error("Choose a category with ←/→ first.")
                return []
            }
            state.catalog.categoryRenameInput = name
        case .bulkPrice:
            guard state.catalog.categoryName != nil || state.catalog.list.selectedRow != nil else { return [] }
            state.catalog.priceChangeInput = ""
        case .archiveProduct:
            guard let item = state.catalog.list.selectedRow else { return [] }
            state.catalog.archiveConfirm = item
        case .previousCategory, .nextCategory:
            let count = state.catalog.categories.count
            guard count > 0 else { return [] }
            // nil (all) → 0 … count-1 → nil, in either direction.
            let positions = [nil] + (0..<count).map { Optional($0) }
            let current = positions.firstIndex(of: state.catalog.category) ?? 0
            let step = command == .nextCategory ? 1 : positions.count - 1
            state.catalog.category = positions[(current + step) % positions.count]
            return reload(&state)
        default:
            let outcome = SearchField.handle(&state.catalog.search, focused: &state.catalog.searchFocused, key: key,
                                             command: command, message: &state.message)
            return outcome == .textChanged ? reload(&state) : []
        }
        return []
    }

    /// The bulk price line: `5%`, `-10%`, `0.20` or `-0.50`, for the category filter or else the selected SKU.
    static func priceKey(_ state: inout AppState, _ typed: String, _ key: Key, command: Command?) -> [Effect] {
        switch command {
        case .back:
            state.catalog.priceChangeInput = nil
        case .confirm:
            state.catalog.priceChangeInput = nil
            do {
                let change = try BulkPriceChange.parse(typed, currency: state.store.currency)
                let category = state.catalog.categoryName
                let skus = category == nil ? state.catalog.list.selectedRow.map { [$0.sku] } ?? [] : []
                return [.previewPrices(category: category, skus: skus, change: change)]
            } catch {
                state.message = .error("\(error)")
            }
        default:
            if let edited = SearchField.edit(typed, with: key, field: "The price change", message: &state.message) {
                state.catalog.priceChangeInput = edited
            }
        }
        return []
    }

    /// Typing into the product form; Ctrl-S saves (the core checks every field), Esc cancels.
    static func formKey(_ state: inout AppState, _ key: Key, command: Command?) -> [Effect] {
        guard var form = state.catalog.form else { return [] }
        let count = ProductDraftText.fields.count
        // Leaving a barcode field is its Enter: a code that was still arriving is judged whole now.
        if [.nextField, .previousField, .saveForm].contains(command), form.focusedTakesBarcodes,
           ScanBoxGuard.refusesOnEnter(form.text[form.focusedKey]) {
            form.text[form.focusedKey] = ""
            state.message = SearchField.refusal(field: "The \(form.focusedLabel) field")
            state.catalog.form = form
            return []
        }
        switch command {
        case .back:
            state.catalog.form = nil
            state.catalog.follow = nil
            return []
        case .nextField: form.focused = (form.focused + 1) % count
        case .previousField: form.focused = (form.focused + count - 1) % count
        case .saveForm:
            state.catalog.form = form
            return [.saveProduct(form)]
        default:
            let field = "The \(form.focusedLabel) field"
            let edited = form.focusedTakesBarcodes
                ? ScanBoxGuard.edit(form.text[form.focusedKey], with: key, field: field, message: &state.message)
                : SearchField.edit(form.text[form.focusedKey], with: key, field: field, message: &state.message)
            if let edited { form.text[form.focusedKey] = edited }
        }
        state.catalog.form = form
        return []
    }

    static func reduce(_ state: inout AppState, _ action: Action) -> [Effect] {
        switch action {
        case let .pricePreviewLoaded(preview):
            state.catalog.pricePreview = preview
            state.catalog.previewTop = 0
        case let .categoryRenamed(name):
            state.message = .info("Category renamed to \(name).")
            // Follow the renamed category right away; the reload then confirms the list.
            if let index = state.catalog.category, state.catalog.categories.indices.contains(index) {
                state.catalog.categories[index] = name
                state.catalog.categories.sort { $0.lowercased() < $1.lowercased() }
                state.catalog.category = state.catalog.categories.firstIndex(of: name)
            }
            return [.loadCategories] + reload(&state)
        case let .pricesChanged(count):
            state.message = .info("Changed \(count) price\(count == 1 ? "" : "s").")
            state.catalog.follow = state.catalog.list.selectedRow?.sku
            return refresh(&state)
        case let .productFormLoaded(form):
            state.catalog.form = form
        case let .productFormIssues(issues):
            state.catalog.form?.issues = issues
            // Each problem is written in full beside (or under) its field; the status line only counts them.
            let problems = issues.filter { !$0.isWarning }.count
            state.message = .error("Not saved: \(problems) problem\(problems == 1 ? "" : "s"), shown in the form.")
        case let .productSaved(sku, warnings):
            state.catalog.form = nil
            state.message = .info("Saved \(sku).\(warnings.isEmpty ? "" : " Note: " + warnings.map(\.description).joined(separator: "; "))")
            // The product saved or archived (under its new SKU, if the edit changed it) stays selected when it is
            // in the window; else the selection stays where it was.
            state.catalog.follow = sku
            return [.loadCategories] + refresh(&state)
        case let .catalogLoaded(items, load):
            state.catalog.list.apply(items, offset: load.offset, limit: load.limit, generation: load.generation)
            if load.generation == state.catalog.list.generation, let follow = state.catalog.follow {
                state.catalog.follow = nil
                state.catalog.list.select(where: { $0.sku.lowercased() == follow.lowercased() }, visible: Layout.listRows(state.size))
            }
        case let .categoriesLoaded(names):
            let current = state.catalog.categoryName
            state.catalog.categories = names
            // Keep the filter on the same category (by position after a rename, by name otherwise).
            if let current, let index = names.firstIndex(where: { $0.lowercased() == current.lowercased() }) {
                state.catalog.category = index
            } else if let index = state.catalog.category, !names.indices.contains(index) {
                state.catalog.category = nil
            }
        case let .productDetailLoaded(detail):
            state.catalog.detail = detail
        default:
            break
        }
        return []
    }
}
