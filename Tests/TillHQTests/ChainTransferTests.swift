import Foundation
import GRDB
import Testing
import TillCore
@testable import TillHQ
import TillTUI
import TillTestSupport

/// Transfers between stores against the real PostgreSQL: request, ship, receive, the difference resolved, and
/// both stores offline with their events arriving in either order — stock in transit never counted twice.
@Suite(.serialized) struct ChainTransferTests {
    static func items(_ pairs: (String, Int64)...) -> [TransferItem] {
        pairs.map { TransferItem(sku: $0.0, quantity: .units($0.1)) }
    }

    func line(_ transfer: ChainTransfer?, _ sku: String) -> ChainTransferLine? {
        transfer?.lines.first { $0.sku == sku }
    }

    /// HQ's on-hand of `sku` over every store, plus what is in transit: the chain's stock.
    func chainStock(_ rig: ChainRig, _ sku: String) throws -> Int64 {
        try rig.int("""
            SELECT (SELECT COALESCE(sum(on_hand_milli), 0) FROM hq.stock_level WHERE sku = $1)
                 + (SELECT COALESCE(sum(in_transit_milli), 0) FROM hq.transfer_position WHERE sku = $1)
            """, [sku])
    }

    @Test func aRequestIsShippedReceivedInPartAndTheDifferenceWrittenOffByAManager() throws {
        let rig = try ChainRig()
        let a = try rig.join("TA1"), b = try rig.join("TB1")
        try a.sync()
        try b.sync()
        let stockBefore = try chainStock(rig, "COF-002")
        let atB = ChainTransfers(store: b.store), atA = ChainTransfers(store: a.store)

        let request = try atB.request(from: "ta1", items: Self.items(("cof-002", 6), ("BAK-006", 2)), note: "weekend",
                                      try ChainCreditTests.online(b, "max"))
        #expect(request.id == "TB1-T1")
        #expect(request.state == "requested")
        #expect(try atA.list(try ChainCreditTests.online(a)).map(\.id) == ["TB1-T1"])

        // A ships what was asked (no items given), its stock leaves at once; HQ hears it at A's next sync.
        let floorBefore = try a.local("SELECT SUM(m.delta_milli) FROM stock_movement m JOIN variant v ON v.id = m.variant_id WHERE v.sku = 'COF-002'")
        let shipped = try atA.ship(id: "tb1-t1", _: try ChainCreditTests.online(a, "max"))
        #expect(shipped.to == "TB1")
        #expect(Set(shipped.items.map(\.sku)) == ["COF-002", "BAK-006"])
        #expect(try a.local("SELECT SUM(m.delta_milli) FROM stock_movement m JOIN variant v ON v.id = m.variant_id WHERE v.sku = 'COF-002'") == floorBefore - 6_000)
        try a.sync()
        var seen = try #require(try atB.list(try ChainCreditTests.online(b)).first)
        #expect(seen.state == "in transit")
        #expect(line(seen, "COF-002")?.inTransit == .units(6))
        #expect(try chainStock(rig, "COF-002") == stockBefore)  // in transit, not gone and not counted twice

        // B counts 5 of the 6 coffees in the box: a part receipt, and HQ flags the difference once both are in.
        _ = try atB.receive(id: "TB1-T1", items: Self.items(("COF-002", 5), ("BAK-006", 2)), _: try ChainCreditTests.online(b, "max"))
        try b.sync()
        seen = try #require(try atB.list(try ChainCreditTests.online(b)).first)
        #expect(seen.state == "partly received")
        #expect(line(seen, "COF-002")?.inTransit == .units(1))
        #expect(try chainStock(rig, "COF-002") == stockBefore)
        let short = try HQReports.exceptions(rig.hq).filter { $0.kind == "transfer_short" }
        #expect(short.count == 1)
        #expect(short.first?.detail.contains("COF-002 shipped 6, TB1 received 5") == true)

        // Nothing more turns up: the manager writes the one off as lost; HQ says who.
        #expect(throws: TillError.self) { try atB.resolve(id: "TB1-T1", sku: "BAK-006", as: .lost, note: "none", try ChainCreditTests.online(b, "max")) }
        let closed = try atB.resolve(id: "TB1-T1", sku: "COF-002", as: .lost, note: "box torn", try ChainCreditTests.online(b, "max"))
        #expect(closed.state == "closed with write-off")
        #expect(line(closed, "COF-002")?.writtenOff == .units(1))
        #expect(try chainStock(rig, "COF-002") == stockBefore - 1_000)
        let resolved = try HQReports.exceptions(rig.hq, includeResolved: true).filter { $0.kind == "transfer_short" }
        #expect(resolved.first?.resolvedBy == "max")
        #expect(try atB.list(try ChainCreditTests.online(b)).isEmpty, "nothing open is left")
        #expect(try atB.list(all: true, try ChainCreditTests.online(b)).count == 1)
    }

