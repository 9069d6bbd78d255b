import Testing
@testable import TillCore

/// Baskets worked out by hand (the working is in each comment) that the till must match to the cent.
@Suite struct SalePricingTests {
    func line(_ sku: String, _ quantity: Quantity, _ price: Int64, taxClass: String = "standard", rate: String,
              discount: Discount? = nil) throws -> PricingLine {
        PricingLine(variantID: 1, sku: sku, name: sku, quantity: quantity, unitPrice: price, taxClassCode: taxClass,
                    taxRatePPM: try TaxClass.parseRate(rate), discount: discount)
    }

    @Test func exclusiveUSBasket() throws {
        // NYC 8.875 %: 2 × 3.99 = 7.98, + 12.49 = 20.47; tax 20.47 × 0.08875 = 1.8167 → 1.82; total 22.29.
        let sale = try SalePricing.price([
            line("A", .units(2), 399, rate: "8.875"), line("B", .units(1), 1249, rate: "8.875"),
        ], taxInclusive: false, currency: .USD)
        #expect(sale.subtotal == 2047)
        #expect(sale.taxTotal == 182)
        #expect(sale.total == 2229)
        #expect(sale.lines.map(\.tax).reduce(0, +) == 182)
    }

    @Test func inclusiveEUBasketWithTwoRates() throws {
        // 19 %: 10.00 gross → tax 10.00 × 19/119 = 1.5966 → 1.60, net 8.40.
        // 7 %: 5.35 gross → tax 5.35 × 7/107 = 0.35, net 5.00. Total 15.35, tax 1.95.
        let sale = try SalePricing.price([
            line("A", .units(1), 1000, rate: "19"), line("B", .units(1), 535, taxClass: "reduced", rate: "7"),
        ], taxInclusive: true, currency: .EUR)
        #expect(sale.total == 1535)
        #expect(sale.taxTotal == 195)
        #expect(sale.taxes == [
            TaxBreakdown(taxClassCode: "standard", ratePPM: 190_000, net: 840, tax: 160),
            TaxBreakdown(taxClassCode: "reduced", ratePPM: 70_000, net: 500, tax: 35),
        ])
    }

    @Test func taxIsRoundedOncePerClassNotPerLine() throws {
        // Three 0.05 lines at 10 % exclusive: per line 0.005 would round to 0.01 each (0.03);
        // per class 0.15 × 10 % = 0.015 → 0.02. Till charges 0.02.
        let sale = try SalePricing.price([
            line("A", .units(1), 5, rate: "10"), line("B", .units(1), 5, rate: "10"), line("C", .units(1), 5, rate: "10"),
        ], taxInclusive: false, currency: .EUR)
        #expect(sale.taxTotal == 2)
        #expect(sale.total == 17)
        #expect(sale.lines.map(\.tax) == [1, 1, 0])
    }

    @Test func lineDiscountPercentRoundsHalfAwayFromZero() throws {
        // 10 % of 9.99 = 0.999 → 1.00 off → 8.99; 20 % exclusive tax 1.798 → 1.80; total 10.79.
        let sale = try SalePricing.price([line("A", .units(1), 999, rate: "20", discount: .percent(basisPoints: 1000))],
                                         taxInclusive: false, currency: .EUR)
        #expect(sale.lines[0].discount == 100)
        #expect(sale.lines[0].total == 899)
        #expect(sale.taxTotal == 180)
        #expect(sale.total == 1079)
        #expect(sale.discountTotal == 100)
    }

    @Test func orderDiscountIsSharedOverLinesExactly() throws {
        // 5.00 off 10.00 + 30.00 → 1.25 and 3.75; 10.00 off three 3.33 lines → 3.34, 3.33, 3.33.
        let sale = try SalePricing.price([line("A", .units(1), 1000, rate: "0"), line("B", .units(1), 3000, rate: "0")],
                                         orderDiscount: .amount(500), taxInclusive: true, currency: .EUR)
        #expect(sale.lines.map(\.discount) == [125, 375])
        #expect(sale.total == 3500)
        let thirds = try SalePricing.price([line("A", .units(1), 333, rate: "0"), line("B", .units(1), 333, rate: "0"),
                                            line("C", .units(1), 333, rate: "0")],
                                           orderDiscount: .amount(999), taxInclusive: true, currency: .EUR)
        #expect(thirds.total == 0)
        #expect(thirds.discountTotal == 999)
    }

    @Test func weighedGoods() throws {
        // 0.450 kg × 2.99 = 1.3455 → 1.35; 7 % inclusive tax = 1.35 × 7/107 = 0.0883 → 0.09.
        let sale = try SalePricing.price([line("BAN", Quantity(milli: 450), 299, rate: "7")],
                                         taxInclusive: true, currency: .EUR)
        #expect(sale.total == 135)
        #expect(sale.taxTotal == 9)
    }

    @Test func zeroDecimalAndThreeDecimalCurrencies() throws {
        // JPY 10 % exclusive: 3 × ¥298 = ¥894, tax 89.4 → ¥89, total ¥983.
        let yen = try SalePricing.price([line("A", .units(3), 298, rate: "10")], taxInclusive: false, currency: .JPY)
        #expect(yen.total == 983)
        // KWD, no VAT: 2 × 1.125 = 2.250.
        let dinar = try SalePricing.price([line("A", .units(2), 1125, rate: "0")], taxInclusive: false, currency: .KWD)
        #expect(dinar.total == 2250)
    }

    @Test func refusesImpossibleInput() throws {
        #expect(throws: TillError.self) {
            try SalePricing.price([line("A", .units(0), 100, rate: "0")], taxInclusive: true, currency: .EUR)
        }
        #expect(throws: TillError.self) {
            try SalePricing.price([line("A", .units(1), 100, rate: "0", discount: .amount(101))],
                                  taxInclusive: true, currency: .EUR)
        }
        #expect(throws: TillError.self) {
            try SalePricing.price([line("A", .units(1), 100, rate: "0", discount: .percent(basisPoints: 10_001))],
                                  taxInclusive: true, currency: .EUR)
        }
        #expect(throws: TillError.self) {
            try SalePricing.price([line("A", .units(1_000_000), .max / 1000, rate: "0")],
                                  taxInclusive: true, currency: .EUR)
        }
    }

    @Test func allocationUsesLargestRemainder() throws {
        #expect(try allocate(10, byWeights: [1, 1, 1]) == [4, 3, 3])
        #expect(try allocate(-10, byWeights: [1, 1, 1]) == [-4, -3, -3])
        #expect(try allocate(7, byWeights: [0, 0]) == [7, 0])
        #expect(try allocate(100, byWeights: [1, 2, 7]) == [10, 20, 70])
    }

    @Test func discountParsing() throws {
        #expect(try Discount.parse("10%", currency: .EUR) == .percent(basisPoints: 1000))
        #expect(try Discount.parse("12.5%", currency: .EUR) == .percent(basisPoints: 1250))
        #expect(try Discount.parse("2.50", currency: .EUR) == .amount(250))
        #expect(throws: TillError.self) { try Discount.parse("-2", currency: .EUR) }
        #expect(throws: TillError.self) { try Discount.parse("150%", currency: .EUR) }
    }

    @Test func taxRates() throws {
        #expect(try TaxClass.parseRate("19") == 190_000)
        #expect(try TaxClass.parseRate("8.875") == 88_750)
        #expect(try TaxClass.parseRate("7%") == 70_000)
        #expect(TaxClass.formatRate(88_750) == "8.875")
        #expect(throws: TillError.self) { try TaxClass.parseRate("101") }
        #expect(throws: TillError.self) { try TaxClass.parseRate("abc") }
        #expect(throws: TillError.self) { try TaxClass.parseRate("-1") }
    }
}
