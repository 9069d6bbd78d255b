import Foundation
import Testing
import TillCore
@testable import TillTUI

/// Every screen's keys are data: what the tables list is exactly what the reducers do.
@Suite struct KeyTableTests {
    /// Every key a terminal can send that the app decodes.
    static let allKeys: [Key] = (0x20...0x7E).map { .character(Character(UnicodeScalar($0)!)) }
        + [.enter, .escape, .backspace, .delete, .tab, .backTab, .up, .down, .left, .right, .home, .end, .pageUp, .pageDown]
        + (1...12).map { .function($0) }
        + "abcdefghijklmnopqrstuvwxyz".map { .control($0) }

    /// One state for every context, reached the way a user reaches it where that is quick, else set directly.
    static func samples() throws -> [(KeyContextID, AppState)] {
        let app = try TestApp.demo(staff: "max (manager)", signedIn: "max", shiftOpen: true)
        var samples: [(KeyContextID, AppState)] = []
        func press(_ keys: [Key]) { app.handle(keys.map { .key($0) }) }
        func take(_ id: KeyContextID, _ keys: Key..., then reset: [Key] = [.escape]) {
            press(keys)
            samples.append((id, app.state))
            press(reset)
        }
        func set(_ id: KeyContextID, _ change: (inout AppState) -> Void) {
            var state = app.state
            change(&state)
            samples.append((id, state))
        }
        // The support and back-office screens first, while the demo's orders are the newest.
        app.press(.function(4))
        samples.append((.orders, app.state))
        app.press(.enter)
        #expect(app.state.orders.detail?.order.number != nil)
        samples.append((.orderDetail, app.state))
        take(.refundPrompt, .control("a"))
        take(.notePrompt, .control("n"))
        take(.orderConfirmVoid, .control("v"))
        take(.orderTimeline, .character("t"), then: [.character("t")])
        set(.voidApproval) { $0.orders.prompt = .approveVoid(VoidApproval(reason: "A void needs a manager.")) }
        app.press(.escape)

        app.press(.function(2))
        samples.append((.catalog, app.state))
        take(.productDetail, .enter)
        take(.productForm, .control("n"))
        take(.priceChangePrompt, .control("b"))
        app.press(.control("b"))
        app.type("5%")
        take(.pricePreview, .enter)
        take(.archiveConfirm, .control("x"))
        app.press(.right)
        take(.categoryRenamePrompt, .control("g"))
        app.press(.left)

        app.press(.function(3))
        samples.append((.inventory, app.state))
        take(.inventoryPrompt, .control("a"))
        take(.stockHistory, .enter)
        take(.reorderList, .function(7))
        take(.inventoryPanel, .function(8))
        take(.counting, .function(9))
        take(.purchasing, .function(11))
        set(.purchaseDelivery) {
            $0.inventory.panel = .purchasing(PurchasingPanel(suppliers: [], orders: [], currency: .EUR))
            $0.inventory.delivery = []
        }
        press([.function(9)])
        set(.countConfirm) { $0.inventory.confirmingCount = true }
        press([.escape])
        // A chain store's transfers (F10): the list as head office would answer it.
        set(.transferList) {
            $0.store.chainLink = "HQ ✓ 1 min ago"
            $0.inventory.panel = .transfers(TransferList(store: "S012", transfers: []))
        }

        app.press(.function(5))
        samples.append((.reports, app.state))
        take(.reportPanel, .character("x"))
        take(.drawerPrompt, .character("n"))
        take(.zConfirm, .character("z"))
        take(.settings, .control("o"))
        set(.settingsPrompt) { $0.settings = SettingsState(); $0.settings?.prompt = .addClass }
        set(.settingsConfirm) { $0.settings = SettingsState(); $0.settings?.prompt = .confirmArchive(code: "standard") }

        // The till: two sales parked, then a sale of three lines with the middle one selected and a digit typed.
        app.press(.function(1))
        for _ in 0..<2 {
            app.type("COF-001")
            app.press(.enter)
            app.press(.function(10))
        }
        take(.parked, .function(10))
        for sku in ["COF-001", "COF-002", "COF-003"] {
            app.type(sku)
            app.press(.enter)
        }
        app.press(.up)
        app.type("2")
        samples.append((.register, app.state))
        app.press(.escape)
        take(.registerPrompt, .function(6))
        take(.registerConfirmVoid, .function(11))
        set(.weightPrompt) { $0.register.prompt = .weight(sku: "PRO-001", name: "Loose tea") }
        take(.tender, .function(12))
        take(.creditCode, .function(12), .function(6), then: [.escape, .escape])
        take(.help, .character("?"))
        take(.quitConfirm, .control("q"), then: [.character("n")])
        set(.tooSmall) { $0.size = ScreenSize(width: 60, height: 20) }
        set(.approval) { state in
            state.approval = ApprovalState(reason: "Discount over 10%", change: .orderDiscount(cartID: state.register.cart?.id ?? 0, nil))
        }
        // A card waiting for the customer (the charge runs off the key loop; its state is set directly here).
        set(.working) { state in
            state.running = [RunningEffect(id: 1, progress: "Card: present card on the reader — Esc cancels", cancellable: true)]
        }
        app.press(.control("l"))
        samples.append((.signIn, app.state))
        return samples
    }

