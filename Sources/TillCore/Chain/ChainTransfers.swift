import Foundation
import GRDB

/// A SKU and how many, on a transfer.
public struct TransferItem: Equatable, Sendable {
    public var sku: String
    public var quantity: Quantity
    public init(sku: String, quantity: Quantity) {
        self.sku = sku
        self.quantity = quantity
    }
}

public enum TransferLoss: String, Sendable, CaseIterable {
    case lost, damaged
}

/// A transfer between two stores as HQ has put it together from both stores' movements.
public struct ChainTransfer: Equatable, Sendable {
    public var id: String
    public var from: String
    public var fromName: String
    public var to: String
    public var toName: String
    /// Asked for by the receiving store (else the shipping store sent it unasked).
    public var requested: Bool
    public var requestedBy: String?
    public var note: String
    public var createdAt: Date?
    public var lines: [ChainTransferLine]

    public init(id: String, from: String, fromName: String, to: String, toName: String, requested: Bool,
                requestedBy: String?, note: String, createdAt: Date?, lines: [ChainTransferLine]) {
        self.id = id
        self.from = from
        self.fromName = fromName
        self.to = to
        self.toName = toName
        self.requested = requested
        self.requestedBy = requestedBy
        self.note = note
        self.createdAt = createdAt
        self.lines = lines
    }

    /// requested → in transit → received (or: differences written off, received more than shipped).
    public var state: String {
        if lines.allSatisfy({ $0.shipped == .zero && $0.received == .zero }) { return "requested" }
        if lines.contains(where: { $0.inTransit.milli < 0 }) { return "received more than shipped" }
        if lines.contains(where: { $0.inTransit.milli > 0 }) {
            return lines.contains(where: { $0.received.milli > 0 }) ? "partly received" : "in transit"
        }
        if lines.contains(where: { $0.shipped < $0.requested }) { return "partly shipped" }
        return lines.contains(where: { $0.writtenOff.milli > 0 }) ? "closed with write-off" : "received"
    }
}

public struct ChainTransferLine: Equatable, Sendable {
    public var sku: String
    public var requested: Quantity
    public var shipped: Quantity
    public var received: Quantity
    public var writtenOff: Quantity
    /// Shipped, not yet received nor written off. Below zero: the receipt reached HQ before the shipment.
    public var inTransit: Quantity

    public init(sku: String, requested: Quantity, shipped: Quantity, received: Quantity, writtenOff: Quantity, inTransit: Quantity) {
        self.sku = sku
        self.requested = requested
        self.shipped = shipped
        self.received = received
        self.writtenOff = writtenOff
        self.inTransit = inTransit
    }
}

/// Moving stock between stores of a chain: B requests (through HQ), A ships (its stock leaves: a movement
/// referenced `store-transfer:<id>:<A>><B>`), B receives (its stock arrives under the same reference), partly
/// or in several deliveries. Shipping and receiving are the stores' own ledger rows, written offline as well as
/// online and sent through the outbox; HQ puts both sides together and keeps what is between them in transit.
/// A transfer's number is the store that made it and its own count (`S002-T7`), so no store needs HQ to
/// number one.
public struct ChainTransfers: Sendable {
    public let store: StoreDatabase

    public init(store: StoreDatabase) { self.store = store }

    static func create(_ db: Database) throws {
        try db.execute(sql: """
            -- Transfers this store numbered (requests it made, shipments it sent unasked).
            CREATE TABLE chain_transfer (
                id TEXT PRIMARY KEY,
                from_store TEXT NOT NULL,
                to_store TEXT NOT NULL,
                requested INTEGER NOT NULL,
                note TEXT NOT NULL DEFAULT '',
                created_at DATETIME NOT NULL
            );
            """)
    }

    public static func reference(id: String, from: String, to: String) -> String { "store-transfer:\(id):\(from)>\(to)" }

