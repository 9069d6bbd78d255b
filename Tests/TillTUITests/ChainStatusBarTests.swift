import Foundation
import Testing
import TillCore
import TillTestSupport
@testable import TillTUI

/// A chain store's status bar says how its link to head office stands, at the right end, in every size.
@Suite("Chain status bar")
struct ChainStatusBarTests {
    static func chainApp(width: Int, height: Int, prepare: @escaping (StoreDatabase) throws -> Void) throws -> AppDriver {
        try TestApp.demo(width: width, height: height) { store in
            try ChainStore.join(store, code: "S012", TillContext().at(TestApp.clock.addingTimeInterval(-3 * 3600)))
            try prepare(store)
        }
    }

    static func bottomLine(_ app: AppDriver) -> String {
        app.screen.split(separator: "\n", omittingEmptySubsequences: false).last(where: { !$0.isEmpty }).map(String.init) ?? ""
    }

    @Test(arguments: [(80, 24), (100, 30)])
    func offlineSaysForHowLongAndHowMuchWaits(size: (Int, Int)) throws {
        let app = try Self.chainApp(width: size.0, height: size.1) { store in
            try ChainStore.recordAttempt(store, at: TestApp.clock.addingTimeInterval(-60), error: "cannot reach head office")
        }
        let queued = try ChainOutbox.count(app.store)
        let line = Self.bottomLine(app)
        #expect(line.hasSuffix("offline 3 h, \(queued) to send"), "\(line)")
        #expect(line.hasPrefix(" ana (cashier)"), "the member and the keys keep their place: \(line)")
    }

    @Test func syncedSaysWhenAndUpdatesOnTheTick() throws {
        let app = try Self.chainApp(width: 80, height: 24) { store in
            try ChainStore.recordAttempt(store, at: TestApp.clock.addingTimeInterval(-120), error: nil)
            try ChainStore.acknowledge(store, upTo: try ChainOutbox.count(store), heldAtHQ: 0)
        }
        #expect(Self.bottomLine(app).hasSuffix("HQ ✓ 2 min ago"), "\(Self.bottomLine(app))")
        // The sync agent (another process) falls behind: the next tick shows it.
        try ChainStore.recordAttempt(app.store, at: TestApp.clock, error: "cannot reach head office")
        app.handle([.chainTick])
        #expect(Self.bottomLine(app).hasSuffix("offline 2 min, 0 to send"), "\(Self.bottomLine(app))")
    }

    @Test func aShopOnItsOwnShowsNoLink() throws {
        let app = try TestApp.demo()
        #expect(!Self.bottomLine(app).contains("HQ"))
        #expect(!Self.bottomLine(app).contains("offline"))
    }
}

@Suite("Chain store catalog keys")
struct ChainCatalogKeysTests {
    @Test func theCatalogsEditingKeysSayHeadOfficeOwnsIt() throws {
        let app = try ChainStatusBarTests.chainApp(width: 100, height: 30) { _ in }
        app.press(.function(2))
        app.press(.control("e"))
        let words = app.screen.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
        #expect(words.contains("edit product: head office owns the catalog in a chain store"), "\(app.screen)")
        #expect(!app.screen.contains("Save"), "no form opens")
    }
}
