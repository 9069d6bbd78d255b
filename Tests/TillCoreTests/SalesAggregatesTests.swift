import Foundation
import GRDB
import Testing
import TillTestSupport
@testable import TillCore

/// The Reports pane reads pre-aggregated quarter-hour slots; its figures must be exactly the ones read from
/// the orders, whatever happened to the sales since.
@Suite struct SalesAggregatesTests {
    /// Windows a report is read over: the pane's month and today, minutes that cut slots, all time.
    func windows(_ now: Date, _ calendar: Calendar) -> [(String, Date, Date)] {
        let today = calendar.startOfDay(for: now)
        let month = calendar.date(byAdding: .day, value: -29, to: today) ?? today
        return [("month", month, now.addingTimeInterval(1)), ("today", today, now.addingTimeInterval(1)),
                ("odd minutes", month.addingTimeInterval(7 * 60 + 13.5), now.addingTimeInterval(-(3 * 86_400 + 11 * 60 + 0.25))),
                ("inside one slot", now.addingTimeInterval(-4 * 60), now.addingTimeInterval(-60)),
                ("all time", .distantPast, .distantFuture)]
    }

    /// Each window read three ways where it can be: products grouped from the slots, from the product window
    /// put at its start (moved forward, or refilled when it moves back), and from the orders alone.
    func expectSame(_ store: StoreDatabase, at now: Date, _ stage: String) throws {
        let calendar = try store.read { db in try StoreSettings.load(db).calendar }
        for (name, from, to) in windows(now, calendar) {
            try store.write { db in try db.execute(sql: "DELETE FROM product_window_state") }
            let (grouped, unaggregated) = try store.read { db in
                (try SalesReports.summary(db, from: from, to: to, calendar: calendar),
                 try SalesReports.unaggregatedSummary(db, from: from, to: to, calendar: calendar))
            }
            #expect(grouped == unaggregated, "\(stage), \(name), grouped")
            let aligned = from.timeIntervalSince1970.truncatingRemainder(dividingBy: 900) == 0
            guard aligned else { continue }
            for start in [from.addingTimeInterval(-86_400), from.addingTimeInterval(86_400), from] {
                // Moved there from a day before (forward), a day after (refilled), and not at all.
                try store.write { db in try SalesAggregates.moveWindow(db, to: SalesAggregates.slotName(start)) }
            }
            let windowed = try store.read { db in
                #expect(try SalesAggregates.windowStart(db) == SalesAggregates.slotName(from))
                return try SalesReports.summary(db, from: from, to: to, calendar: calendar)
            }
            #expect(windowed == unaggregated, "\(stage), \(name), product window")
        }
    }

