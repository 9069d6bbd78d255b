import Testing
@testable import TillCore

/// One table of notes and coins (Money/Denominations.swift) serves the drawer count and the quick-cash keys.
@Suite struct DenominationTests {
    private func major(_ values: [Int64], _ currency: Currency) -> [String] {
        values.map { Money(minorUnits: $0, currency: currency).decimalString }
    }

    @Test func everyTableLineReadsInItsCurrency() throws {
        #expect(Denominations.published.count >= 40)
        for code in Denominations.published.keys.sorted() {
            let line = try Denominations.parse(code)
            let currency = try Currency.named(code)
            #expect(!line.notes.isEmpty, "\(code) has no notes")
            #expect(Denominations.isPublished(currency), "\(code) fell back to the generated series")
            #expect(line.notes.allSatisfy { $0 > 0 } && line.coins.allSatisfy { $0 > 0 }, "\(code)")
        }
    }

    @Test func theCurrenciesTheIssueNames() throws {
        let huf = try Currency.named("HUF")
        #expect(major(Denominations.of(huf), huf).first == "20000.00")
        let krw = try Currency.named("KRW")
        #expect(Denominations.of(krw) == [50000, 10000, 5000, 1000, 500, 100, 50, 10])
        let isk = try Currency.named("ISK")
        #expect(Denominations.of(isk).first == 10000)
        #expect(major(Denominations.of(.KWD), .KWD)
                == ["20.000", "10.000", "5.000", "1.000", "0.500", "0.250", "0.100", "0.050", "0.020", "0.010", "0.005"])
        for code in ["AUD", "NZD"] {
            let currency = try Currency.named(code)
            let values = Denominations.of(currency)
            #expect(values.contains(20) && values.contains(50), "\(code) has 0.20 and 0.50 coins")
            #expect(!values.contains(25), "\(code) has no 0.25")
        }
        let nzd = try Currency.named("NZD")
        #expect(!Denominations.of(nzd).contains(5), "NZ withdrew its 5-cent coin in 2006")
        #expect(Denominations.of(.USD).contains(25))
    }

    @Test func aCurrencyOutsideTheTableGetsAGeneratedSeries() throws {
        let fiji = try Currency.named("FJD")
        #expect(!Denominations.isPublished(fiji))
        #expect(Array(Denominations.of(fiji).suffix(4)) == [10, 5, 2, 1])
        #expect(Denominations.of(fiji).first == 500_000)
    }

    @Test func quickCashIsWhatACustomerIsLikelyToHandOver() throws {
        // The issue's examples: €56.04 is paid with 50+10, 50+20 or a 100; €7.20 with a 10, a 20 or a 50.
        #expect(Denominations.quickCash(due: 5604, currency: .EUR) == [6000, 7000, 10000])
        #expect(Denominations.quickCash(due: 720, currency: .EUR, count: 4) == [1000, 2000, 5000, 10000])
        // Below the smallest note the large coins count: €3.40 with two 2-euro coins.
        #expect(Denominations.quickCash(due: 340, currency: .EUR) == [400, 500, 1000])
        #expect(Denominations.quickCash(due: 1234, currency: .EUR) == [1500, 2000, 5000])
        #expect(Denominations.quickCash(due: 0, currency: .EUR).isEmpty)
        #expect(Denominations.quickCash(due: 500, currency: .EUR) == [1000, 2000, 5000])
        #expect(Denominations.quickCash(due: 75, currency: .USD) == [100, 200, 500])
        // 3 fils due: the quarter-dinar note is the smallest a customer hands over.
        #expect(Denominations.quickCash(due: 100, currency: .KWD) == [250, 500, 1000])
        // Few notes above what is due: more of the largest one.
        let huf = try Currency.named("HUF")
        #expect(Denominations.quickCash(due: 1_500_000, currency: huf) == [1_600_000, 2_000_000, 4_000_000])
        let krw = try Currency.named("KRW")
        #expect(Denominations.quickCash(due: 30000, currency: krw) == [50000, 100_000, 150_000])
        // €730: a 500 and what covers the 230 left (200+20+20, 200+50, 200+100).
        #expect(Denominations.quickCash(due: 73000, currency: .EUR) == [74000, 75000, 80000])
        #expect(Denominations.quickCash(due: .max - 10, currency: .EUR).isEmpty)
    }

    @Test func theDrawerCountTakesOnlyRealNotesAndCoins() throws {
        let huf = try Currency.named("HUF")
        let count = try CashCount.parse("20000x2,200x3", currency: huf)
        #expect(count.total == 4_060_000)
        let aud = try Currency.named("AUD")
        #expect(try CashCount.parse("0.20x4,0.50x1", currency: aud).total == 130)
        #expect(throws: TillError.invalid("0.25 is not a AUD note or coin (100.00, 50.00, 20.00, 10.00, 5.00, 2.00, 1.00, 0.50, 0.20, 0.10, 0.05)")) {
            try CashCount.parse("0.25x1", currency: aud)
        }
        #expect(try CashCount.parse("0.250x2", currency: .KWD).total == 500)
        #expect(throws: TillError.invalid("0.200 is not a KWD note or coin (20.000, 10.000, 5.000, 1.000, 0.500, 0.250, 0.100, 0.050, 0.020, 0.010, 0.005)")) { try CashCount.parse("0.200x1", currency: .KWD) }
    }
}
