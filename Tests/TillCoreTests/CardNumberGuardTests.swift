import Testing
@testable import TillCore

@Suite struct CardNumberGuardTests {
    /// Test cards of every length the networks use, written as people write them.
    @Test(arguments: [
        "4242424242424242", "4242 4242 4242 4242", "4242-4242-4242-4242", "378282246310005", "3782 822463 10005",
        "5555555555554444", "6011111111111117", "4000056655665556", "4222222222222",  // 13-digit Visa
        "6759649826438453", "6799990100000000019",  // 19-digit Maestro
        "card 4242424242424242 exp 12/28", "4242 4242 4242 4242 123", "call 4242-4242-4242-4242!",
    ])
    func findsCardNumbers(text: String) {
        #expect(CardNumberGuard.containsCardNumber(text))
    }

    @Test(arguments: [
        "", "Gift wrap", "4242", "+31 6 1234 5678", "2026-12-02 05:46", "order 1042",
        "4242424242424241",  // Luhn fails
        "42424242424242424242",  // 20 digits: no card is that long
        "142424242424242421",  // 18 digits, Luhn fails; the valid 16 inside is not cut out of it
        "4242  4242  4242  4242",  // two spaces apart: separate numbers
        "4242.4242.4242.4242", "4242/4242/4242/4242",
        "4006381333931", "4006-381333-931", "00036000291452", "73513537", "036000291452",  // GS1 barcodes
    ])
    func leavesOtherTextAlone(text: String) {
        #expect(!CardNumberGuard.containsCardNumber(text))
    }

    /// A random UUID's all-digit groups make a Luhn-valid run now and then (customers' global ids did); a whole
    /// canonical UUID is an id, but the same digits outside one are still a card.
    @Test func aUUIDIsNotACardButItsDigitsElsewhereAre() {
        let uuid = "42424242-4242-4242-a242-abcdefabcdef"
        #expect(!CardNumberGuard.containsCardNumber(uuid))
        #expect(!CardNumberGuard.containsCardNumber("customer \(uuid), merged"))
        #expect(!CardNumberGuard.containsCardNumber("ab12cd34-abcd-4242-4242-424242424242"))
        #expect(CardNumberGuard.containsCardNumber("42424242-4242-4242"))
        #expect(CardNumberGuard.containsCardNumber("x\(uuid)"))
        #expect(CardNumberGuard.containsCardNumber("\(uuid)-1"))
        #expect(CardNumberGuard.containsCardNumber("\(uuid) 4242 4242 4242 4242"))
    }

    @Test func aBarcodeLengthThatFailsItsGS1CheckButPassesLuhnIsACard() {
        // 13 digits, Luhn valid, GS1 check digit wrong: not a barcode, so it is treated as a card.
        let digits = "4222222222222"
        #expect(!Barcode.isValid(digits))
        #expect(CardNumberGuard.containsCardNumber(digits))
    }

    @Test func aThirteenDigitRunThatIsBothLuhnAndGS1ValidIsABarcode() throws {
        // Finds one: the exemption's documented cost is real, and the guard lets it through.
        let code = try #require((0..<100_000).lazy.map { String(4_000_000_000_000 + $0 * 7) }
            .first { Barcode.isValid($0) && CardNumberGuard.passesLuhn($0.map { UInt8($0.wholeNumberValue ?? 0) }) })
        #expect(!CardNumberGuard.containsCardNumber(code))
        #expect(CardNumberGuard.containsCardNumber("card " + code.prefix(4) + " " + code.dropFirst(4)) == false)
    }

    @Test func rangesAreByteOffsetsInOrder() {
        let text = "é 4242 4242 4242 4242 and 5555555555554444"
        let bytes = Array(text.utf8)
        let ranges = CardNumberGuard.cardNumberRanges(inBytes: bytes)
        #expect(ranges.count == 2)
        #expect(ranges.map { String(decoding: bytes[$0], as: UTF8.self) } == ["4242 4242 4242 4242", "5555555555554444"])
    }

    @Test func twoCardsInOneRunAreBothFound() {
        let ranges = CardNumberGuard.cardNumberRanges(inBytes: Array("4242 4242 4242 4242 5555 5555 5555 4444".utf8))
        #expect(ranges == [0..<19, 20..<39])
    }

    @Test func theRefusalNamesTheFieldAndNeverTheDigits() {
        #expect(throws: TillError.invalid("note looks like a card number; Till never takes card numbers — the customer taps or inserts the card on the reader")) {
            try CardNumberGuard.check("paid with 4242 4242 4242 4242", field: "note")
        }
        #expect(throws: Never.self) { try CardNumberGuard.check("paid cash", field: "note") }
        #expect(throws: Never.self) { try CardNumberGuard.check(nil as String?, field: "note") }
    }
}
