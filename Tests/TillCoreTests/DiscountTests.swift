import Testing
@testable import TillCore

/// Typed discounts: kept exactly or refused with a message about the discount, never rounded or cut silently.
@Suite struct DiscountParsingTests {
    @Test(arguments: [
        ("10%", Discount.percent(basisPoints: 1000)), ("12.5%", .percent(basisPoints: 1250)),
        ("12,25 %", .percent(basisPoints: 1225)), (" 0.01% ", .percent(basisPoints: 1)), ("100%", .percent(basisPoints: 10_000)),
        ("12.340%", .percent(basisPoints: 1234)), ("007%", .percent(basisPoints: 700)), ("100.00%", .percent(basisPoints: 10_000)),
        ("2.50", .amount(250)), ("€3", .amount(300)), ("1,299.00", .amount(129_900)),
    ])
    func parsesWhatTillKeepsExactly(text: String, discount: Discount) throws {
        #expect(try Discount.parse(text, currency: .EUR) == discount)
    }

    @Test(arguments: [
        ("12.345%", "invalid discount \"12.345%\": Till keeps percent discounts to 2 decimals; give 12.34% or 12.35%"),
        ("0.001%", "invalid discount \"0.001%\": Till keeps percent discounts to 2 decimals; give 0.01%"),
        ("33.3333%", "invalid discount \"33.3333%\": Till keeps percent discounts to 2 decimals; give 33.33% or 33.34%"),
        ("150%", "invalid discount \"150%\": a discount cannot be more than 100%"),
        ("100.01%", "invalid discount \"100.01%\": a discount cannot be more than 100%"),
        ("100.001%", "invalid discount \"100.001%\": a discount cannot be more than 100%"),
        ("99999999999999999999999%", "invalid discount \"99999999999999999999999%\": a discount cannot be more than 100%"),
        ("-5%", "invalid discount \"-5%\": a discount cannot be negative"),
        ("−5%", "invalid discount \"−5%\": a discount cannot be negative"),
        ("0%", "invalid discount \"0%\": a discount of 0% takes nothing off (leave it empty for no discount)"),
        ("0.00%", "invalid discount \"0.00%\": a discount of 0% takes nothing off (leave it empty for no discount)"),
        ("%", "invalid discount \"%\": expected a percentage such as 10% or 12.5%"),
        ("ten%", "invalid discount \"ten%\": expected a percentage such as 10% or 12.5%"),
        ("1.2.3%", "invalid discount \"1.2.3%\": expected a percentage such as 10% or 12.5%"),
        ("-2", "invalid discount \"-2\": a discount cannot be negative"),
        ("0", "invalid discount \"0\": a discount of 0 takes nothing off (leave it empty for no discount)"),
        ("2.555", "invalid discount \"2.555\": EUR has 2 decimals at most"),
        ("abc", "invalid discount \"abc\": unexpected character \"a\""),
        ("  ", "invalid discount \"  \": empty; give a percentage such as 10% or an amount such as 2.50"),
    ])
    func refusesWithAMessageAboutTheDiscount(text: String, message: String) {
        #expect(throws: TillError.invalid(message)) { try Discount.parse(text, currency: .EUR) }
    }

    @Test func anAmountDiscountFollowsTheCurrencysDecimals() throws {
        #expect(try Discount.parse("0.250", currency: .KWD) == .amount(250))
        #expect(throws: TillError.invalid("invalid discount \"5.5\": JPY has no minor unit, so no decimals")) {
            try Discount.parse("5.5", currency: .JPY)
        }
    }

    @Test func aPercentDiscountReadsBackAsTyped() {
        #expect(Discount.percent(basisPoints: 1225).description == "12.25%")
        #expect(Discount.percent(basisPoints: 1000).description == "10%")
    }
}
