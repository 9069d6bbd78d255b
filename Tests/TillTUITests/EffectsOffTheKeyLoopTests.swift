import Foundation
import GRDB
import Testing
import TillCore
import TillTestSupport
@testable import TillTUI

/// Effects run off the key loop: a card that waits two seconds for the customer is drawn with its progress, keys
/// are handled and drawn meanwhile, Esc reaches the charge while it runs, and type-ahead waits for a quick change.
@Suite struct EffectsOffTheKeyLoopTests {
    /// A cart with one espresso (€14.50 with tax) on the tender screen; the reader's customer is slow to tap.
    private func payingByCard(delay: Duration) throws -> AppDriver {
        let app = try TestApp.demo(shiftOpen: true, cardDelay: delay)
        app.type("COF-002")
        app.press(.enter, .function(12))
        #expect(app.state.register.tender != nil)
        return app
    }

    private func charges(_ app: AppDriver) throws -> Int {
        try app.store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sim_card_payment WHERE status = 'captured'") ?? 0 }
    }

    @Test func aTwoSecondCardChargeIsDrawnWithItsProgressWhileKeysAreHandled() throws {
        let app = try payingByCard(delay: .seconds(2))
        let chargesBefore = try charges(app)
        let ordersBefore = try app.orderCount()
        let clock = ContinuousClock()
        let started = clock.now
        app.send([.key(.function(2))])  // the reader now waits two seconds for the customer's tap
        #expect(clock.now - started < .milliseconds(500), "send must not wait for the charge")
        #expect(app.isBusy)
        #expect(app.state.running.map(\.cancellable) == [true])
        // The reader says what it is doing as soon as it has the request.
        for _ in 0..<100 where !app.screen.contains("Card: present card on reader sim-main") {
            Thread.sleep(forTimeInterval: 0.01)
            app.drain()
        }
        #expect(app.screen.contains("Card: present card on reader sim-main — Esc cancels"))

        // Keys typed while the card waits are handled and drawn at once: help opens and closes, others are told
        // to wait rather than applied to a screen about to change.
        app.send([.key(.character("?"))])
        #expect(app.state.showingHelp)
        #expect(app.screen.contains("Help"))
        app.send([.key(.escape)])  // closes the help, not the charge
        #expect(!app.state.showingHelp)
        #expect(app.state.running.first?.cancelRequested == false)
        app.send([.key(.character("5"))])
        #expect(app.state.message == .info("Card: present card on reader sim-main — wait for it, or Esc to cancel."))
        #expect(app.state.register.tender?.amount == "")
        #expect(clock.now - started < .seconds(2), "keys must be handled before the charge answers")
        #expect(try app.orderCount() == ordersBefore)
        #expect(app.state.register.cart?.order.status == .open)

        #expect(app.settle(timeout: .seconds(10)))
        #expect(clock.now - started >= .seconds(2))
        #expect(app.state.running.isEmpty)
        #expect(app.state.register.receipt != nil)
        #expect(app.state.message?.text.hasPrefix("Sale #") == true)
        #expect(try charges(app) == chargesBefore + 1)
    }

    @Test func escDuringTheChargeStopsItBeforeTheCardIsChargedAndTheSaleStaysOpen() throws {
        let app = try payingByCard(delay: .seconds(5))
        let chargesBefore = try charges(app)
        let clock = ContinuousClock()
        let started = clock.now
        app.send([.key(.function(2))])
        app.send([.key(.escape)])
        #expect(app.state.running.first?.cancelRequested == true)
        #expect(app.screen.contains("Cancelling…"))
        #expect(app.settle(timeout: .seconds(10)))
        #expect(clock.now - started < .seconds(3), "Esc must reach the charge while it waits, not after it")
        #expect(app.state.message == .error("card payment cancelled before the card was charged; nothing was taken"))
        #expect(try charges(app) == chargesBefore)
        let cart = try #require(app.state.register.cart)
        #expect(cart.order.status == .open)
        #expect(cart.paid == 0)
        // The next attempt is a new charge and goes through.
        let retry = try TestApp.reopen(app)
        retry.press(.function(12), .function(2))
        #expect(retry.state.register.receipt != nil)
    }

    @Test func keysTypedWhileAQuickChangeRunsWaitForItAndKeepTheirOrder() throws {
        let app = try TestApp.demo(shiftOpen: true)
        // One burst, nothing settled in between: the scan's Enter starts a change, and F12 — typed right after —
        // must see the line it adds (applied before the change answered, it would find an empty sale).
        app.send("COF-002".map { .key(.character($0)) } + [.key(.enter), .key(.function(12))])
        #expect(app.settle(timeout: .seconds(10)))
        #expect(app.state.register.cart?.lines.map(\.sku) == ["COF-002"])
        #expect(app.state.register.tender != nil)
    }

    @Test func aSearchTypedPastIsNotShown() throws {
        let app = try TestApp.demo()
        app.press(.function(2))
        // Each letter sends its own search without waiting; only the answer for the whole word may land.
        for letter in "espresso" { app.send([.key(.character(letter))]) }
        #expect(app.settle(timeout: .seconds(10)))
        #expect(app.state.catalog.search == "espresso")
        let rows = app.state.catalog.list.rows
        #expect(!rows.isEmpty)
        #expect(rows.allSatisfy { $0.displayName.lowercased().contains("espresso") || $0.sku.hasPrefix("COF") })
    }
}
