import Foundation
import Testing
import TillCore
import TillTestSupport

/// What support types to find an order, read once in TillCore for the Orders pane and `till orders search`.
@Suite struct OrderSearchSyntaxTests {
    static var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Berlin")!
        return calendar
    }

    static func parse(_ text: String) throws -> OrderQuery {
        try OrderQuery(parsing: text, currency: .EUR, calendar: calendar)
    }

    static func day(_ year: Int, _ month: Int, _ day: Int) -> Date {
        calendar.date(from: DateComponents(year: year, month: month, day: day))!
    }

    @Test func prefixesAndBareWordsBecomeFields() throws {
        let query = try Self.parse("card:4242 2026-11-20 item:espresso roast amount:10-15")
        #expect(query.last4 == "4242")
        #expect(query.sku == "espresso roast")
        #expect(query.minTotal == 1000 && query.maxTotal == 1500)
        #expect(query.from == Self.day(2026, 11, 20) && query.to == Self.day(2026, 11, 21))
        #expect(query.text == "")

        let bare = try Self.parse("#1042 12.50")
        #expect(bare.number == 1042 && bare.minTotal == 1250 && bare.maxTotal == 1250 && bare.text == "")

        let phone = try Self.parse("phone:030 450 0373 status:voided")
        #expect(phone.phone == "030 450 0373" && phone.statuses == [.voided])

        let range = try Self.parse("2026-11-01..2026-11-03 staff:ana email:anna@")
        let words = try Self.parse("item:espresso roast 2026-11-20 phone:030 450 0373 12.50")
        #expect(words.sku == "espresso roast" && words.phone == "030 450 0373" && words.minTotal == 1250 && words.from != nil)
        // "Roughly when": a month.
        let month = try Self.parse("item:beanie 2026-11")
        #expect(month.sku == "beanie" && month.from == Self.day(2026, 11, 1) && month.to == Self.day(2026, 12, 1))
        #expect(range.from == Self.day(2026, 11, 1) && range.to == Self.day(2026, 11, 4))
        #expect(range.staff == "ana" && range.customer == "anna@")

        // Four digits alone stay text: the search also tries them as a card's last four.
        #expect(try Self.parse("4242").text == "4242" && Self.parse("4242").last4 == nil)
        #expect(try Self.parse("Anna López").text == "Anna López")
        // Half typed: nothing yet, and no complaint.
        #expect(try Self.parse("card:") == OrderQuery())
    }

    @Test func aWrongFieldSaysWhatItTakes() throws {
        #expect(throws: TillError.invalid("card: takes the card's last four digits, e.g. card:4242 (got \"12\")")) {
            try Self.parse("card:12")
        }
        #expect(throws: TillError.invalid("unknown search field \"colour:\"; use \(OrderSearchSyntax.prefixes)")) {
            try Self.parse("colour:red")
        }
        #expect(throws: TillError.invalid("amount: the range 15-10 runs backwards; write the smaller amount first")) {
            try Self.parse("amount:15-10")
        }
        #expect(throws: TillError.invalid("date: takes a day as YYYY-MM-DD, a month YYYY-MM or a range YYYY-MM-DD..YYYY-MM-DD, got \"2026-13-01\"")) {
            try Self.parse("date:2026-13-01")
        }
    }

    @Test func theOrderIsFoundFromWhatTheCustomerKnows() throws {
        let store = try TestStores.demoStore()
        let orders = Orders(store: store)
        let settings = try store.read { db in try StoreSettings.load(db) }
        let all = try orders.search(limit: 10_000)
        let withCard = try #require(try all.lazy.map { try orders.detail(id: $0.id) }.first { detail in
            detail.customer?.phone != nil && detail.payments.contains { $0.cardLast4 != nil }
        })
        let number = try #require(withCard.order.number)
        let last4 = try #require(withCard.payments.first { $0.cardLast4 != nil }?.cardLast4)
        let phone = try #require(withCard.customer?.phone)
        let line = try #require(withCard.lines.first)
        let completed = try #require(withCard.order.completedAt)
        let dayFormat = DateFormatter()
        dayFormat.calendar = settings.calendar
        dayFormat.timeZone = settings.timeZone
        dayFormat.dateFormat = "yyyy-MM-dd"
        let day = dayFormat.string(from: completed)
        let total = Money(minorUnits: withCard.order.total, currency: settings.currency).decimalString

        func found(_ text: String) throws -> [OrderSummary] {
            try orders.search(try OrderQuery(parsing: text, currency: settings.currency, calendar: settings.calendar), limit: 10_000)
        }
        #expect(try found(last4).contains { $0.number == number }, "bare last four")
        #expect(try found("card:\(last4) \(day)").contains { $0.number == number })
        #expect(try found("card:\(last4) \(day)").allSatisfy { summary in
            (try? orders.detail(id: summary.id).payments.contains { $0.cardLast4 == last4 }) == true
        })
        #expect(try found("phone:\(phone) \(total)").contains { $0.number == number })
        #expect(try found("\(total)").allSatisfy { $0.total == withCard.order.total })
        #expect(try found("sku:\(line.sku) #\(number)").map(\.number) == [number])
        #expect(try found("#\(number) amount:\(total)-\(total)").map(\.number) == [number])
        #expect(try found("#\(number) status:voided").isEmpty)
    }
}