    /// Asks store `from` to send `items`. Needs HQ: the request reaches the other store only through it.
    public func request(from: String, items: [TransferItem], note: String = "", _ ctx: TillContext) throws -> ChainTransfer {
        let me = try membershipCode()
        let source = from.trimmingCharacters(in: .whitespaces).uppercased()
        guard source != me else { throw TillError.invalid("\(me) is this store: a transfer is requested from another store") }
        try CardNumberGuard.check(note, field: "The note")
        let checked = try check(items)
        let id = try store.write { db -> String in
            try Permissions.requireIfSignedIn(db, .adjustStock, staffID: ctx.staffID)
            let id = try Self.nextID(db, code: me)
            try db.execute(sql: "INSERT INTO chain_transfer(id, from_store, to_store, requested, note, created_at) VALUES (?, ?, ?, 1, ?, ?)",
                           arguments: [id, source, me, note, ctx.now])
            return id
        }
        do {
            guard let office = ctx.headOffice else { throw HeadOfficeUnreachable("this till has no line to head office") }
            return try office.requestTransfer(id: id, from: source, items: checked, note: note, by: try username(ctx))
        } catch let error as HeadOfficeUnreachable {
            throw TillError.invalid("head office cannot be reached (\(error.reason)): a request reaches \(source) only through HQ — try again when it is back (shipping and receiving work offline)")
        }
    }

    /// Sends stock to another store: against transfer `id` (a request: by default what was asked and not yet
    /// shipped), or unasked to store `to` under a new number. Offline, give the items (and for an unasked
    /// shipment, `to`); a request's number names the store that asked.
    public func ship(id: String? = nil, to: String? = nil, items: [TransferItem]? = nil, location: String = Location.floorCode,
                     note: String = "", _ ctx: TillContext) throws -> (id: String, to: String, items: [TransferItem]) {
        let me = try membershipCode()
        try CardNumberGuard.check(note, field: "The note")
        var target = to?.trimmingCharacters(in: .whitespaces).uppercased()
        var lines = try items.map { try check($0) }
        if let id = id.map(Self.normalized) {
            let (known, reachable) = try lookup(id, ctx)
            if known == nil && reachable && Self.numberingStore(of: id) != me {
                throw TillError.notFound("transfer \(id) at head office")
            }
            if let known {
                guard known.from == me else {
                    throw TillError.invalid("transfer \(id) is \(known.from)'s to send to \(known.to), not this store's (\(me))")
                }
                target = known.to
                if lines == nil {
                    lines = known.lines.compactMap { line in
                        let left = line.requested - line.shipped
                        return left.milli > 0 ? TransferItem(sku: line.sku, quantity: left) : nil
                    }
                }
            } else {
                target = target ?? Self.numberingStore(of: id)
            }
            guard let target, target != me else { throw TillError.invalid("transfer \(id) was numbered by this store: say --to STORE") }
            guard let lines, !lines.isEmpty else {
                throw TillError.invalid(known == nil ? "head office cannot be reached: say what is shipped (--item SKU*QTY)"
                                                     : "everything requested on \(id) has been shipped; to send more, say --item SKU*QTY")
            }
            try post(id: id, from: me, to: target, items: lines, sign: -1, location: location, note: note, ctx)
            return (id, target, lines)
        }
        guard let target, target != me else { throw TillError.invalid("say which store it goes to (--to STORE) or which request it answers (ID)") }
        guard let lines, !lines.isEmpty else { throw TillError.invalid("say what is shipped (--item SKU*QTY)") }
        let newID = try store.write { db -> String in
            let id = try Self.nextID(db, code: me)
            try db.execute(sql: "INSERT INTO chain_transfer(id, from_store, to_store, requested, note, created_at) VALUES (?, ?, ?, 0, ?, ?)",
                           arguments: [id, me, target, note, ctx.now])
            return id
        }
        try post(id: newID, from: me, to: target, items: lines, sign: -1, location: location, note: note, ctx)
        return (newID, target, lines)
    }

