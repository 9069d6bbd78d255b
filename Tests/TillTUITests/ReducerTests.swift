import Foundation
import Testing
import TillCore
@testable import TillTUI

/// The reducers alone: no database, no terminal. Effects are checked as values.
@Suite struct ReducerTests {
    func state(width: Int = 80, height: Int = 24) -> AppState {
        AppState(store: StoreInfo(name: "Test", currency: .EUR, taxInclusive: true), size: ScreenSize(width: width, height: height))
    }

    func item(_ id: Int64, price: Int64 = 250, active: Bool = true) -> CatalogItem {
        CatalogItem(row: [
            "variant_id": id, "product_id": id, "sku": "SKU-\(id)", "product_name": "Item \(id)", "option": "",
            "price": price, "cost": nil, "unit": "each", "category": "Misc", "tax_class": "standard",
            "tax_rate_ppm": 190_000, "reorder_point_milli": 0, "active": active, "on_hand_milli": 5000,
        ])
    }

    @Test func functionKeysAndTabSwitchPanes() {
        var state = state()
        _ = AppReducer.reduce(&state, .key(.function(2)))
        #expect(state.pane == .catalog)
        _ = AppReducer.reduce(&state, .key(.function(4)))
        #expect(state.pane == .orders)
        #expect(AppReducer.reduce(&state, .key(.tab)) == [.loadReports])
        #expect(state.pane == .reports)
        _ = AppReducer.reduce(&state, .key(.tab))
        #expect(state.pane == .register)
        _ = AppReducer.reduce(&state, .key(.backTab))
        #expect(state.pane == .reports)
        _ = AppReducer.reduce(&state, .key(.function(4)))
        #expect(state.pane == .orders)
        _ = AppReducer.reduce(&state, .key(.function(3)))
        #expect(state.pane == .inventory)
        _ = AppReducer.reduce(&state, .key(.function(1)))
        #expect(state.pane == .register)
    }

    @Test func helpOpensAndEscOrQuestionMarkClosesIt() {
        var state = state()
        _ = AppReducer.reduce(&state, .key(.character("?")))
        #expect(state.showingHelp)
        _ = AppReducer.reduce(&state, .key(.function(2)))
        #expect(state.showingHelp)  // the help has its own keys: F2 is not one, and says so
        #expect(state.pane == .register)
        #expect(state.message == .info("F2 is not a key here: Esc/? close the help, PgUp scroll up a page, PgDn scroll down a page, Ctrl-Q quit."))
        _ = AppReducer.reduce(&state, .key(.escape))
        #expect(!state.showingHelp)
        _ = AppReducer.reduce(&state, .key(.character("?")))
        _ = AppReducer.reduce(&state, .key(.character("?")))
        #expect(!state.showingHelp)
    }

    @Test func quitQuitsAtOnceWithNoSale() {
        var empty = state()
        _ = AppReducer.reduce(&empty, .key(.control("q")))
        #expect(empty.shouldQuit)
    }

    @Test func scanningDigitsAndEnterAddsTheCode() {
        var state = state()
        var effects: [Effect] = []
        for digit in "4006381333931" { effects += AppReducer.reduce(&state, .key(.character(digit))) }
        #expect(effects.isEmpty)  // digits alone are a scan in progress: no search
        effects = AppReducer.reduce(&state, .key(.enter))
        #expect(effects == [.scan("4006381333931", quantity: nil, scan: 1)])  // none typed: one piece, or a weight asked
        #expect(state.register.input.isEmpty)
        #expect(AppReducer.reduce(&state, .key(.enter)).isEmpty)  // Enter on nothing does nothing
    }

    @Test func aQuantityPrefixSellsSeveral() {
        var state = state()
        for character in "3*COF-001" { _ = AppReducer.reduce(&state, .key(.character(character))) }
        #expect(AppReducer.reduce(&state, .key(.enter)) == [.scan("COF-001", quantity: .units(3), scan: 1)])
        for character in "0.450*PRO-001" { _ = AppReducer.reduce(&state, .key(.character(character))) }
        #expect(AppReducer.reduce(&state, .key(.enter)) == [.scan("PRO-001", quantity: Quantity(milli: 450), scan: 2)])
        for character in "x*PRO-001" { _ = AppReducer.reduce(&state, .key(.character(character))) }
        #expect(AppReducer.reduce(&state, .key(.enter)).isEmpty)
        #expect(state.message?.isError == true)
    }

