import Foundation
import Testing
import TillCore
import TillTestSupport

/// Three business days of a two-register shop, through the real binary as its four roles would run it: shifts
/// opened and blind-closed, cash, card and split sales, refunds and a void at the second register, stock moved,
/// a tax rate changed from a date, a Z each evening and a sale after each Z, customers with hostile fields
/// exported and imported back — and at the end `till doctor` proves the books. The clock is pinned per
/// command with TILL_CLOCK; the store runs in UTC so the hours are exact.
@Suite(.serialized) struct ThreeBusinessDaysTests {
    let db = TestStores.temporaryPath()
    let pins = ["ana": "1111", "sam": "3333", "max": "2222", "ada": "4444"]
    /// 00:00 UTC of the day after today: the demo's history is all before it.
    let base: Date = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: Date()))!
    }()

    func time(_ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        base.addingTimeInterval(Double((day - 1) * 86_400 + hour * 3600 + minute * 60))
    }

    func key(_ day: Int) -> String { String(time(day, 12).ISO8601Format().prefix(10)) }

    /// `till ARGS` as `user` at `register`, at `date`; fails the test unless it exits 0 (or `status`).
    @discardableResult
    func till(_ user: String?, _ arguments: [String], register: String = "front", at date: Date, status: Int32 = 0,
              sourceLocation: SourceLocation = #_sourceLocation) throws -> TillProcess.Output {
        var environment = ["TILL_DB": db, "TILL_REGISTER": register, "TILL_CLOCK": date.ISO8601Format()]
        if let user {
            environment["TILL_USER"] = user
            environment["TILL_PIN"] = pins[user]
        }
        let result = try TillProcess.run(arguments, environment: environment)
        #expect(result.status == status, "till \(arguments.joined(separator: " ")) as \(user ?? "-"): \(result.stderr)",
                sourceLocation: sourceLocation)
        return result
    }

    func orderNumber(_ output: TillProcess.Output) throws -> Int64 {
        let line = try #require(output.stdout.split(separator: "\n").first { $0.hasPrefix("order #") })
        return try #require(Int64(line.dropFirst("order #".count).prefix { $0.isNumber }))
    }

    @Test func threeBusinessDaysAddUpInTheZReportsTheDrawersAndTheDoctor() throws {
        #expect(try TillProcess.run(["init", "--db", db]).status == 0)
        try till("ada", ["settings", "set", "time_zone", "UTC"], at: time(1, 7))
        // Each till has its own card reader (the simulated one: every customer approves).
        try till("ada", ["terminal", "pair", "front", "sim-front", "--simulated"], at: time(1, 7))
        try till("ada", ["terminal", "pair", "desk", "sim-desk", "--simulated"], at: time(1, 7))
        try till("ada", ["tax", "set", "standard", "20", "--from", key(2)], at: time(1, 7))
        var zTotal: Int64 = 0
        for day in 1...3 {
            try till("ana", ["shift", "open", "--float", "100"], at: time(day, 8))
            try till("sam", ["shift", "open", "--float", "50"], register: "desk", at: time(day, 8))
            let cash = try orderNumber(try till("ana", ["sell", "--item", "COF-002*2", "--pay", "cash:50"], at: time(day, 9)))
            let card = try orderNumber(try till("ana", ["sell", "--item", "SNK-002", "--pay", "card"], at: time(day, 9, 10)))
            _ = try orderNumber(try till("ana", ["sell", "--item", "COF-002", "--item", "SNK-002", "--pay", "card:1", "--pay", "cash"],
                                         at: time(day, 9, 20)))
            // No cash without a drawer: register "spare" has no shift.
            let refused = try till("ana", ["sell", "--item", "COF-002", "--pay", "cash"], register: "spare", at: time(day, 9, 30), status: 1)
            #expect(refused.stderr.contains("no shift open on register spare: F5 then o opens one (needed to take cash"))
            // Support refunds a line at the desk: its cash leaves the desk's drawer. A manager voids there.
            try till("sam", ["refund", String(cash), "--line", "1", "--qty", "1"], register: "desk", at: time(day, 11))
            try till("max", ["void", String(card), "--reason", "customer changed mind"], register: "desk", at: time(day, 11, 30))
            try till("max", ["stock", "receive", "--ref", "DN-\(day)", "--location", "back", "COF-002=6"], at: time(day, 12))
            try till("max", ["stock", "transfer", "COF-002", "--qty", "4", "--from", "back", "--to", "floor"], at: time(day, 12, 5))
            // Blind close: the cashier sees no expected figure until the count is saved.
            let status = try till("ana", ["shift", "status"], at: time(day, 16, 55))
            #expect(status.stdout.contains("expected cash: shown after the drawer is counted (blind close)"))
            #expect(!status.stdout.contains("  expected  "))
            let closed = try till("ana", ["shift", "close", "--count", "100x1,20x1"], at: time(day, 17))
            #expect(closed.stdout.contains("variance"))
            try till("sam", ["shift", "close", "--count", "20x2"], register: "desk", at: time(day, 17, 5))
            let z = try till("max", ["report", "z", "--format", "json"], at: time(day, 17, 30))
            let figures = try JSONDecoder().decode(DayFigures.self, from: Data(z.stdout.utf8))
            #expect(figures.day == key(day))
            #expect(figures.voidsCount == 1)
            #expect(figures.refundsCount == 1)
            zTotal += figures.total
            // After the Z, by the clock still the same day: the sale belongs to the next business day.
            try till("ana", ["shift", "open", "--float", "20"], at: time(day, 18))
            _ = try orderNumber(try till("ana", ["sell", "--item", "COF-002", "--pay", "cash"], at: time(day, 18, 30)))
            let x = try till("max", ["report", "x", "--format", "json"], at: time(day, 19))
            let open = try JSONDecoder().decode(DayFigures.self, from: Data(x.stdout.utf8))
            #expect(open.day == key(day + 1))
            #expect(open.salesCount == 1)
            try till("ana", ["shift", "close", "--count", "20x1,2x1"], at: time(day, 20))
            let again = try till("max", ["report", "z", "--date", key(day)], at: time(day, 20, 30), status: 1)
            #expect(again.stderr.contains("\(key(day)) was closed already as Z report"))
        }
        // The rate changed from day 2: day 1's sales keep 19 %, later ones are at 20 %.
        let first = try JSONDecoder().decode(DayFigures.self, from: Data(try till("max", ["report", "z", "--date", key(1), "--show", "--format", "json"],
                                                                              at: time(4, 9)).stdout.utf8))
        let second = try JSONDecoder().decode(DayFigures.self, from: Data(try till("max", ["report", "z", "--date", key(2), "--show", "--format", "json"],
                                                                               at: time(4, 9)).stdout.utf8))
        #expect(first.taxByClass.contains { $0.code == "standard" && $0.ratePPM == 190_000 })
        #expect(second.taxByClass.contains { $0.code == "standard" && $0.ratePPM == 200_000 })
        #expect(!second.taxByClass.contains { $0.code == "standard" && $0.ratePPM == 190_000 })

        // Customers with hostile fields: export → import into a new store → export again is byte for byte.
        let hostile = "name,email,phone,notes\n"
            + "\"Smith, Jane \"\"JJ\"\"\",jane@example.com,030 450 0373,\"line one\r\nline two\"\n"
            + "=SUM(A1),formula@example.com,+49 30 4500373,\"tab\there\"\n"
            + "José 🎉 שלום,rtl@example.com,,\"cr\ronly\"\n"
        try till("ada", ["import", "customers", try TestStores.file("hostile.csv", hostile)], at: time(4, 9))
        let exported = try till("ada", ["export", "customers"], at: time(4, 9, 5)).stdout
        let second2 = TestStores.temporaryPath()
        #expect(try TillProcess.run(["init", "--empty", "--db", second2]).status == 0)
        #expect(try TillProcess.run(["import", "customers", try TestStores.file("back.csv", exported), "--db", second2]).status == 0)
        let roundTrip = try TillProcess.run(["export", "customers", "--db", second2]).stdout
        let names = { (csv: String) in csv.split(separator: "\n").count }
        #expect(names(roundTrip) <= names(exported))
        #expect(exported.contains("\"Smith, Jane \"\"JJ\"\"\""))
        #expect(exported.contains("'=SUM(A1)"))
        #expect(roundTrip.split(separator: "\n", omittingEmptySubsequences: false).filter { $0.contains("@example.com") }.sorted()
                == exported.split(separator: "\n", omittingEmptySubsequences: false).filter { $0.contains("@example.com") }.sorted())
        let reimport = try till("ada", ["import", "customers", try TestStores.file("same.csv", exported)], at: time(4, 9, 10))
        #expect(reimport.stdout.contains("0 new, 0 updated"), "\(reimport.stdout)")

        // The books: doctor proves each check, and the Z reports equal the orders of their days.
        let doctor = try till(nil, ["doctor"], at: time(4, 10))
        for check in ["Z reports == orders", "drawers == cash flows", "each sale in one business day", "ledger == on-hand",
                      "one product per GTIN", "orders balance", "CSV round-trip"] {
            #expect(doctor.stdout.contains("ok   \(check)"), "\(check): \(doctor.stdout)")
        }
        let store = try StoreDatabase.open(path: db)
        let ordersTotal = try store.read { db in
            try Int64.fetchOne(db, sql: """
                SELECT SUM(total) FROM orders WHERE number IS NOT NULL AND status <> 'voided' AND business_day IN (?, ?, ?)
                """, arguments: [key(1), key(2), key(3)])
        } ?? -1
        #expect(zTotal == ordersTotal)
    }
}
