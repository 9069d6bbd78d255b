import Foundation
import Testing
@testable import TillCore

@Suite struct MoneyParsingTests {
    let eur = MoneyParser(currency: .EUR)

    @Test(arguments: [
        ("12", Int64(1200)), ("12.5", 1250), ("12.50", 1250), ("1,299.00", 129_900), ("1,299", 129_900),
        ("0.99", 99), (".5", 50), ("€3", 300), ("3 EUR", 300), ("-4.20", -420), ("  7.10 ", 710),
        ("1.299,50", 129_950), ("12,5", 1250), ("1,234,567.89", 123_456_789),
    ])
    func parsesWhatPeopleType(text: String, minorUnits: Int64) throws {
        #expect(try eur.parse(text).minorUnits == minorUnits)
    }

    @Test func decimalCommaLocale() throws {
        let german = MoneyParser(currency: .EUR, locale: Locale(identifier: "de_DE"))
        #expect(german.decimalSeparator == ",")
        #expect(try german.parse("12,50").minorUnits == 1250)
        #expect(try german.parse("1.299,00").minorUnits == 129_900)
        #expect(try german.parse("1.299").minorUnits == 129_900)
    }

    @Test func exponentsFollowTheCurrency() throws {
        #expect(try MoneyParser(currency: .JPY).parse("500").minorUnits == 500)
        #expect(try MoneyParser(currency: .KWD).parse("1.250").minorUnits == 1250)
        #expect(try MoneyParser(currency: .BHD).parse("2.5").minorUnits == 2500)
        #expect(throws: TillError.invalidAmount("500.5", reason: "JPY has no minor unit, so no decimals")) { try MoneyParser(currency: .JPY).parse("500.5") }
    }

    @Test(arguments: ["", "abc", "12.999", "1,2,3", "12.50.1", "--3", "1.2.3,4", "12a", "€", "1_000", "1,29,900.00"])
    func refusesWithAReason(text: String) {
        #expect(throws: TillError.self) { try eur.parse(text) }
    }

    @Test func overflowIsAnErrorNotACrash() {
        #expect(throws: TillError.overflow("99999999999999999999")) { try eur.parse("99999999999999999999") }
        #expect(throws: TillError.overflow("92233720368547758.08")) { try eur.parse("92233720368547758.08") }
        let big = Money(minorUnits: .max, currency: .EUR)
        #expect(throws: TillError.overflow("€92,233,720,368,547,758.07 + €0.01")) { try big.adding(Money(minorUnits: 1, currency: .EUR)) }
        #expect(throws: TillError.overflow("€92,233,720,368,547,758.07 × 2")) { try big.multiplied(by: 2) }
        #expect(throws: TillError.overflow("−-€92,233,720,368,547,758.08")) { try Money(minorUnits: .min, currency: .EUR).negated() }
    }

    @Test func errorsNameTheInput() {
        do {
            _ = try eur.parse("12.999")
            Issue.record("expected an error")
        } catch {
            #expect("\(error)" == "invalid amount \"12.999\": EUR has 2 decimals at most")
        }
    }

    /// In a 3-decimal currency a lone grouping-looking mark before 3 digits reads two ways, a thousandfold apart.
    @Test(arguments: ["KWD", "BHD", "JOD", "OMR", "TND", "IQD", "LYD"])
    func aLoneCommaBeforeThreeDigitsIsAmbiguousInAThreeDecimalCurrency(code: String) throws {
        let parser = MoneyParser(currency: try Currency.named(code))
        #expect(throws: TillError.invalidAmount("1,234", reason: "ambiguous in \(code), which has 3 decimals: \",\" may group thousands (1234) or be the decimal mark (1.234); type 1234 or 1.234")) {
            try parser.parse("1,234")
        }
    }

    @Test func ambiguityNamesTheInputAndBothReadings() throws {
        #expect(throws: TillError.invalidAmount("-12,345", reason: "ambiguous in KWD, which has 3 decimals: \",\" may group thousands (-12345) or be the decimal mark (-12.345); type -12345 or -12.345")) {
            try MoneyParser(currency: .KWD).parse("-12,345")
        }
        let clf = try Currency.named("CLF")
        #expect(throws: TillError.invalidAmount("1,234", reason: "ambiguous in CLF, which has 4 decimals: \",\" may group thousands (1234) or be the decimal mark (1.234); type 1234 or 1.234")) {
            try MoneyParser(currency: clf).parse("1,234")
        }
        // With a decimal-comma locale the ambiguous mark is the point, and the readings are written its way.
        let german = MoneyParser(currency: .KWD, locale: Locale(identifier: "de_DE"))
        do {
            _ = try german.parse("KD 1.234")
            Issue.record("expected KD 1.234 to be refused")
        } catch {
            #expect("\(error)" == "invalid amount \"KD 1.234\": ambiguous in KWD, which has 3 decimals: \".\" may group thousands (1234) or be the decimal mark (1,234); type 1234 or 1,234")
        }
    }

    @Test(arguments: [
        ("1.234", Int64(1234)), ("1,234.500", 1_234_500), ("1.234,5", 1_234_500), ("1,234,567", 1_234_567_000),
        ("12,5", 12_500), ("1234,567", 1_234_567), ("0,250", 250), (",250", 250), ("1234", 1_234_000), ("KD1.250", 1250),
    ])
    func unambiguousThreeDecimalAmountsStillParse(text: String, minorUnits: Int64) throws {
        #expect(try MoneyParser(currency: .KWD).parse(text).minorUnits == minorUnits)
    }

    @Test func twoDecimalCurrenciesKeepReadingACommaAsGrouping() throws {
        // 1,234 cannot be 1.234 EUR (three decimals), so it has one reading.
        #expect(try eur.parse("1,234").minorUnits == 123_400)
        #expect(try MoneyParser(currency: .KWD, locale: Locale(identifier: "de_DE")).parse("1,234").minorUnits == 1234)
        #expect(try Money.parseDecimal("1.234", currency: .KWD).minorUnits == 1234)
    }

    @Test func mixingCurrenciesIsRefused() {
        #expect(throws: TillError.currencyMismatch("EUR", "USD")) {
            try Money(minorUnits: 1, currency: .EUR).adding(Money(minorUnits: 1, currency: .USD))
        }
    }
}