    @Test func bothStoresOfflineShipAndReceiveAndHQPutsItTogetherInEitherOrder() throws {
        let rig = try ChainRig()
        let a = try rig.join("TA2"), b = try rig.join("TB2")
        try a.sync()
        try b.sync()
        let stockBefore = try chainStock(rig, "COF-002")
        let atB = ChainTransfers(store: b.store), atA = ChainTransfers(store: a.store)
        let request = try atB.request(from: "TA2", items: Self.items(("COF-002", 4)), _: try ChainCreditTests.online(b, "max"))

        // A request needs HQ: offline it is refused and says why.
        let refused = #expect(throws: TillError.self) {
            try atB.request(from: "TA2", items: Self.items(("COF-002", 1)), _: try ChainCreditTests.offline(b, "max"))
        }
        #expect("\(refused!)".contains("head office cannot be reached"))
        // Offline a shipment needs its items; the request's number names who asked.
        #expect(throws: TillError.self) { try atA.ship(id: request.id, _: try ChainCreditTests.offline(a, "max")) }
        let shipped = try atA.ship(id: request.id, items: Self.items(("COF-002", 4)), _: try ChainCreditTests.offline(a, "max"))
        #expect(shipped.to == "TB2")
        // B, offline too, takes in what arrived; it knows whom it asked.
        let received = try atB.receive(id: request.id, items: Self.items(("COF-002", 4)), _: try ChainCreditTests.offline(b, "max"))
        #expect(received.from == "TA2")

        // B's receipt reaches HQ first: more received than shipped, until A's shipment arrives.
        try b.sync()
        var seen = try #require(try atB.list(try ChainCreditTests.online(b, "max")).first)
        #expect(seen.state == "received more than shipped")
        // The receipt ahead of its shipment shows as negative transit: the chain's stock is still what it was.
        #expect(line(seen, "COF-002")?.inTransit == .units(-4))
        #expect(try chainStock(rig, "COF-002") == stockBefore)
        try a.sync()
        seen = try #require(try atB.list(all: true, try ChainCreditTests.online(b, "max")).first)
        #expect(seen.state == "received")
        #expect(line(seen, "COF-002")?.inTransit == .zero)
        #expect(try chainStock(rig, "COF-002") == stockBefore)
        #expect(try rig.int("SELECT count(*) FROM hq.exception WHERE kind = 'transfer_short' AND resolved_at IS NULL") == 0)

        // An unasked shipment gets the sender's own number.
        let pushed = try atA.ship(to: "tb2", items: Self.items(("COF-002", 1)), _: try ChainCreditTests.online(a, "max"))
        #expect(pushed.id == "TA2-T1")
    }

    @Test func aStoreCannotPostTheOtherSideOfSomeoneElsesTransfer() throws {
        let rig = try ChainRig()
        let a = try rig.join("TA3"), b = try rig.join("TB3"), c = try rig.join("TC3")
        _ = b
        _ = c
        // A writes a movement claiming to receive what TB3 sent TC3: HQ keeps the movement, flags the transfer.
        try a.store.write { db in
            try db.execute(sql: """
                INSERT INTO stock_movement(variant_id, location_id, delta_milli, reason, reference, created_at)
                VALUES ((SELECT id FROM variant WHERE sku = 'COF-002'), (SELECT id FROM location WHERE code = 'floor'), 3000,
                        'transfer', 'store-transfer:TB3-T1:TB3>TC3', ?)
                """, arguments: [Date()])
        }
        try a.sync()
        #expect(try rig.int("SELECT count(*) FROM hq.exception WHERE kind = 'transfer_mismatch' AND store = 'TA3'") == 1)
        #expect(try rig.int("SELECT count(*) FROM hq.transfer") == 0)
        // And A's role cannot number a request as B's.
        let asA = try HQConnection.connect(a.url)
        defer { asA.close() }
        #expect { try asA.query("SELECT hq.request_transfer('TB3-T5', 'TC3', '[{\"sku\":\"COF-002\",\"quantity_milli\":1000}]', '', NULL)") }
            throws: { ($0 as? HQError)?.isPermissionDenied == true }
        #expect { try asA.query("SELECT * FROM hq.transfer") } throws: { ($0 as? HQError)?.isPermissionDenied == true }
    }
}

/// The Inventory pane's transfers list, driven through the app's own effect runner against the real HQ.
@Suite(.serialized) struct ChainTransferPaneTests {
    @Test func theInventoryPaneListsShipsAndReceivesTransfers() throws {
        let rig = try ChainRig()
        let a = try rig.join("PA1"), b = try rig.join("PB1")
        try a.sync()
        try b.sync()
        let request = try ChainTransfers(store: b.store).request(from: "PA1", items: ChainTransferTests.items(("COF-002", 3)),
                                                                 _: try ChainCreditTests.online(b, "max"))
        func runner(_ store: ChainTestStore) throws -> EffectRunner {
            EffectRunner(store: store.store, staffID: try store.staff("max").id, headOffice: HQHeadOffice(url: store.url))
        }
        // A sees the request and ships it with Enter.
        guard case let .inventoryPanelLoaded(.transfers(atA)) = try runner(a).run(.loadTransfers) else {
            Issue.record("no transfers panel")
            return
        }
        #expect(atA.transfers.map(\.id) == [request.id])
        guard case let .transfersChanged(_, shippedMessage) = try runner(a).run(.shipTransfer(id: request.id)) else {
            Issue.record("not shipped")
            return
        }
        #expect(shippedMessage.text.contains("COF-002 × 3"))
        try a.sync()
        guard case let .transfersChanged(after, receivedMessage) = try runner(b).run(.receiveTransfer(id: request.id)) else {
            Issue.record("not received")
            return
        }
        #expect(receivedMessage.text.contains("received into the back room"))
        try b.sync()
        #expect(after.transfers.first?.id == request.id)
        guard case let .inventoryPanelLoaded(.transfers(done)) = try runner(b).run(.loadTransfers) else { return }
        #expect(done.transfers.isEmpty, "received in full: nothing open")
    }
}
