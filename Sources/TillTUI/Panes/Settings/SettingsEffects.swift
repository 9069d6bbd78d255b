import Foundation
import TillCore

extension EffectRunner {
    /// The settings overlay's work: TillCore's tax use cases, checked and audited there, as the signed-in member.
    func runSettings(_ work: SettingsEffect) throws -> Action {
        let taxes = TaxRates(store: orders.store)
        let ctx = TillContext(staffID: staffID, register: register, clock: TillClock(now))
        do {
            switch work {
            case .load:
                return .taxClassesLoaded(try taxes.list(ctx), nil)
            case let .addClass(code, name, rate):
                let added = try taxes.add(ctx, code: code, name: name, rate: rate)
                return .taxClassesLoaded(try taxes.list(ctx), .info("Added \(added.code) at \(TaxClass.formatRate(added.current.ratePPM))%."))
            case let .setRate(code, rate, from):
                let start = try from.map { try TaxRates.parseDay($0) }
                let changed = try taxes.set(ctx, code: code, rate: rate, from: start)
                let when = start.map { "from \(TaxRates.moment($0))" } ?? "from now"
                return .taxClassesLoaded(try taxes.list(ctx),
                                         .info("\(changed.code): \(TaxClass.formatRate(try TaxClass.parseRate(rate)))% \(when)."))
            case let .archive(code):
                try taxes.archive(ctx, code: code)
                return .taxClassesLoaded(try taxes.list(ctx), .info("Archived \(code)."))
            }
        } catch let error as TillError {
            if case .permissionDenied = error, work == .load { return .settingsRefused("Settings: \(error.description)") }
            throw error
        }
    }
}
