import Testing
@testable import TillCore

/// The HQ app's order search: the store's words (one parser) plus what only HQ has, a store and a chain number.
@Suite struct HQOrderFilterTests {
    func parse(_ text: String) throws -> HQOrderFilter { try HQOrderFilter(parsing: text, currency: .EUR) }

    @Test func chainNumbersStoresAndTheStoresOwnWords() throws {
        let chain = try parse("S012-1001")
        #expect(chain.store == "S012" && chain.number == 1001)
        #expect(try parse("s012").store == "S012")
        #expect(try parse("store:B2 #1042").store == "B2")
        #expect(try parse("store:B2 #1042").number == 1042)
        let words = try parse("S001 card:4242 sku:COF-002 staff:ana from:2026-12-01 to:2026-12-03")
        #expect(words.store == "S001" && words.last4 == "4242" && words.sku == "COF-002" && words.staff == "ana")
        #expect(words.from == "2026-12-01" && words.to == "2026-12-03")
        #expect(try parse("2026-12-02").from == "2026-12-02")
        #expect(try parse("2026-12-02").to == "2026-12-02")
        #expect(try parse("12.50").total == 1250)
        let range = try parse("amount:10-15")
        #expect(range.minTotal == 1000 && range.maxTotal == 1500 && range.total == nil)
        #expect(try parse("4242").last4 == "4242")
        #expect(try parse("1042").last4 == "1042")  // four digits alone: the card, as the customer reads it
        #expect(try parse("#1042").number == 1042)
        #expect(try parse("10423").number == 10423)
        #expect(try parse("") == HQOrderFilter())
        #expect(try parse("sku:espresso roast").sku == "espresso roast")  // a word is not taken for a store
        #expect(try parse("hooded sweatshirt").sku == "hooded sweatshirt")  // words are what was bought, as at a store
    }

    @Test func whatHQCannotSearchIsRefusedByName() throws {
        #expect(throws: TillError.self) { try parse("card:12") }
        #expect(throws: TillError.self) { try parse("customer:Müller") }
        #expect(throws: TillError.self) { try parse("email:ana@") }
        #expect(throws: TillError.self) { try parse("phone:030 4500373") }
        #expect(throws: TillError.self) { try parse("status:voided") }
        #expect(HQOrderFilter.chainNumber("S012-") == nil)
        #expect(try parse("espresso-12").sku == "espresso-12")
        #expect(try parse("RTA-12").store == "RTA")
    }
}
