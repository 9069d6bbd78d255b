import Foundation
import Testing
import TillCore
@testable import TillHQ
import TillTestSupport

/// `till hq`, `till chain` and `till sync` through the real binary: the names and outputs scripts rely on.
@Suite("Chain command line")
struct ChainCommandLineTests {
    @Test func fromAnEmptyDatabaseToAStoreSyncedAndReadAtHQ() throws {
        let cluster = try PostgresCluster.shared()
        let hqURL = try cluster.database("hqcli")
        let env = ["TILL_HQ_URL": hqURL]
        func till(_ arguments: [String], _ extra: [String: String] = [:]) throws -> TillProcess.Output {
            try TillProcess.run(arguments, environment: env.merging(extra) { $1 })
        }
        let first = try till(["hq", "init"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("applied hq-v1-foundation"))
        #expect(!first.stdout.contains(try PostgresURL(hqURL).password ?? "?"), "the password is never printed")
        #expect(try till(["hq", "init"]).stdout.contains("up to date"))
        for (code, rate) in [("standard", "19"), ("reduced", "7"), ("zero", "0")] {
            #expect(try till(["hq", "tax", "set", code, rate]).status == 0)
        }
        let products = TestStores.repositoryRoot.appendingPathComponent("sample-data/csv/products.csv").path
        let imported = try till(["hq", "import", "products", products])
        #expect(imported.stdout.contains("314 products changed"), "\(imported.stdout)\(imported.stderr)")
        let added = try till(["hq", "store", "add", "S201", "Test Store"])
        #expect(added.status == 0, "\(added.stderr)")
        let storeURL = try #require(added.stdout.split(separator: "\n").last.map(String.init))
        #expect(storeURL.hasPrefix("postgresql://"))
        #expect(try till(["hq", "store", "add", "S201", "Again"]).stderr.contains("already registered"))

        let db = TestStores.temporaryPath("chain.sqlite")
        #expect(try TillProcess.run(["init", "--db", db]).status == 0)
        let wrongCode = try TillProcess.run(["chain", "join", "--db", db, "--hq", storeURL, "--store", "S999"])
        #expect(wrongCode.status != 0)
        #expect(wrongCode.stderr.contains("S201"), "\(wrongCode.stderr)")
        let joined = try TillProcess.run(["chain", "join", "--db", db, "--hq", storeURL, "--store", "S201"])
        #expect(joined.status == 0, "\(joined.stderr)")
        let config = ChainConfig.path(forStore: db)
        let mode = (try FileManager.default.attributesOfItem(atPath: config)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600)
        let storeFile = try Data(contentsOf: URL(fileURLWithPath: db))
        let password = try #require(try PostgresURL(storeURL).password)
        #expect(storeFile.range(of: Data(password.utf8)) == nil, "the password is not in the store file")

        #expect(try TillProcess.openShift(db: db).status == 0)
        let sold = try TillProcess.run(["sell", "--item", "COF-002", "--pay", "cash", "--db", db], environment: TillProcess.demoCashier)
        #expect(sold.status == 0, "\(sold.stderr)")
        let synced = try TillProcess.run(["sync", "--db", db])
        #expect(synced.status == 0, "\(synced.stderr)")
        #expect(synced.stdout.contains("0 to send"), "\(synced.stdout)")
        #expect(try TillProcess.run(["chain", "status", "--db", db]).stdout.contains("S201: HQ ✓"))

        let list = try till(["hq", "store", "list"])
        #expect(list.stdout.contains("S201"), "\(list.stdout)")
        let report = try till(["hq", "report", "sales", "--by", "store", "--format", "json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [[String: Any]])
        #expect(rows.first?["key"] as? String == "S201")
        let orders = try till(["hq", "orders", "search", "--store", "S201", "--sku", "COF-002", "--format", "json"])
        let found = try #require(try JSONSerialization.jsonObject(with: Data(orders.stdout.utf8)) as? [[String: Any]])
        let chainNumber = try #require(found.first?["chainNumber"] as? String)
        #expect(chainNumber.hasPrefix("S201-"))
        #expect(try till(["hq", "orders", "show", chainNumber]).stdout.contains("COF-002"))
        #expect(try till(["hq", "stock", "COF-002"]).stdout.contains("S201"))
        #expect(try till(["hq", "report", "sales", "--by", "category"]).status == 0)

        let refused = try TillProcess.run(["product", "edit", "COF-002", "--price", "1", "--db", db])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("head office owns the catalog"), "\(refused.stderr)")

        // HQ out of reach: exit 4, and nothing of the password.
        var unreachable = try PostgresURL(storeURL)
        unreachable.port = 1
        try ChainConfig.write(unreachable, forStore: db)
        let offline = try TillProcess.run(["sync", "--db", db])
        #expect(offline.status == 4, "\(offline.stderr)")
        #expect(!offline.stderr.contains(password))
        #expect(try TillProcess.run(["chain", "status", "--db", db]).stdout.contains("last attempt failed"))
        // A config others may read is refused.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: config)
        let exposed = try TillProcess.run(["sync", "--db", db])
        #expect(exposed.status == 1)
        #expect(exposed.stderr.contains("chmod 600"), "\(exposed.stderr)")
        #expect(try till(["hq", "store", "list"], ["TILL_HQ_URL": ""]).stderr.contains("TILL_HQ_URL"))
    }
}
