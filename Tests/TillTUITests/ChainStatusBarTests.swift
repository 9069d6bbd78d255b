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

@Suite("Other stores' stock")
struct StockElsewhereViewTests {
    static let levels = [
        StoreStock(store: "S014", storeName: "Harbour", onHand: .units(3), asOf: TestApp.clock.addingTimeInterval(-600)),
        StoreStock(store: "S020", storeName: "Station", onHand: .zero, asOf: TestApp.clock.addingTimeInterval(-60)),
    ]

    @Test(arguments: [(80, 24), (100, 30)])
    func catalogDetailShowsEachStoresOnHandFromHQ(size: (Int, Int)) throws {
        let app = try ChainStatusBarTests.chainApp(width: size.0, height: size.1) { _ in }
        app.press(.function(2))
        app.press(.enter)
        // The runner here has no line to HQ: the till says so rather than showing nothing.
        #expect(app.screen.contains("Elsewhere"), "\(app.screen)")
        #expect(app.screen.contains("head office unreachable: not known offline"), "\(app.screen)")
        let sku = try #require(app.state.stockElsewhere?.sku)
        app.handle([.stockElsewhereLoaded(sku: sku, .levels(Self.levels))])
        #expect(app.screen.contains("S014 3 · S020 0"), "\(app.screen)")
        #expect(app.screen.contains("(HQ, as of"), "the age of HQ's figures is shown: \(app.screen)")
        // An answer about another SKU (the cashier moved on) is not shown here.
        app.handle([.stockElsewhereLoaded(sku: "OTHER-1", .levels([]))])
        #expect(app.screen.contains("S014 3 · S020 0"))
    }

    @Test func inventoryMovementsShowOtherStoresToo() throws {
        let app = try ChainStatusBarTests.chainApp(width: 100, height: 30) { _ in }
        app.press(.function(3))
        app.press(.enter)
        let sku = try #require(app.state.stockElsewhere?.sku)
        app.handle([.stockElsewhereLoaded(sku: sku, .levels(Self.levels))])
        #expect(app.screen.contains("Other stores: S014 3 · S020 0"), "\(app.screen)")
    }

    @Test func aStoreOnItsOwnDoesNotAsk() throws {
        let app = try TestApp.demo(width: 100, height: 30)
        app.press(.function(2))
        app.press(.enter)
        #expect(app.state.stockElsewhere == nil)
        #expect(!app.screen.contains("Elsewhere"))
    }
}

@Suite("Transfers panel")
struct TransfersPanelTests {
    static let list = TransferList(store: "S012", transfers: [
        ChainTransfer(id: "S014-T3", from: "S012", fromName: "Here", to: "S014", toName: "Harbour", requested: true,
                      requestedBy: "lena", note: "", createdAt: nil,
                      lines: [ChainTransferLine(sku: "COF-002", requested: .units(6), shipped: .zero, received: .zero,
                                                writtenOff: .zero, inTransit: .zero)]),
        ChainTransfer(id: "S020-T1", from: "S020", fromName: "Station", to: "S012", toName: "Here", requested: false,
                      requestedBy: nil, note: "", createdAt: nil,
                      lines: [ChainTransferLine(sku: "BAK-006", requested: .zero, shipped: .units(2), received: .zero,
                                                writtenOff: .zero, inTransit: .units(2))]),
    ])

    @Test(arguments: [(80, 24), (100, 30)])
    func f10ListsTransfersAndEnterSaysWhatItDoes(size: (Int, Int)) throws {
        let app = try ChainStatusBarTests.chainApp(width: size.0, height: size.1) { _ in }
        app.press(.function(3))
        app.press(.function(10))
        // The runner here has no line to HQ: the panel says so and how to ship or receive anyway.
        #expect(app.screen.contains("head office cannot be reached"), "\(app.screen)")
        app.handle([.inventoryPanelLoaded(.transfers(Self.list))])
        #expect(app.screen.contains("S014-T3"), "\(app.screen)")
        #expect(app.screen.contains("→ S014"))
        #expect(app.screen.contains("← S020"))
        #expect(app.screen.contains("Enter: ship it"))
        app.press(.down)
        #expect(app.screen.contains("Enter: receive it"))
        #expect(app.screen.contains("in transit"))
        app.press(.escape)
        #expect(!app.screen.contains("S014-T3"))
    }

    @Test func aStoreOnItsOwnHasNoTransfers() throws {
        let app = try TestApp.demo(width: 100, height: 30)
        app.press(.function(3))
        app.press(.function(10))
        #expect(app.screen.contains("this store is not in a chain"), "\(app.screen)")
    }
}