    @Test func lettersSearchAsYouType() {
        var state = state()
        var effects: [Effect] = []
        for letter in "caf" { effects = AppReducer.reduce(&state, .key(.character(letter))) }
        #expect(effects == [.loadSuggestions("caf")])
        #expect(AppReducer.reduce(&state, .key(.enter)) == [.scan("caf", quantity: nil, scan: 1)])
    }

    @Test func payNeedsASale() {
        var state = state()
        _ = AppReducer.reduce(&state, .key(.function(12)))
        #expect(state.register.tender == nil)
        #expect(state.message?.isError == true)
    }

    @Test func quickCashAmountsAreWhatACustomerHandsOver() {
        // €12.34: a 10 and a 5, a 20, a 50 (TillCore's rule, see DenominationTests).
        #expect(TenderReducer.quickAmounts(due: 1234, currency: .EUR) == [1500, 2000, 5000])
        #expect(TenderReducer.quickAmounts(due: 500, currency: .EUR) == [1000, 2000, 5000])
        #expect(TenderReducer.quickAmounts(due: 1234, currency: .JPY) == [2000, 5000, 10000])
        // From TillCore's denomination table: Kuwait's quarter-dinar note, Hungary's 20,000 forint note.
        #expect(TenderReducer.quickAmounts(due: 100, currency: .KWD) == [250, 500, 1000])
        #expect(TenderReducer.quickAmounts(due: 1_500_000, currency: Currency(code: "HUF", exponent: 2, symbol: "Ft"))
                == [1_600_000, 2_000_000, 4_000_000])
    }

    @Test func typingInTheCatalogSearchesAndEscClears() {
        var state = state()
        _ = AppReducer.reduce(&state, .key(.function(2)))
        let effects = AppReducer.reduce(&state, .key(.character("c")))
        guard case let .loadCatalog(text, category, load) = effects.first else {
            Issue.record("expected a catalog load, got \(effects)")
            return
        }
        #expect(text == "c" && category == nil && load.offset == 0)
        _ = AppReducer.reduce(&state, .key(.backspace))
        #expect(state.catalog.search == "")
        _ = AppReducer.reduce(&state, .key(.character("x")))
        _ = AppReducer.reduce(&state, .key(.escape))
        #expect(state.catalog.search == "" && !state.catalog.searchFocused)
    }

    @Test func categoryFilterCyclesThroughAllAndBack() {
        var state = state()
        _ = AppReducer.reduce(&state, .key(.function(2)))
        _ = AppReducer.reduce(&state, .categoriesLoaded(["Bakery", "Drinks"]))
        _ = AppReducer.reduce(&state, .key(.right))
        #expect(state.catalog.categoryName == "Bakery")
        _ = AppReducer.reduce(&state, .key(.right))
        #expect(state.catalog.categoryName == "Drinks")
        _ = AppReducer.reduce(&state, .key(.right))
        #expect(state.catalog.categoryName == nil)
        let effects = AppReducer.reduce(&state, .key(.left))
        #expect(state.catalog.categoryName == "Drinks")
        #expect(effects.contains { if case .loadCatalog(_, "Drinks", _) = $0 { return true } else { return false } })
    }

    @Test func staleResultsAreIgnored() throws {
        var state = state()
        _ = AppReducer.reduce(&state, .key(.function(2)))
        let first = AppReducer.reduce(&state, .key(.character("a")))
        let second = AppReducer.reduce(&state, .key(.character("b")))
        // Typing must ask for a load each time; without one there is nothing stale to test, so that fails too.
        let oldLoad = try #require(Self.catalogLoad(in: first), "typing \"a\" asked for no catalog load: \(first)")
        let newLoad = try #require(Self.catalogLoad(in: second), "typing \"b\" asked for no catalog load: \(second)")
        #expect(oldLoad.generation != newLoad.generation)
        _ = AppReducer.reduce(&state, .catalogLoaded([item(1)], oldLoad))
        #expect(!state.catalog.list.hasLoaded)
        // The current load's result is taken: the stale one was refused for being stale, not for any result.
        _ = AppReducer.reduce(&state, .catalogLoaded([item(2)], newLoad))
        #expect(state.catalog.list.hasLoaded)
        #expect(state.catalog.list.selectedRow?.variantID == 2)
    }

    static func catalogLoad(in effects: [Effect]) -> ListLoad? {
        for effect in effects { if case let .loadCatalog(_, _, load) = effect { return load } }
        return nil
    }

    @Test func keysDoNothingOnATooSmallScreenButQuit() {
        var state = state(width: 40, height: 10)
        _ = AppReducer.reduce(&state, .key(.function(2)))
        #expect(state.pane == .register)
        _ = AppReducer.reduce(&state, .key(.control("q")))
        #expect(state.shouldQuit)
    }

    @Test func everyCommandHasAKeyAndNoKeyIsBoundTwiceInAPane() {
        // Every table a screen can be in, by name, so a failure says where.
        var tables: [(String, [KeyBinding])] = PaneID.allCases.map { ("pane \($0)", KeyBindings.pane($0)) }
        tables += [("global", KeyBindings.global), ("tender", KeyBindings.tender),
                   ("productForm", KeyBindings.productForm), ("counting", KeyBindings.counting),
                   ("orderDetail", KeyBindings.orderDetail), ("refundPrompt", KeyBindings.refundPrompt),
                   ("orderPrompt", KeyBindings.orderPrompt), ("settings", KeyBindings.settings),
                   ("settingsPrompt", KeyBindings.settingsPrompt), ("quitConfirm", KeyBindings.quitConfirm),
                   ("helpOverlay", KeyBindings.helpOverlay), ("signIn", KeyBindings.signIn), ("approval", KeyBindings.approval),
                   ("textPrompt", KeyBindings.textPrompt), ("weightPrompt", KeyBindings.weightPrompt), ("yesNoPrompt", KeyBindings.yesNoPrompt),
                   ("parkedList", KeyBindings.parkedList), ("simulatedCustomer", KeyBindings.simulatedCustomer),
                   ("creditCode", KeyBindings.creditCode), ("detailView", KeyBindings.detailView),
                   ("inventoryPanel", KeyBindings.inventoryPanel), ("reportPanel", KeyBindings.reportPanel),
                   ("pricePreview", KeyBindings.pricePreview), ("working", KeyBindings.working),
                   ("merchantPrompt", KeyBindings.merchantPrompt), ("countConfirm", KeyBindings.countConfirm),
                   ("reorderList", KeyBindings.reorderList), ("stockView", KeyBindings.stockView),
                   ("purchasingList", KeyBindings.purchasingList), ("purchaseDelivery", KeyBindings.purchaseDelivery),
                   ("deliveryReason", KeyBindings.deliveryReason)]
        let bound = Set(tables.flatMap { $0.1 }.filter { !$0.keys.isEmpty }.map(\.command))
        for command in Self.everyCommand {
            #expect(bound.contains(command), "no key runs \(command)")
        }
        for (name, table) in tables {
            for binding in table {
                #expect(!binding.keys.isEmpty, "\(name): \(binding.command) has no key")
                #expect(!binding.help.isEmpty, "\(name): \(binding.command) has no help text")
            }
            let keys = table.flatMap(\.keys)
            #expect(Set(keys).count == keys.count, "\(name) binds a key twice: \(keys)")
        }
        for pane in PaneID.allCases {
            // A pane's own key may not also be a global one: which would win is a guess for the person at the till.
            let paneKeys = Set(KeyBindings.pane(pane).flatMap(\.keys))
            let globalKeys = Set(KeyBindings.global.flatMap(\.keys))
            #expect(paneKeys.isDisjoint(with: globalKeys), "\(pane) rebinds global keys \(paneKeys.intersection(globalKeys))")
            // Each key of the pane reaches the command its table names.
            for binding in KeyBindings.pane(pane) + KeyBindings.global {
                for key in binding.keys {
                    #expect(KeyBindings.command(for: key, in: pane) == binding.command, "\(pane): \(key)")
                }
            }
        }
    }

    /// Every `Command`, spelt out: `Command` is not `CaseIterable`, so `exhaustive(_:)` below is what makes a
    /// new command break this list at compile time instead of being silently left out of the test above.
    static let everyCommand: [Command] = [
        .showRegister, .showCatalog, .showInventory, .showOrders, .showReports, .nextPane, .previousPane, .refresh,
        .help, .quit, .back, .lock, .cancelWork, .customerApproves, .customerDeclines, .customerHasNoFunds, .customerCancels, .readerAnswerLost,
        .focusSearch, .moveUp, .moveDown, .pageUp, .pageDown, .home, .open,
        .previousCategory, .nextCategory,
        .previousLocation, .nextLocation, .toggleLowStock,
        .addItem, .removeLine, .priceOverride, .setQuantity, .lineDiscount, .orderDiscount, .customer, .parkOrRecall,
        .voidSale, .pay, .dismissReceipt, .printAgain,
        .tenderCash, .tenderCard, .tenderCredit, .tenderPoints, .quickCash1, .quickCash2, .quickCash3,
        .newProduct, .editProduct, .archiveProduct, .saveForm, .nextField, .previousField, .bulkPrice, .renameCategory,
        .adjustStock, .transferStock, .receiveStock, .showReorder, .showValuation, .countStock, .applyCount, .cancelCount, .showTransfers,
        .showPurchasing, .draftPurchaseOrders, .sendPurchaseOrder, .receivePurchaseOrder, .bookDelivery, .keepNotOrdered,
        .openShift, .closeShift, .noSale, .xReport,
        .refundLine, .refundAll, .voidOrder, .addNote, .reprint, .toggleRestock, .toggleStoreCredit, .confirm,
        .showSettings, .addTaxClass, .setTaxRate, .archiveTaxClass,
        .toggleTimeline, .toggleReceiptCode, .payIn, .payOut, .zReport, .exceptionsReport, .weighAgain,
    ]

    @Test func theCommandListIsComplete() {
        #expect(Set(Self.everyCommand.map(\.rawValue)).count == Self.everyCommand.count)
        for command in Self.everyCommand { Self.exhaustive(command) }
    }

    /// No `default:`: a command added to `Command` but not here stops the build.
    static func exhaustive(_ command: Command) {
        switch command {
        case .showRegister, .showCatalog, .showInventory, .showOrders, .showReports, .nextPane, .previousPane, .refresh,
             .help, .quit, .back, .lock, .cancelWork, .customerApproves, .customerDeclines, .customerHasNoFunds, .customerCancels, .readerAnswerLost,
             .focusSearch, .moveUp, .moveDown, .pageUp, .pageDown, .home, .open,
             .previousCategory, .nextCategory,
             .previousLocation, .nextLocation, .toggleLowStock,
             .addItem, .removeLine, .priceOverride, .setQuantity, .lineDiscount, .orderDiscount, .customer, .parkOrRecall,
             .voidSale, .pay, .dismissReceipt, .printAgain,
             .tenderCash, .tenderCard, .tenderCredit, .tenderPoints, .quickCash1, .quickCash2, .quickCash3,
             .newProduct, .editProduct, .archiveProduct, .saveForm, .nextField, .previousField, .bulkPrice, .renameCategory,
             .adjustStock, .transferStock, .receiveStock, .showReorder, .showValuation, .countStock, .applyCount, .cancelCount, .showTransfers,
             .showPurchasing, .draftPurchaseOrders, .sendPurchaseOrder, .receivePurchaseOrder, .bookDelivery, .keepNotOrdered,
             .openShift, .closeShift, .noSale, .xReport,
             .refundLine, .refundAll, .voidOrder, .addNote, .reprint, .toggleRestock, .toggleStoreCredit, .confirm,
             .showSettings, .addTaxClass, .setTaxRate, .archiveTaxClass,
             .toggleTimeline, .toggleReceiptCode, .payIn, .payOut, .zReport, .exceptionsReport, .weighAgain:
            break
        }
    }
}

