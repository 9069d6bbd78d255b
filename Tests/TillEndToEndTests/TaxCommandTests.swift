import Foundation
import Testing
import TillCore
import TillTestSupport

/// `till tax` on a new empty store: the classes `init --empty` makes are at 0 %, and these commands fix that.
@Suite(.serialized) struct TaxCommandTests {
    let db = TestStores.temporaryPath()

    func till(_ arguments: [String], _ environment: [String: String] = [:]) throws -> TillProcess.Output {
        try TillProcess.run(arguments + ["--db", db], environment: environment)
    }

    @Test func anEmptyStoreGetsItsRatesFromTheCommandLine() throws {
        let created = try till(["init", "--empty"])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.contains("set a rate with `till tax set standard 19`"))
        #expect(try till(["tax", "list"]).stdout == """
            standard     Standard rate                      0%  0 products
            zero         Zero rate                          0%  0 products

            """)
        let set = try till(["tax", "set", "standard", "19"])
        #expect(set.status == 0, "\(set.stderr)")
        #expect(set.stdout.hasPrefix("standard     Standard rate                     19%  since "))
        let added = try till(["tax", "add", "reduced", "Reduced rate", "7"])
        #expect(added.stdout == "added reduced      Reduced rate                       7%  0 products\n")
        let scheduled = try till(["tax", "set", "reduced", "5.5", "--from", "2099-01-01"])
        #expect(scheduled.stdout == "reduced      Reduced rate                       7%  → 5.5% from 2099-01-01  0 products\n")
        #expect(try till(["tax", "archive", "zero"]).stdout == "archived tax class zero\n")
        let listed = try till(["tax", "list"]).stdout.split(separator: "\n").map(String.init)
        #expect(listed.map { String($0.prefix(12)).trimmingCharacters(in: .whitespaces) } == ["reduced", "standard", "zero"])
        #expect(listed.last?.hasSuffix("(archived)") == true)

        let product = try till(["product", "add", "B-1", "--name", "Book", "--price", "10.00", "--tax-class", "zero"])
        #expect(product.status == 1)
        #expect(product.stderr.contains("archived tax class \"zero\" (known: reduced, standard)"), "\(product.stderr)")
    }

    @Test func refusalsAreOneLine() throws {
        #expect(try till(["init", "--empty"]).status == 0)
        let unknown = try till(["tax", "set", "vat", "20"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr == "till: tax class \"vat\" (known: standard, zero) not found\n")
        let badDate = try till(["tax", "set", "standard", "20", "--from", "1.1.2027"])
        #expect(badDate.stderr == "till: invalid date \"1.1.2027\": expected a day as YYYY-MM-DD\n")
        let badRate = try till(["tax", "add", "lux", "Luxury", "120"])
        #expect(badRate.stderr == "till: invalid tax rate \"120\": above 100 %\n")
        #expect(try till(["tax", "list"]).stdout.contains("standard     Standard rate                      0%"))
    }
}