    /// Takes in what arrived on transfer `id`: by default (HQ reachable) everything still in transit, else
    /// the items given — a part now and the rest later is fine.
    public func receive(id rawID: String, from: String? = nil, items: [TransferItem]? = nil, location: String = Location.backCode,
                        note: String = "", _ ctx: TillContext) throws -> (id: String, from: String, items: [TransferItem]) {
        let me = try membershipCode()
        let id = Self.normalized(rawID)
        try CardNumberGuard.check(note, field: "The note")
        var source = from?.trimmingCharacters(in: .whitespaces).uppercased()
        var lines = try items.map { try check($0) }
        let (found, reachable) = try lookup(id, ctx)
        let numberedHere = try store.read { db in
            try String.fetchOne(db, sql: "SELECT id FROM chain_transfer WHERE id = ?", arguments: [id]) != nil
        }
        if found == nil && reachable && Self.numberingStore(of: id) == me && !numberedHere {
            throw TillError.notFound("transfer \(id) (this store never numbered one so)")
        }
        if let known = found {
            guard known.to == me else {
                throw TillError.invalid("transfer \(id) goes to \(known.to), not to this store (\(me))")
            }
            source = known.from
            if lines == nil {
                lines = known.lines.compactMap { $0.inTransit.milli > 0 ? TransferItem(sku: $0.sku, quantity: $0.inTransit) : nil }
            }
        } else if source == nil {
            let numbering = Self.numberingStore(of: id)
            source = numbering != me ? numbering
                : try store.read { db in try String.fetchOne(db, sql: "SELECT from_store FROM chain_transfer WHERE id = ?", arguments: [id]) }
        }
        guard let source, source != me else { throw TillError.invalid("say which store transfer \(id) came from (--from STORE)") }
        guard let lines, !lines.isEmpty else {
            throw TillError.invalid("nothing of \(id) is in transit to this store by HQ's figures; to take in what arrived, say --item SKU*QTY")
        }
        try post(id: id, from: source, to: me, items: lines, sign: 1, location: location, note: note, ctx)
        return (id, source, lines)
    }

    /// Open transfers (or all) from HQ.
    public func list(all: Bool = false, _ ctx: TillContext) throws -> [ChainTransfer] {
        _ = try membershipCode()
        guard let office = ctx.headOffice else { throw HeadOfficeUnreachable("this till has no line to head office") }
        return try office.transfers(all: all)
    }

    /// What this store's own ledger says of its transfers (offline): per transfer and SKU, shipped or received here.
    public func recordedHere() throws -> [(reference: String, sku: String, quantity: Quantity, at: Date)] {
        try store.read { db in
            try Row.fetchAll(db, sql: """
                SELECT m.reference, v.sku, SUM(m.delta_milli) AS milli, MAX(m.created_at) AS at FROM stock_movement m
                JOIN variant v ON v.id = m.variant_id WHERE m.reference LIKE 'store-transfer:%'
                GROUP BY m.reference, v.sku ORDER BY MAX(m.created_at) DESC, v.sku
                """).map { ($0["reference"], $0["sku"], Quantity(milli: $0["milli"]), $0["at"]) }
        }
    }

    /// Writes off what is still in transit on a line as lost or damaged (a manager; HQ must be reachable).
    public func resolve(id: String, sku: String, as outcome: TransferLoss, note: String, _ ctx: TillContext) throws -> ChainTransfer {
        _ = try membershipCode()
        try CardNumberGuard.check(note, field: "The note")
        guard !note.trimmingCharacters(in: .whitespaces).isEmpty else { throw TillError.invalid("say what happened (a note)") }
        try store.read { db in try Permissions.requireIfSignedIn(db, .adjustStock, staffID: ctx.staffID) }
        guard let office = ctx.headOffice else { throw HeadOfficeUnreachable("this till has no line to head office") }
        return try office.resolveTransfer(id: Self.normalized(id), sku: sku.uppercased(), outcome: outcome, note: note,
                                          by: try username(ctx))
    }

