import ArgumentParser
import Foundation
import TillCore

/// `--register NAME` (or `TILL_REGISTER`; default main): the till a command acts at, as `till sell` takes it.
struct RegisterOption: ParsableArguments {
    @Option(help: ArgumentHelp("The register (till) this happens at (or TILL_REGISTER; default main).", valueName: "name"))
    var register: String = ProcessInfo.processInfo.environment["TILL_REGISTER"].flatMap { $0.isEmpty ? nil : $0 }
        ?? TillContext.defaultRegister

    /// Who (from `--user` / TILL_USER, PIN checked), at this register, now.
    func context(_ store: StoreOptions, in database: StoreDatabase) throws -> TillContext {
        TillContext(staffID: try store.actingStaff(in: database)?.id, register: register)
    }
}