    @Test func theAggregatedSummaryEqualsTheOrdersThroughSalesRefundsVoidsAndEdits() throws {
        let store = try TestStores.demoStore()
        let staff = Staff(store: store)
        let max = try #require(try staff.member(username: "max").id)
        let sam = try #require(try staff.member(username: "sam").id)
        let now = TestStores.demoCreatedAt.addingTimeInterval(7 * 60)
        // The demo's month of history, filled in by the migration's backfill and the triggers.
        try expectSame(store, at: now, "demo history")
        let month = try store.read { db in
            try SalesReports.summary(db, from: now.addingTimeInterval(-30 * 86_400), to: now, calendar: try StoreSettings.load(db).calendar)
        }
        #expect(month.orders > 100 && month.topProducts.count == 5 && month.topCategories.count > 3 && month.byDay.count >= 28)
        #expect(month.returningCustomerPermille > 0 && month.topCustomers.count == 5)

        // New sales today, one with a customer, one of two lines of one category.
        let variants = try store.read { db in try Int64.fetchAll(db, sql: "SELECT id FROM variant ORDER BY id LIMIT 3") }
        let customer = try store.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM customer ORDER BY id LIMIT 1") }
        let till = try TestStores.openTill(store, staffID: max, at: now)
        var numbers: [Int64] = []
        for (index, variant) in variants.enumerated() {
            let sale = try Checkout(store: store).completeSale(SaleRequest(
                lines: [SaleLineRequest(variantID: variant, quantity: Quantity(milli: 1000 * Int64(index + 1))),
                        SaleLineRequest(variantID: variants[0], quantity: .one)],
                customerID: index == 0 ? customer : nil, tenders: [Tender(method: .cash)]), till)
            numbers.append(sale.number)
        }
        try expectSame(store, at: now, "three sales today")

        // A refund of an old sale (counts on the day it is made), a void of today's.
        let old = try store.read { db in
            try #require(try Int64.fetchOne(db, sql: "SELECT number FROM orders WHERE status = 'completed' ORDER BY number LIMIT 1"))
        }
        _ = try Refunds(store: store).refund(RefundRequest(orderNumber: old, lines: [RefundLineRequest(line: 1)], reason: "broken"),
                                             TestStores.context(store, staffID: sam, at: now))
        _ = try Refunds(store: store).void(orderNumber: numbers[1], reason: "wrong till", TestStores.context(store, staffID: max, at: now))
        try expectSame(store, at: now, "refund and void")
        let voided = try store.read { db in try String.fetchOne(db, sql: "SELECT status FROM orders WHERE number = ?", arguments: [numbers[1]]) }
        #expect(voided == "voided")

        // Edits the reports read through: a category renamed, one set aside, an item switched to kg, a customer
        // put on an old sale, a line's figures changed.
        try store.write { db in
            try db.execute(sql: "UPDATE category SET name = 'Renamed' WHERE id = (SELECT MIN(id) FROM category)")
            let gone = try #require(try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM category"))
            try db.execute(sql: "UPDATE product SET category_id = NULL WHERE category_id = ?", arguments: [gone])
            try db.execute(sql: "DELETE FROM category WHERE id = ?", arguments: [gone])
            try db.execute(sql: "UPDATE product SET unit = 'kg' WHERE id = (SELECT product_id FROM variant WHERE id = ?)", arguments: [variants[0]])
            try db.execute(sql: "UPDATE orders SET customer_id = ? WHERE number = ?", arguments: [customer, old + 1])
            try db.execute(sql: "UPDATE order_line SET total = total + 1 WHERE order_id = (SELECT id FROM orders WHERE number = ?)", arguments: [old + 2])
        }
        try expectSame(store, at: now, "edits")
        let lines = try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM order_line WHERE category_id IS NULL") ?? 0 }
        #expect(lines > 0)
    }

    /// The pane really reads the slots: change one and the summary follows it (on the code before the slots,
    /// there was no table to change).
    @Test func theSummaryReadsTheSlotsNotTheOrders() throws {
        let store = try TestStores.demoStore()
        let now = TestStores.demoCreatedAt
        let before = try store.read { db in
            try SalesReports.summary(db, from: now.addingTimeInterval(-30 * 86_400), to: now, calendar: try StoreSettings.load(db).calendar)
        }
        try store.write { db in
            try db.execute(sql: "UPDATE sales_slot SET total = total + 100 WHERE slot = (SELECT MAX(slot) FROM sales_slot WHERE slot < ?)",
                           arguments: [SalesAggregates.slotName(Int64(now.timeIntervalSince1970) - 86_400)])
        }
        let after = try store.read { db in
            try SalesReports.summary(db, from: now.addingTimeInterval(-30 * 86_400), to: now, calendar: try StoreSettings.load(db).calendar)
        }
        #expect(after.sales == before.sales + 100)
        // A rebuild puts the figures back from the orders.
        try store.write { db in try db.execute(sql: SalesAggregates.rebuildSQL) }
        let rebuilt = try store.read { db in
            try SalesReports.summary(db, from: now.addingTimeInterval(-30 * 86_400), to: now, calendar: try StoreSettings.load(db).calendar)
        }
        #expect(rebuilt == before)
    }
}
