import Foundation
import GRDB
import Testing
import TillTestSupport
@testable import TillCore

/// Days, shifts and drawers: a Z closes the business day, cash goes into the drawer of the register where it
/// happens, blind close, and the books `till doctor` proves. The store runs in UTC so hours are exact.
@Suite struct BusinessDayTests {
    let store: StoreDatabase
    let ana: StaffMember
    let max: StaffMember
    let sam: StaffMember
    let coffee: CatalogItem
    let gateway: SimulatedTerminal

    init() throws {
        store = try TestStores.demoStore()
        let staff = Staff(store: store)
        ana = try staff.member(username: "ana")
        max = try staff.member(username: "max")
        sam = try staff.member(username: "sam")
        coffee = try #require(try Catalog(store: store).lookup(code: "COF-002"))
        gateway = SimulatedTerminal(store: store)
        try StoreSettingsEditor(store: store).set("time_zone", to: "UTC", TillContext())
    }

    /// `day` days after the demo's creation day, at `hour`:`minute` UTC.
    func at(_ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let start = calendar.startOfDay(for: TestStores.demoCreatedAt)
        return start.addingTimeInterval(Double(day * 86_400 + hour * 3600 + minute * 60))
    }

    func ctx(_ member: StaffMember, _ register: String = "main", _ date: Date) -> TillContext {
        TillContext(staffID: member.id, register: register, terminal: gateway).at(date)
    }

    func dayKey(_ date: Date) throws -> BusinessDay {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let p = calendar.dateComponents([.year, .month, .day], from: date)
        return try BusinessDay(String(format: "%04d-%02d-%02d", p.year!, p.month!, p.day!))
    }

    func sale(_ ctx: TillContext, _ tenders: [ScriptedTender] = [ScriptedTender(method: .cash)], units: Int64 = 1) throws -> CompletedSale {
        try Checkout(store: store).sell(lines: [SaleLineRequest(variantID: coffee.variantID, quantity: .units(units))],
                                        orderDiscount: nil, customerID: nil, tenders: tenders, ctx)
    }

    func businessDay(ofOrder number: Int64) throws -> String? {
        try store.read { db in try String.fetchOne(db, sql: "SELECT business_day FROM orders WHERE number = ?", arguments: [number]) }
    }

