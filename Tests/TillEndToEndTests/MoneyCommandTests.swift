import Foundation
import Testing
import TillCore
import TillTestSupport

/// Currencies and cash through the real binary: `till init --currency` and `till shift close --count`.
@Suite(.serialized) struct MoneyCommandTests {
    let db = TestStores.temporaryPath()

    @Test func initRefusesAWithdrawnCurrencyByNameAndAnUnknownOneAsUnknown() throws {
        let withdrawn = try TillProcess.run(["init", "--db", db, "--empty", "--currency", "DEM"])
        #expect(withdrawn.status != 0)
        #expect(withdrawn.stderr == "till: DEM (Deutsche Mark) was withdrawn from ISO 4217 in March 2002; a store needs a current currency code\n")
        #expect(!FileManager.default.fileExists(atPath: db))
        let unknown = try TillProcess.run(["init", "--db", db, "--empty", "--currency", "XYZ"])
        #expect(unknown.stderr == "till: unknown currency code \"XYZ\" (use an ISO-4217 code such as EUR, USD, JPY)\n")
        let uganda = try TillProcess.run(["init", "--db", db, "--empty", "--currency", "UGX"])
        #expect(uganda.status == 0, "\(uganda.stderr)")
        #expect(uganda.stdout.contains("UGX, prices exclude tax"))
    }

    @Test func aShiftCountTakesOnlyTheStoreCurrencysRealCoins() throws {
        // The demo shop, priced in Australian dollars; ana is its cashier.
        #expect(try TillProcess.run(["init", "--db", db, "--currency", "AUD"]).status == 0)
        let env = ["TILL_DB": db, "TILL_USER": "ana", "TILL_PIN": "1111"]
        let opened = try TillProcess.run(["shift", "open", "--float", "100"], environment: env)
        try #require(opened.status == 0, "\(opened.stderr)")
        let quarter = try TillProcess.run(["shift", "close", "--count", "50x2,0.25x1"], environment: env)
        #expect(quarter.status != 0)
        #expect(quarter.stderr == "till: 0.25 is not a AUD note or coin (100.00, 50.00, 20.00, 10.00, 5.00, 2.00, 1.00, 0.50, 0.20, 0.10, 0.05)\n")
        let closed = try TillProcess.run(["shift", "close", "--count", "50x2,0.20x1"], environment: env)
        #expect(closed.status == 0, "\(closed.stderr)")
    }
}
