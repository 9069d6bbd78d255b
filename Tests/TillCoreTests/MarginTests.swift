import Foundation
import GRDB
import Testing
import TillTestSupport
@testable import TillCore

/// Margins are on the net (tax-exclusive) price everywhere: (net − cost) ÷ net.
@Suite struct MarginTests {
    @Test func aShelfPriceMarginTakesTheIncludedTaxOut() throws {
        // 10.00 with 19 % included is 8.40 net (tax 1.60): (8.40 − 5.00) ÷ 8.40 = 40.48 %, not 50 %.
        let inclusive = try Margin.ofShelfPrice(1000, cost: 500, taxRatePPM: 190_000, taxInclusive: true)
        #expect(inclusive == Margin(net: 840, cost: 500))
        #expect(inclusive.amount == 340 && inclusive.permille == 405 && inclusive.percentText == "40.5%")
        // Where prices exclude tax the shelf price is the net price.
        let exclusive = try Margin.ofShelfPrice(1000, cost: 500, taxRatePPM: 190_000, taxInclusive: false)
        #expect(exclusive == Margin(net: 1000, cost: 500) && exclusive.percentText == "50%")
        // The demo's T-shirt: 18.10 incl. 19 % is 15.21 net; cost 6.69 → 56.0 %.
        #expect(try Margin.ofShelfPrice(1810, cost: 669, taxRatePPM: 190_000, taxInclusive: true).percentText == "56%")
        #expect(try Margin.ofShelfPrice(1000, cost: 1200, taxRatePPM: 0, taxInclusive: false).percentText == "-20%")
        #expect(Margin(net: 0, cost: 100).permille == nil && Margin(net: 0, cost: 100).percentText == nil)
        #expect(try SalePricing.tax(on: 1000, ratePPM: 190_000, taxInclusive: true) == 160)
        #expect(try SalePricing.tax(on: 1000, ratePPM: 190_000, taxInclusive: false) == 190)
    }

    /// The product form's "below cost" warning judges the net price too.
    @Test func belowCostIsJudgedOnTheNetPrice() throws {
        let inclusive = CatalogEditor(store: try TestStores.emptyStore(taxInclusive: true, standardRate: "19"))
        let thin = ProductDraft(sku: "T-1", name: "Thin", price: 110, cost: 100)  // 1.10 incl. 19 % is 0.92 net
        #expect(try inclusive.validate(thin) == [FieldIssue(field: "price", message: "below cost once tax is taken out", isWarning: true)])
        let exclusive = CatalogEditor(store: try TestStores.emptyStore(taxInclusive: false, standardRate: "19"))
        #expect(try exclusive.validate(thin).isEmpty)
        #expect(try exclusive.validate(ProductDraft(sku: "T-2", name: "Loss", price: 90, cost: 100))
                == [FieldIssue(field: "price", message: "below cost", isWarning: true)])
    }

    /// One sale of a 10.00 item costing 6.00 at 20 %: the report's gross margin in each kind of store.
    func reportedMargin(taxInclusive: Bool) throws -> SalesSummary {
        let store = try TestStores.emptyStore(taxInclusive: taxInclusive, standardRate: "20")
        let item = try CatalogEditor(store: store).add(ProductDraft(sku: "M-1", name: "Mug", price: 1000, cost: 600), TillContext())
        let at = TestStores.demoCreatedAt
        _ = try Checkout(store: store).completeSale(SaleRequest(
            lines: [SaleLineRequest(variantID: item.variantID, quantity: .one)], tenders: [Tender(method: .cash, amount: 2_000)]), try TestStores.openTill(store, at: at))
        return try store.read { db in
            try SalesReports.summary(db, from: at.addingTimeInterval(-3600), to: at.addingTimeInterval(3600), calendar: .current)
        }
    }

    @Test func reportsGrossMarginIsOnNetSalesInBothKindsOfStore() throws {
        let exclusive = try reportedMargin(taxInclusive: false)
        #expect(exclusive.sales == 1200 && exclusive.grossMargin == 400 && exclusive.grossMarginPermille == 400)
        let inclusive = try reportedMargin(taxInclusive: true)  // 10.00 incl. 20 % = 8.33 net
        #expect(inclusive.sales == 1000 && inclusive.grossMargin == 233 && inclusive.grossMarginPermille == 280)
        #expect(inclusive.topProducts.first?.margin == 233)
    }
}
