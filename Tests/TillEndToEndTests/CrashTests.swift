import Foundation
import GRDB
import Testing
import TillCore
import TillTestSupport

/// kill -9 at random moments: nothing half-written, and the cart in progress comes back.
@Suite(.serialized) struct CrashTests {
    let db = TestStores.temporaryPath()

    /// More kills with TILL_SOAK_KILLS=N (CI runs the default).
    var kills: Int { Int(ProcessInfo.processInfo.environment["TILL_SOAK_KILLS"] ?? "") ?? 20 }

    @Test func killingSalesAtRandomMomentsLeavesNoPartialOrder() throws {
        #expect(try TillProcess.run(["init", "--db", db]).status == 0)
        let binary = try #require(TillProcess.binary)
        var generator = SystemRandomNumberGenerator()
        var killed = 0
        for _ in 0..<kills {
            let process = Process()
            process.executableURL = binary
            process.arguments = ["sell", "--db", db, "--item", "COF-002*2", "--item", "PRO-001*0.450",
                                 "--item", "SNK-001*3", "--pay", "cash"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32.random(in: 2_000...90_000, using: &generator))
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                killed += 1
            }
            process.waitUntilExit()
        }
        let store = try StoreDatabase.open(path: db)
        let report = try StoreDoctor(store: store).examine()
        #expect(report.passed, "\(report.checks.filter { !$0.passed })")
        let problems = try store.read { db in
            try Row.fetchAll(db, sql: """
                SELECT o.number,
                       (SELECT COUNT(*) FROM order_line l WHERE l.order_id = o.id) AS lines,
                       (SELECT COUNT(*) FROM stock_movement m WHERE m.reference = 'order:' || o.number) AS movements,
                       (SELECT COUNT(*) FROM payment p WHERE p.order_id = o.id) AS payments
                FROM orders o WHERE o.register = 'script'
                """).filter { row in
                (row["lines"] as Int) != 3 || (row["movements"] as Int) != 3 || (row["payments"] as Int) != 1
                    || (row["number"] as Int64?) == nil
            }
        }
        #expect(problems.isEmpty, "partial orders: \(problems)")
        Swift.print("crash test: \(kills) runs, \(killed) killed mid-run, nothing partial")
    }
}