@Suite struct ListWindowTests {
    @Test func loadsMoreAsTheSelectionNearsTheEnd() {
        var list = ListWindow<Int>()
        let first = list.reset(visible: 10)
        #expect(first == ListLoad(offset: 0, limit: 30, generation: 1))
        list.apply(Array(0..<30), offset: 0, limit: 30, generation: 1)
        var load: ListLoad?
        for _ in 0..<24 { load = list.move(by: 1, visible: 10) ?? load }
        #expect(load == nil)  // rows 0-29 are loaded and rows 15-24 are on screen: nothing to fetch yet
        load = list.move(by: 1, visible: 10)
        #expect(list.selected == 25)
        #expect(list.top == 16)
        #expect(load == ListLoad(offset: 11, limit: 30, generation: 1))
        list.apply(Array(11..<41), offset: 11, limit: 30, generation: 1)
        #expect(list.selectedRow == 25)
    }

    @Test func theEndIsKnownFromAShortPage() {
        var list = ListWindow<Int>()
        let load = list.reset(visible: 10)
        list.apply([0, 1, 2], offset: 0, limit: load.limit, generation: load.generation)
        #expect(list.knownCount == 3)
        _ = list.move(by: 100, visible: 10)
        #expect(list.selected == 2)
        _ = list.move(by: -100, visible: 10)
        #expect(list.selected == 0)
    }

    @Test func emptyListsAreEmpty() {
        var list = ListWindow<Int>()
        let load = list.reset(visible: 5)
        list.apply([], offset: 0, limit: load.limit, generation: load.generation)
        #expect(list.isEmpty && list.selectedRow == nil)
        #expect(list.move(by: 1, visible: 5) == nil)
    }
}

import GRDB
