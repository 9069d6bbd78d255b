import TillTestSupport
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
        #expect(throws: TillError.invalidQuantity("0", reason: "A: quantity must be above 0")) {
            try SalePricing.price([line("A", .units(0), 100, rate: "0")], taxInclusive: true, currency: .EUR)
        }
        #expect(throws: TillError.invalid("discount is more than the amount it applies to")) {
            try SalePricing.price([line("A", .units(1), 100, rate: "0", discount: .amount(101))],
                                  taxInclusive: true, currency: .EUR)
        }
        #expect(throws: TillError.invalid("a discount is 0–100 %")) {
            try SalePricing.price([line("A", .units(1), 100, rate: "0", discount: .percent(basisPoints: 10_001))],
                                  taxInclusive: true, currency: .EUR)
        }
        #expect(throws: TillError.overflow("9223372036854775 × 1000000000 ÷ 1000")) {
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
        #expect(throws: TillError.invalid("invalid discount \"-2\": a discount cannot be negative")) { try Discount.parse("-2", currency: .EUR) }
        #expect(throws: TillError.invalid("invalid discount \"150%\": a discount cannot be more than 100%")) { try Discount.parse("150%", currency: .EUR) }
    }

    @Test func taxRates() throws {
        #expect(try TaxClass.parseRate("19") == 190_000)
        #expect(try TaxClass.parseRate("8.875") == 88_750)
        #expect(try TaxClass.parseRate("7%") == 70_000)
        #expect(TaxClass.formatRate(88_750) == "8.875")
        #expect(throws: TillError.invalid("invalid tax rate \"101\": above 100 %")) { try TaxClass.parseRate("101") }
        #expect(throws: TillError.invalid("invalid tax rate \"abc\": expected a percentage such as 19 or 8.875")) { try TaxClass.parseRate("abc") }
        #expect(throws: TillError.invalid("invalid tax rate \"-1\": expected a percentage such as 19 or 8.875")) { try TaxClass.parseRate("-1") }
    }
}

/// Promotions worked out by hand: the engine must match to the cent, in inclusive and exclusive stores.
@Suite struct PromotionTests {
    func line(_ variant: Int64, _ quantity: Int64, _ price: Int64, rate: String = "20") throws -> PricingLine {
        PricingLine(variantID: variant, sku: "V\(variant)", name: "V\(variant)", quantity: .units(quantity), unitPrice: price,
                    taxClassCode: "standard", taxRatePPM: try TaxClass.parseRate(rate))
    }

    let bakery = Promotion(id: 1, name: "Bakery 10% off", rule: .categoryPercent(categoryID: 7, basisPoints: 1000))
    let crisps = Promotion(id: 2, name: "Buy 2 get 1 free", rule: .buyXGetY(variantID: 20, buy: 2, free: 1))
    let cola = Promotion(id: 3, name: "3 for 2.00", rule: .multiBuy(variantID: 30, quantity: 3, price: 200))

    @Test func anInclusiveBasket() throws {
        // Croissant 2 × 1.45 = 2.90, bakery 10 % = 0.29 → 2.61.
        // Crisps 7 × 0.99 = 6.93; buy 2 get 1: 7 units → 2 free = 1.98 off → 4.95.
        // Cola 4 × 0.89 = 3.56; 3 for 2.00: one bundle saves 2.67 − 2.00 = 0.67 → 2.89.
        // Total 2.61 + 4.95 + 2.89 = 10.45; 20 % inclusive tax on 10.45 = 1.7417 → 1.74.
        let lines = try Promotion.best(for: [line(10, 2, 145), line(20, 7, 99), line(30, 4, 89)],
                                       categories: [7, 8, 9], promotions: [bakery, crisps, cola])
        #expect(lines.map(\.promotionDiscount) == [29, 198, 67])
        #expect(lines.map(\.promotionName) == ["Bakery 10% off", "Buy 2 get 1 free", "3 for 2.00"])
        let sale = try SalePricing.price(lines, taxInclusive: true, currency: .EUR)
        #expect(sale.total == 1045)
        #expect(sale.taxTotal == 174)
        #expect(sale.discountTotal == 294)
    }

    @Test func anExclusiveBasketWithAManualDiscountOnTop() throws {
        // Crisps 3 × 0.99 = 2.97, one free → 1.98; then a manual 10 % on what is left: 0.198 → 0.20 → 1.78.
        // 8.875 % tax on 1.78 = 0.1580 → 0.16; total 1.94.
        var lines = try Promotion.best(for: [line(20, 3, 99, rate: "8.875")], categories: [8], promotions: [crisps])
        lines[0].discount = .percent(basisPoints: 1000)
        let sale = try SalePricing.price(lines, taxInclusive: false, currency: .USD)
        #expect(sale.lines[0].discount == 99 + 20)
        #expect(sale.lines[0].total == 178)
        #expect(sale.taxTotal == 16)
        #expect(sale.total == 194)
    }

    @Test func theBestPromotionWinsAndTheyNeverStack() throws {
        // Cola in the "drinks" category: 10 % off 3 × 0.89 = 0.27, or 3 for 2.00 = 0.67 → the multi-buy wins.
        let drinks = Promotion(id: 4, name: "Drinks 10% off", rule: .categoryPercent(categoryID: 9, basisPoints: 1000))
        let lines = try Promotion.best(for: [line(30, 3, 89)], categories: [9], promotions: [drinks, cola])
        #expect(lines[0].promotionDiscount == 67 && lines[0].promotionName == "3 for 2.00")
        // Order does not matter.
        let reversed = try Promotion.best(for: [line(30, 3, 89)], categories: [9], promotions: [cola, drinks])
        #expect(reversed == lines)
        // Two cans: no bundle yet, so the category discount applies (0.178 → 0.18).
        let two = try Promotion.best(for: [line(30, 2, 89)], categories: [9], promotions: [drinks, cola])
        #expect(two[0].promotionDiscount == 18 && two[0].promotionName == "Drinks 10% off")
        // A bundle price above the normal price is no promotion.
        let dear = Promotion(id: 5, name: "3 for 5.00", rule: .multiBuy(variantID: 30, quantity: 3, price: 500))
        #expect(try Promotion.best(for: [line(30, 3, 89)], categories: [1], promotions: [dear])[0].promotionDiscount == 0)
    }

    @Test func demoPromotionsApplyAtTheTill() throws {
        let store = try TestStores.demoStore()
        let crisps = try #require(try Catalog(store: store).lookup(code: "SNK-001"))
        let ctx = try TestStores.openTill(store, register: "r")
        let cart = try Carts(store: store).add(variantID: crisps.variantID, quantity: .units(3), ctx)
        #expect(cart.lines[0].promotion == "Crisps: buy 2 get 1 free")
        #expect(cart.lines[0].promotionDiscount == crisps.price)
        #expect(cart.order.total == crisps.price * 2)
        guard case let .completed(sale) = try Checkout(store: store).payCash(cartID: cart.id, ctx) else {
            Issue.record("expected a completed sale")
            return
        }
        let receipt = Receipt().text(for: try Orders(store: store).detail(number: sale.number), storeName: "Demo")
        #expect(receipt.contains("Crisps: buy 2 get 1 free"))
        #expect(try StoreDoctor(store: store).examine().passed)
    }
}
