import Testing
import TillCore

@Suite struct CashCountTests {
    /// A newcomer closing a shift types the total first: the refusal says how the count is typed instead.
    @Test func aTotalAloneIsRefusedWithHowToCountNoteByNote() throws {
        #expect(throws: TillError.invalid("count the drawer note by note and coin by coin, e.g. 50x2,2x1,0.50x1,0.20x1 (not a total: \"103.70\")")) {
            _ = try CashCount.parse("103.70", currency: .EUR)
        }
        #expect(throws: TillError.invalid("expected DENOMINATIONxCOUNT, e.g. 20x3, got \"fifty\"")) {
            _ = try CashCount.parse("fifty", currency: .EUR)
        }
        let count = try CashCount.parse("50x2,2x1", currency: .EUR)
        #expect(count.total == 10200)
    }
}
