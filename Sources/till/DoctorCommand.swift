import ArgumentParser
import Foundation
import TillCore

struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the store: integrity, foreign keys, ledger == on-hand, orders, search index, schema version.")

    @OptionGroup var store: StoreOptions

    func run() throws {
        let database = try store.open()
        let report = try StoreDoctor(store: database).examine()
        print("store: \(database.path)")
        print("schema: \(report.schemaVersion)")
        for check in report.checks {
            print("\(check.passed ? "ok  " : "FAIL") \(check.name): \(check.detail)")
        }
        guard report.passed else {
            throw TillError.storage("doctor found problems in \(database.path)")
        }
    }
}
