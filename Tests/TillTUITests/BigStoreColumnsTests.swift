import Foundation
import GRDB
import Testing
import TillCore
import TillTestSupport
@testable import TillTUI

/// A big store's figures show whole at 80×24: seven-digit order numbers and totals in the millions.
@Suite struct BigStoreColumnsTests {
    /// The demo's orders renumbered from 9,001,001 and its newest sale made €1,234,567.89.
    static func bigStore(_ store: StoreDatabase) throws {
        try store.write { db in
            try db.execute(sql: "UPDATE orders SET number = number + 9000000 WHERE number IS NOT NULL")
            try db.execute(sql: "UPDATE orders SET total = 123456789 WHERE number = (SELECT MAX(number) FROM orders)")
        }
    }

    @Test func sevenDigitOrderNumbersAndMillionsShowWholeAt80x24() throws {
        let app = try TestApp.demo(width: 80, height: 24, staff: "max (manager)", signedIn: "max", shiftOpen: true, prepare: Self.bigStore)
        let newest = try #require(try app.store.read { db in try Int64.fetchOne(db, sql: "SELECT MAX(number) FROM orders") })
        #expect(newest > 9_000_000)
        let million = Money(minorUnits: 123_456_789, currency: app.state.store.currency).formatted()
        #expect(million == "€1,234,567.89")

        app.press(.function(4))
        let list = app.screen
        #expect(list.contains("#\(newest) "), "\(list)")
        #expect(list.contains(million), "\(list)")
        #expect(!list.contains("#\(newest / 10)…"))

        app.press(.enter)
        #expect(app.state.orders.detail?.order.number == newest)
        #expect(app.screen.contains("Orders › #\(newest)"))
        #expect(app.screen.contains(million), "\(app.screen)")

        // A sale at the register takes the next number: its message and receipt show it whole.
        app.press(.escape, .function(1))
        app.type("4083086271492")
        app.press(.enter)
        app.press(.function(12))
        app.press(.enter)
        let receipt = try #require(app.state.register.receipt)
        #expect(receipt.contains("Order #\(newest + 1)"))
        #expect(app.state.message?.text.hasPrefix("Sale #\(newest + 1) completed") == true)
        #expect(app.screen.contains("Order #\(newest + 1)"), "\(app.screen)")
    }
}