    @Test func aSaleAfterTheZBelongsToTheNextBusinessDayAndTheZReportsAddUpToTheOrders() throws {
        let shifts = Shifts(store: store)
        let reports = DayReports(store: store)
        var zTotals: Int64 = 0
        var sold: [Int64: String] = [:]
        for day in 1...3 {
            let today = try dayKey(at(day, 12))
            _ = try shifts.open(float: 10_000, ctx(ana, "main", at(day, 8)))
            let first = try sale(ctx(ana, "main", at(day, 9)))
            let split = try sale(ctx(ana, "main", at(day, 10)), [ScriptedTender(method: .card, amount: 100), ScriptedTender(method: .cash)], units: 2)
            sold[first.number] = today.key
            sold[split.number] = today.key
            _ = try shifts.close(count: try CashCount.parse("100x1", currency: .EUR), ctx(ana, "main", at(day, 17)))
            let z = try reports.z(ctx(max, "main", at(day, 17, 30)))
            #expect(z.figures.day == today.key)
            #expect(z.note == nil)
            #expect(z.figures.salesCount == (day == 1 ? 2 : 3))  // from day 2 on, the day before's late sale too
            zTotals += z.figures.total
            // After the Z, by the clock still the same day: the sale lands in the next business day.
            _ = try shifts.open(float: 5_000, ctx(ana, "main", at(day, 18)))
            let late = try sale(ctx(ana, "main", at(day, 19)))
            #expect(try businessDay(ofOrder: late.number) == today.next.key)
            sold[late.number] = today.next.key
            #expect(try reports.x(ctx(max, "main", at(day, 20))).day == today.next.key)
            #expect(try reports.savedZ(day: today, ctx(max, "main", at(day, 20))).figures == z.figures)
            _ = try shifts.close(count: try CashCount.parse("50x1,2x1", currency: .EUR), ctx(ana, "main", at(day, 21)))
        }
        for (number, day) in sold { #expect(try businessDay(ofOrder: number) == day, "order #\(number)") }
        // Day 4's Z holds day 3's late sale; all Z reports together equal their days' orders to the cent.
        let last = try reports.z(ctx(max, "main", at(4, 12)))
        #expect(last.figures.salesCount == 1)
        zTotals += last.figures.total
        let ordersTotal = try sold.keys.reduce(Int64(0)) { $0 + (try Orders(store: store).detail(number: $1).order.total) }
        #expect(zTotals == ordersTotal)
        // Sales by day count each sale on its business day, as its Z did.
        let byDay = try SalesReports(store: store).sales(from: at(1, 0), to: at(5, 0), by: .day, ctx(max, "main", at(4, 13)))
        #expect(byDay.map(\.key) == (try (1...4).map { try dayKey(at($0, 12)).key }))
        #expect(byDay.map(\.orders) == [2, 3, 3, 1])
        let doctor = try StoreDoctor(store: store).examine()
        #expect(doctor.passed, "\(doctor.checks.filter { !$0.passed })")
    }

    @Test func aBusinessDayStartsAtTheStoreHourSoANightIsOneDay() throws {
        _ = try Shifts(store: store).open(float: 0, ctx(ana, "bar", at(1, 20)))
        let evening = try sale(ctx(ana, "bar", at(1, 23)))
        let night = try sale(ctx(ana, "bar", at(2, 1, 30)))
        #expect(try businessDay(ofOrder: evening.number) == (try dayKey(at(1, 12))).key)
        #expect(try businessDay(ofOrder: night.number) == (try dayKey(at(1, 12))).key)
        // With no shift open, the clock decides: 03:59 is still yesterday, 04:00 today.
        try StoreSettingsEditor(store: store).set("cash_requires_shift", to: "false", TillContext())
        let early = try sale(ctx(ana, "nobody", at(3, 3, 59)))
        let opening = try sale(ctx(ana, "nobody", at(3, 4, 0)))
        #expect(try businessDay(ofOrder: early.number) == (try dayKey(at(2, 12))).key)
        #expect(try businessDay(ofOrder: opening.number) == (try dayKey(at(3, 12))).key)
    }

    @Test func aZForADayNotBegunIsRefusedAPastDayNeverClosedIsAllowedAndSaysSo() throws {
        let reports = DayReports(store: store)
        let tomorrow = try dayKey(at(2, 12))
        #expect(throws: TillError.invalid("business day \(tomorrow) has not begun (today's is \(try dayKey(at(1, 12)))); a day is closed at its end")) {
            _ = try reports.z(day: tomorrow, ctx(max, "main", at(1, 12)))
        }
        let demoDay = try dayKey(TestStores.demoCreatedAt)
        let past = try reports.z(day: demoDay.adding(days: -1), ctx(max, "main", at(1, 12)))
        #expect(past.note == "closing \(demoDay.adding(days: -1)), a past business day that was never closed (today's is \(try dayKey(at(1, 12))))")
        #expect(past.figures.salesCount > 0)
        #expect(throws: TillError.invalid("\(demoDay.adding(days: -1)) was closed already as Z report #\(past.number) at \(LocalTime.format(at(1, 12), timeZone: TimeZone(identifier: "UTC")!)); `till report z --date \(demoDay.adding(days: -1)) --show` prints it")) {
            _ = try reports.z(day: demoDay.adding(days: -1), ctx(max, "main", at(1, 13)))
        }
        #expect(throws: TillError.permissionDenied("ana (cashier) may not close the day (Z report); a manager must approve")) {
            _ = try reports.z(ctx(ana, "main", at(1, 12)))
        }
    }

    @Test func theZWaitsForEveryShiftAndNoRowCanBeStampedWithAClosedDay() throws {
        _ = try Shifts(store: store).open(float: 0, ctx(ana, "till-2", at(1, 8)))
        #expect(throws: TillError.invalid("close every shift before the Z report: till-2 (open since \(LocalTime.format(at(1, 8), timeZone: TimeZone(identifier: "UTC")!))) — F5 then c, or `till shift close --count … --register NAME`")) {
            _ = try DayReports(store: store).z(ctx(max, "main", at(1, 17)))
        }
        let sold = try sale(ctx(ana, "till-2", at(1, 9)))
        _ = try Shifts(store: store).close(count: try CashCount.parse("1x0", currency: .EUR), ctx(ana, "till-2", at(1, 16)))
        let z = try DayReports(store: store).z(ctx(max, "main", at(1, 17)))
        // The database itself refuses to move a row into (or write one in) a closed day.
        #expect(try businessDay(ofOrder: sold.number) == z.figures.day)
        #expect(throws: DatabaseError.self) {
            try store.pool.write { db in
                try db.execute(sql: "UPDATE orders SET business_day = ? WHERE number = (SELECT MIN(number) FROM orders)",
                               arguments: [z.figures.day])
            }
        }
        #expect(throws: DatabaseError.self) {
            try store.pool.write { db in
                try db.execute(sql: """
                    INSERT INTO cash_movement(shift_id, kind, amount, reason, created_at, business_day)
                    VALUES ((SELECT MAX(id) FROM shift), 'pay_in', 100, 'sneaky', ?, ?)
                    """, arguments: [at(1, 18), z.figures.day])
            }
        }
    }

    @Test func cashWithNoShiftOpenIsRefusedAndSaysHowToOpenOne() throws {
        let before = try TestStores.saleTableCounts(store)
        #expect(throws: TillError.invalid("no shift open on register till-9: F5 then o opens one (needed to take cash; or `till shift open --float AMOUNT --register till-9`)")) {
            _ = try sale(ctx(ana, "till-9", at(1, 9)))
        }
        #expect(try TestStores.saleTableCounts(store) == before)  // refused before anything is written
        // A card needs no drawer.
        let card = try sale(ctx(ana, "till-9", at(1, 9)), [ScriptedTender(method: .card)])
        #expect(card.order.status == .completed)
        // Cash given back needs one as much as cash taken.
        #expect(throws: TillError.invalid("no shift open on register till-9: F5 then o opens one (needed to give cash back; or `till shift open --float AMOUNT --register till-9`)")) {
            _ = try Refunds(store: store).returnWithoutReceipt([NoReceiptItem(variantID: coffee.variantID, quantity: .one)],
                                                               destination: .cash, reason: "no receipt", ctx(sam, "till-9", at(1, 10)))
        }
        try StoreSettingsEditor(store: store).set("cash_requires_shift", to: "false", TillContext())
        let loose = try sale(ctx(ana, "till-9", at(1, 11)))
        #expect(loose.order.status == .completed)
    }

    @Test func refundsAndVoidsTakeTheirCashFromTheDrawerOfTheRegisterWhereTheyHappen() throws {
        let shifts = Shifts(store: store)
        _ = try shifts.open(float: 10_000, ctx(ana, "front", at(1, 8)))
        _ = try shifts.open(float: 10_000, ctx(sam, "desk", at(1, 8)))
        let first = try sale(ctx(ana, "front", at(1, 9)), units: 2)
        let second = try sale(ctx(ana, "front", at(1, 9, 30)))
        _ = try Refunds(store: store).refund(RefundRequest(orderNumber: first.number, lines: [RefundLineRequest(line: 1, quantity: .one)]),
                                             ctx(sam, "desk", at(1, 10)))
        _ = try Refunds(store: store).void(orderNumber: second.number, ctx(max, "desk", at(1, 11)))
        let front = try shifts.summary(ctx(max, "front", at(1, 12)))
        let desk = try shifts.summary(ctx(max, "desk", at(1, 12)))
        #expect(front.cashSales == first.order.total + second.order.total)
        #expect(front.cashRefunds == 0)
        #expect(desk.cashSales == 0)
        #expect(desk.cashRefunds == first.order.total / 2 + second.order.total)
        #expect(desk.expectedCash == 10_000 - first.order.total / 2 - second.order.total)
        let doctor = try StoreDoctor(store: store).examine()
        #expect(doctor.checks.first { $0.name == "drawers == cash flows" }?.passed == true)
    }

    @Test func aVoidIsOnlyForTheBusinessDayStillOpen() throws {
        _ = try Shifts(store: store).open(float: 0, ctx(ana, "main", at(1, 8)))
        let sold = try sale(ctx(ana, "main", at(1, 9)))
        _ = try Shifts(store: store).close(count: try CashCount.parse("1x0", currency: .EUR), ctx(ana, "main", at(1, 16)))
        let z = try DayReports(store: store).z(ctx(max, "main", at(1, 17)))
        _ = try Shifts(store: store).open(float: 0, ctx(ana, "main", at(1, 18)))
        // Same calendar day, but the Z closed the sale's business day: a refund now, not a void.
        #expect(throws: TillError.invalid("order #\(sold.number) was sold on business day \(z.figures.day), not today's (\(try BusinessDay(z.figures.day).next)); a sale can be voided only on its day — refund it instead")) {
            _ = try Refunds(store: store).void(orderNumber: sold.number, ctx(max, "main", at(1, 19)))
        }
    }

    @Test func blindCloseHidesTheExpectedCashFromTheCashierUntilTheCountIsSaved() throws {
        let shifts = Shifts(store: store)
        _ = try shifts.open(float: 10_000, ctx(ana, "main", at(1, 8)))
        let sold = try sale(ctx(ana, "main", at(1, 9)))
        let seenByAna = try shifts.summary(ctx(ana, "main", at(1, 12)))
        #expect(seenByAna.expectedHidden)
        #expect(!ShiftReport.lines(seenByAna, currency: .EUR).joined().contains("expected  "))
        #expect(ShiftReport.lines(seenByAna, currency: .EUR).contains("  expected cash: shown after the drawer is counted (blind close)"))
        #expect(try shifts.summary(ctx(max, "main", at(1, 12))).expectedHidden == false)
        let closed = try shifts.close(count: try CashCount.parse("100x1", currency: .EUR), ctx(ana, "main", at(1, 17)))
        #expect(closed.expectedHidden == false)
        #expect(closed.expectedCash == 10_000 + sold.order.total)
        #expect(closed.variance == -sold.order.total)
        try StoreSettingsEditor(store: store).set("blind_close", to: "false", TillContext())
        _ = try shifts.open(float: 0, ctx(ana, "main", at(1, 18)))
        #expect(try shifts.summary(ctx(ana, "main", at(1, 19))).expectedHidden == false)
    }

    @Test func reportsThatAreRestrictedAreRefusedToACashier() throws {
        let cashier = ctx(ana, "main", at(1, 12))
        let refused = TillError.permissionDenied("ana (cashier) may not view reports; a manager must approve")
        #expect(throws: refused) { _ = try StockReports(store: store).valuation(by: .category, cashier) }
        #expect(throws: refused) { _ = try StockReports(store: store).reorder(cashier) }
        #expect(throws: refused) { _ = try Reconciliation(store: store, terminal: gateway).run(day: at(1, 12), cashier) }
        #expect(throws: refused) { _ = try Shifts(store: store).history(cashier) }
        #expect(throws: refused) { _ = try DayReports(store: store).x(cashier) }
        #expect(try StockReports(store: store).valuation(by: .category, ctx(max, "main", at(1, 12))).isEmpty == false)
    }

    @Test func timesAreShownInTheStoreTimeZone() throws {
        let moment = at(1, 9, 5)
        #expect(LocalTime.format(moment, timeZone: TimeZone(identifier: "UTC")!) == (try dayKey(moment)).key + " 09:05")
        #expect(LocalTime.format(moment, timeZone: TimeZone(identifier: "Asia/Tokyo")!) == (try dayKey(moment)).key + " 18:05")
        #expect(LocalTime.iso(moment, timeZone: TimeZone(identifier: "Asia/Tokyo")!) == (try dayKey(moment)).key + "T18:05:00+0900")
        #expect(throws: TillError.invalid("time_zone \"Mars/Olympus\" is not a known time zone (e.g. Europe/Berlin, America/New_York, UTC)")) {
            try StoreSettingsEditor(store: store).set("time_zone", to: "Mars/Olympus", TillContext())
        }
        #expect(throws: TillError.invalid("\"2026-13-01\" is not a day; give it as YYYY-MM-DD, e.g. 2026-11-20")) { _ = try BusinessDay("2026-13-01") }
    }
}