    // MARK: -

    private func post(id: String, from: String, to: String, items: [TransferItem], sign: Int64, location: String,
                      note: String, _ ctx: TillContext) throws {
        let reference = Self.reference(id: id, from: from, to: to)
        let date = ctx.now
        try store.write { db in
            try Permissions.requireIfSignedIn(db, .adjustStock, staffID: ctx.staffID)
            let place = try Location.named(db, code: location)
            for item in items {
                let variant = try StockOperations.variant(db, sku: item.sku)
                try StockOperations.requireUnit(db, variant, item.quantity)
                if sign < 0 {
                    try StockOperations.requireOnHand(variant.sku, at: place, onHand: try StockOperations.onHand(db, variant.id ?? 0, place.id ?? 0),
                                                      taking: item.quantity, by: "transfer \(id) to \(to)")
                }
                _ = try Inventory.record(db, variantID: variant.id ?? 0, locationID: place.id ?? 0,
                                     delta: sign < 0 ? -item.quantity : item.quantity, reason: .transfer, staffID: ctx.staffID,
                                     reference: reference, note: note.isEmpty ? (sign < 0 ? "to \(to)" : "from \(from)") : note, at: date)
            }
            try AuditLog.record(db, action: sign < 0 ? "transfer.ship" : "transfer.receive", entity: "transfer", entityID: nil,
                                before: nil, after: ["id": id, "from": from, "to": to,
                                                     "items": items.map { "\($0.sku)*\($0.quantity)" }.joined(separator: " ")],
                                staffID: ctx.staffID, at: date)
        }
    }

    /// HQ's view of `id`; nil offline, or when HQ does not have it (`reachable` says which).
    private func lookup(_ id: String, _ ctx: TillContext) throws -> (transfer: ChainTransfer?, reachable: Bool) {
        guard let office = ctx.headOffice else { return (nil, false) }
        do {
            return (try office.transfer(id: id), true)
        } catch is HeadOfficeUnreachable {
            return (nil, false)
        }
    }

    private func check(_ items: [TransferItem]) throws -> [TransferItem] {
        guard !items.isEmpty else { throw TillError.invalid("a transfer needs at least one item (--item SKU*QTY)") }
        return try store.read { db in
            try items.map { item in
                guard item.quantity.milli > 0 else { throw TillError.invalidQuantity(item.quantity.description, reason: "a transfer moves more than zero") }
                let variant = try StockOperations.variant(db, sku: item.sku)
                try StockOperations.requireUnit(db, variant, item.quantity)
                return TransferItem(sku: variant.sku, quantity: item.quantity)
            }
        }
    }

    private func membershipCode() throws -> String {
        guard let membership = try ChainStore.membership(store) else {
            throw TillError.invalid("transfers between stores need a chain: this store has not joined one (till chain join --hq URL --store CODE)")
        }
        return membership.code
    }

    private func username(_ ctx: TillContext) throws -> String? {
        guard let staffID = ctx.staffID else { return nil }
        return try store.read { db in try String.fetchOne(db, sql: "SELECT username FROM staff WHERE id = ?", arguments: [staffID]) }
    }

    static func normalized(_ id: String) -> String { id.trimmingCharacters(in: .whitespaces).uppercased() }

    /// `S002-T7` was numbered by S002.
    static func numberingStore(of id: String) -> String {
        id.range(of: "-T").map { String(id[..<$0.lowerBound]) } ?? id
    }

    static func nextID(_ db: Database, code: String) throws -> String {
        let last = try Int.fetchOne(db, sql: """
            SELECT MAX(CAST(substr(id, length(?) + 3) AS INTEGER)) FROM chain_transfer WHERE id LIKE ? || '-T%'
            """, arguments: [code, code]) ?? 0
        return "\(code)-T\(last + 1)"
    }
}