@Suite struct MoneyFormattingTests {
    @Test func formatsWithSymbolAndGrouping() {
        #expect(Money(minorUnits: 129_950, currency: .EUR).formatted() == "€1,299.50")
        #expect(Money(minorUnits: -300, currency: .USD).formatted() == "-$3.00")
        #expect(Money(minorUnits: 500, currency: .JPY).formatted() == "¥500")
        #expect(Money(minorUnits: 1250, currency: .KWD).formatted() == "KD1.250")
        #expect(Money(minorUnits: 5, currency: .EUR).formatted() == "€0.05")
        #expect(Money(minorUnits: 123_456_789, currency: .EUR).formatted(symbol: false) == "1,234,567.89")
    }

    @Test func decimalStringRoundTrips() throws {
        for units: Int64 in [0, 5, -5, 99, 100, 129_950, -129_950, 1_000_000_007] {
            for currency in [Currency.EUR, .JPY, .KWD] {
                let money = Money(minorUnits: units, currency: currency)
                #expect(try Money.parseDecimal(money.decimalString, currency: currency) == money)
            }
        }
    }
}

@Suite struct RoundingTests {
    @Test func halfAwayFromZero() {
        #expect(divideRoundingHalfAwayFromZero(25, by: 10) == 3)
        #expect(divideRoundingHalfAwayFromZero(24, by: 10) == 2)
        #expect(divideRoundingHalfAwayFromZero(-25, by: 10) == -3)
        #expect(divideRoundingHalfAwayFromZero(-24, by: 10) == -2)
    }

    @Test func scalingDoesNotOverflowInTheMiddle() throws {
        #expect(try scaleRoundingHalfAwayFromZero(Int64.max / 2, times: 4, over: 4) == Int64.max / 2)
        #expect(try scaleRoundingHalfAwayFromZero(1345, times: 1, over: 10) == 135)
        #expect(try scaleRoundingHalfAwayFromZero(-1345, times: 1, over: 10) == -135)
        #expect(throws: TillError.overflow("9223372036854775807 × 2 ÷ 1")) { try scaleRoundingHalfAwayFromZero(Int64.max, times: 2, over: 1) }
    }

    @Test func cashRounding() throws {
        #expect(try Money(minorUnits: 1232, currency: .CHF).rounded(toMultipleOf: 5).minorUnits == 1230)
        #expect(try Money(minorUnits: 1233, currency: .CHF).rounded(toMultipleOf: 5).minorUnits == 1235)
    }

    @Test func weighedQuantity() throws {
        // 0.450 kg at 2.99/kg = 1.3455 → 1.35
        #expect(try Money(minorUnits: 299, currency: .EUR).multiplied(by: Quantity(milli: 450)).minorUnits == 135)
    }
}

extension Currency {
    static let CHF = Currency(code: "CHF", exponent: 2, symbol: "CHF")
}

@Suite struct QuantityTests {
    @Test(arguments: [("3", Int64(3000)), ("0.450", 450), ("1,5", 1500), ("-2", -2000), ("0.005", 5)])
    func parses(text: String, milli: Int64) throws {
        #expect(try Quantity.parse(text).milli == milli)
    }

    @Test(arguments: ["", "x", "1.2345", "1.2.3", "9999999999999"])
    func refuses(text: String) {
        #expect(throws: TillError.self) { try Quantity.parse(text) }
    }

    @Test func printsShortestExactForm() {
        #expect(Quantity(milli: 3000).description == "3")
        #expect(Quantity(milli: 450).description == "0.45")
        #expect(Quantity(milli: -1005).description == "-1.005")
    }
}