    @Test func everyStateHasAContextAndEveryContextIsTested() throws {
        let samples = try Self.samples()
        for (id, state) in samples {
            #expect(KeyBindings.active(state).id == id, "the sample for \(id) is in \(KeyBindings.active(state).id)")
        }
        #expect(Set(samples.map(\.0)) == Set(KeyContextID.allCases), "contexts without a sample state")
    }

    /// Pressing a listed key always shows: the state changes, work is asked for, or the key says why it cannot
    /// act now — never silently nothing. A key a context does not list changes nothing but a "not a key here" hint,
    /// so a reducer cannot handle a key its table does not list. Printable characters where the context types
    /// are text, the one declared exception.
    @Test func everyListedKeyActsAndEveryOtherKeyOnlySaysSo() throws {
        for (id, sample) in try Self.samples() {
            var start = sample
            start.message = nil
            let context = KeyBindings.active(start)
            for key in Self.allKeys {
                var state = start
                let effects = AppReducer.reduce(&state, .key(key))
                if let binding = context.binding(for: key) {
                    #expect(state != start || !effects.isEmpty, "\(id): \(key) (\(binding.command)) did nothing and said nothing")
                    if let reason = binding.disabledReason(start) {
                        #expect(state.message == .error("\(key) \(binding.shortHelp): \(reason)"), "\(id): \(key)")
                        #expect(effects.isEmpty, "\(id): disabled \(key) still asked for work")
                    }
                } else if !context.isTyping(key) {
                    var expected = start
                    expected.message = .info(context.noSuchKey(key))
                    #expect(state == expected && effects.isEmpty, "\(id): unlisted \(key) changed the state or asked for work")
                }
            }
        }
    }

    @Test func aDisabledKeySaysWhyAndHelpGreysIt() throws {
        let app = try TestApp.demo()
        app.press(.function(12))
        #expect(app.state.message == .error("F12 pay: the sale is empty"))
        #expect(app.state.register.tender == nil)
        app.press(.character("?"))
        let help = app.screen
        #expect(help.contains("pay — not now: the sale is empty"))
        let row = try #require(app.frame.text.split(separator: "\n").firstIndex { $0.contains("pay — not now") })
        let column = try #require(String(app.frame.text.split(separator: "\n")[row]).range(of: "F12")).lowerBound
        let x = String(app.frame.text.split(separator: "\n")[row])[..<column].count
        #expect(app.frame[x, row].style == app.theme[.keyDisabled])
    }

    @Test func anUnlistedKeySaysSoAndChangesNothing() throws {
        let app = try TestApp.demo()
        app.type("COF-001")
        app.press(.enter)
        let before = app.state
        app.press(.control("w"))
        #expect(app.state.message == .info("Ctrl-W is not a key here: ? lists this screen's keys."))
        #expect(app.state.register == before.register)
        // Ctrl-C in raw mode is only a key: it says so, and quitting stays on Ctrl-Q.
        app.press(.control("c"))
        #expect(app.state.message == .info("Ctrl-C is not a key here: ? lists this screen's keys."))
        #expect(!app.state.shouldQuit && !app.state.confirmingQuit)
    }

    @Test func helpShowsTheKeysOfTheScreenTheUserIsOn() throws {
        let app = try TestApp.demo(width: 100, height: 40, staff: "max (manager)", signedIn: "max")
        app.press(.function(4), .enter, .character("?"))
        var screen = app.screen
        #expect(screen.contains("Order #"))
        #expect(screen.contains("refund the selected line"))
        #expect(screen.contains("reprint the receipt"))
        #expect(!screen.contains("order details"))  // the list's Enter, not in force inside the order
        app.press(.escape)
        #expect(!app.state.showingHelp)
        // In a prompt: the prompt's own keys, what typing does, not the pane's.
        app.press(.escape, .function(1))
        app.type("COF-001")
        app.press(.enter)  // a burst is reduced before its effects run: the line must be there before F6
        app.press(.function(6), .character("?"))
        screen = app.screen
        #expect(screen.contains("Quantity of line 1 COF-001"))
        #expect(screen.contains("confirm"))
        #expect(screen.contains("typing"))
        // The status bar follows the prompt too.
        app.press(.escape)
        let status = app.screen.split(separator: "\n").last.map(String.init) ?? ""
        #expect(status.contains("Enter confirm") && status.contains("Esc cancel"), "\(status)")
    }

    @Test func helpScrollsWhenLongerThanTheScreen() throws {
        let app = try TestApp.demo()
        app.press(.function(2), .character("?"))
        #expect(app.screen.contains("more ↓ (PgDn)"))
        var seen = app.screen
        app.press(.pageDown)
        #expect(app.state.overlayScroll > 0)
        #expect(app.screen.contains("↑ more (PgUp)"))
        seen += app.screen
        app.press(.pageDown, .pageDown)
        seen += app.screen
        #expect(!app.screen.contains("more ↓"))
        #expect(app.state.message == .error("PgDn scroll down a page: already at the end"))
        for binding in KeyBindings.active({ var s = app.state; s.showingHelp = false; return s }()) {
            #expect(seen.contains(binding.keyLabel), "help never shows \(binding.keyLabel)")
        }
        app.press(.home)
        #expect(app.state.overlayScroll == 0)
        app.press(.escape)
        app.press(.character("?"))
        #expect(app.state.overlayScroll == 0)  // opened again: from the top
    }
}
