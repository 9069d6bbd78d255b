import Foundation
import GRDB

/// Returns anywhere (migration `v17-chain-returns`): when HQ says the chain allows it, a customer may bring
/// back at this store what they bought at another.
///
/// **The rule.** The refunding store posts the refund: its money leaves this store's drawer (or becomes store
/// credit, held at HQ like every card), the goods go into this store's stock, and the refund is in this store's
/// day and Z. The selling store's sale, stock and figures are not touched. HQ is asked first, under the sale's
/// lock, to *claim* what comes back, so the chain never takes back more than was sold — not from two stores at
/// once, and not from this store and the one that sold (which, online, checks HQ's claims before its own
/// refund; offline it cannot, and HQ raises `return_exceeds_sale` if both took it back). The customer gets what
/// they paid per unit after discounts, as HQ has the sale; refunds to the original card are the selling
/// store's (this store's reader never charged that card), so the money goes back as cash or store credit.
///
/// A return from another store needs HQ online: without it nobody can say what is left to return. The claim is
/// written here as `asked` before HQ is asked, so if the till stops between HQ's answer and the refund the
/// sync agent releases it (after `ChainCredit.abandonAfter`); the refund's event captures it at HQ.
public enum ChainReturns {
    static func create(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE chain_return (
                id INTEGER PRIMARY KEY,
                claim_id TEXT NOT NULL UNIQUE,
                origin TEXT NOT NULL,
                state TEXT NOT NULL DEFAULT 'asked' CHECK (state IN ('asked', 'used', 'released')),
                refund_id INTEGER UNIQUE REFERENCES refund(id) ON DELETE RESTRICT,
                created_at DATETIME NOT NULL,
                settled_at DATETIME
            );
            CREATE INDEX chain_return_asked ON chain_return(created_at) WHERE state = 'asked';
            """)
    }

    /// One item of a return from another store: a SKU and how many.
    public typealias Item = TransferItem

    /// The other store's sale as HQ has it, with what is left to return; refused by name when this chain or
    /// this sale cannot be returned here.
    public static func lookup(chainNumber: String, store: StoreDatabase, _ ctx: TillContext) throws -> ChainSaleForReturn {
        let (origin, number) = try parse(chainNumber)
        let here = try check(store, origin: origin, chainNumber: "\(origin)-\(number)")
        guard let headOffice = ctx.headOffice else { throw offline(here, origin: origin, reason: "this store has no line to head office") }
        let sale: ChainSaleForReturn?
        do {
            sale = try headOffice.orderForReturn(chainNumber: "\(origin)-\(number)")
        } catch let error as HeadOfficeUnreachable {
            throw offline(here, origin: origin, reason: error.reason)
        }
        guard let sale else {
            throw TillError.notFound("sale \(origin)-\(number) at head office (not sold, or \(origin) has not sent it yet)")
        }
        guard sale.returnsAnywhere else { throw notAllowed(origin) }
        return sale
    }

    /// Takes back `items` of another store's sale here, as one refund of this store. `destination` is cash or
    /// store credit.
    public static func take(chainNumber: String, items: [Item], destination: RefundDestination, creditCode: String? = nil,
                            customerID: Int64? = nil, restockLocation: String? = Location.floorCode, reason: String? = nil,
                            store: StoreDatabase, _ ctx: TillContext) throws -> RefundDetail {
        let (origin, number) = try parse(chainNumber)
        let chainNumber = "\(origin)-\(number)"
        guard !items.isEmpty else { throw TillError.invalid("a return needs at least one item") }
        guard destination != .original else {
            throw TillError.invalid("the card of a sale at \(origin) can only be refunded at \(origin): give cash or store credit here")
        }
        let here = try check(store, origin: origin, chainNumber: chainNumber)
        try store.read { db in try Permissions.require(db, .refund, staffID: ctx.staffID, approvedBy: ctx.approverID) }
        // Every SKU must be one this store sells, to take it into its stock and price its tax.
        var variants: [String: Int64] = [:]
        for item in items {
            guard item.quantity > .zero else { throw TillError.invalidQuantity(item.quantity.description, reason: "must be above zero") }
            guard let variantID = try store.read({ db in
                try Int64.fetchOne(db, sql: "SELECT id FROM variant WHERE sku = ? COLLATE NOCASE", arguments: [item.sku])
            }) else {
                throw TillError.notFound("SKU \(item.sku) in this store's catalog")
            }
            variants[item.sku.uppercased()] = variantID
        }
        guard let headOffice = ctx.headOffice else { throw offline(here, origin: origin, reason: "this store has no line to head office") }
        let claimID = UUID().uuidString.lowercased()
        try store.write { db in
            try db.execute(sql: "INSERT INTO chain_return(claim_id, origin, created_at) VALUES (?, ?, ?)",
                           arguments: [claimID, chainNumber, ctx.now])
        }
        let answer: ReturnClaimAnswer
        do {
            answer = try headOffice.claimReturn(claimID: claimID, chainNumber: chainNumber, items: items)
        } catch let error as HeadOfficeUnreachable {
            // HQ may or may not have the claim: it stays `asked`, and the sync agent releases it.
            throw offline(here, origin: origin, reason: error.reason)
        }
        guard case let .granted(lines) = answer else {
            try settle(store, claimID, as: "released", at: ctx.now)
            if case let .refused(reason) = answer { throw TillError.invalid("head office refused the return: \(reason)") }
            throw TillError.invalid("head office refused the return")
        }
        let priced = lines.compactMap { line -> NoReceiptItem? in
            guard let variantID = variants[line.sku.uppercased()] else { return nil }
            return NoReceiptItem(variantID: variantID, quantity: line.quantity, unitPrice: line.unitAmount)
        }
        let why = reason.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        do {
            return try Refunds(store: store).takeBack(
                priced, destination: destination, creditCode: creditCode, customerID: customerID, restockLocation: restockLocation,
                reason: "sold at \(origin) as \(chainNumber)" + (why.map { ": \($0)" } ?? ""), permission: .refund, ctx
            ) { db, refundID in
                try db.execute(sql: "UPDATE chain_return SET state = 'used', refund_id = ?, settled_at = ? WHERE claim_id = ?",
                               arguments: [refundID, ctx.now, claimID])
            }
        } catch {
            // Nothing was refunded here: give the claim back so the goods can still be returned.
            if (try? headOffice.releaseReturn(claimID: claimID)) != nil { try? settle(store, claimID, as: "released", at: ctx.now) }
            throw error
        }
    }

    /// Before the selling store refunds its own sale: what other stores already took back, per SKU, from HQ.
    /// Empty when the chain does not return anywhere; nil when HQ cannot be asked (the refund goes ahead, and HQ
    /// flags a double return if there was one).
    static func returnedElsewhere(orderNumber: Int64, store: StoreDatabase, _ ctx: TillContext) -> [String: Quantity]? {
        guard let settings = try? store.read({ db in try StoreSettings.load(db) }), settings.returnsAnywhere,
              let code = try? ChainStore.membership(store)?.code else { return [:] }
        guard let headOffice = ctx.headOffice,
              let sale = try? headOffice.orderForReturn(chainNumber: "\(code)-\(orderNumber)") else { return nil }
        var refundedHere: [String: Int64] = [:]
        if let rows = try? store.read({ db in
            try Row.fetchAll(db, sql: """
                SELECT rl.sku, SUM(rl.quantity_milli) AS milli FROM refund_line rl JOIN refund r ON r.id = rl.refund_id
                JOIN orders o ON o.id = r.order_id WHERE o.number = ? AND r.status = 'completed' GROUP BY rl.sku
                """, arguments: [orderNumber])
        }) {
            for row in rows { refundedHere[(row["sku"] as String).uppercased()] = row["milli"] }
        }
        var elsewhere: [String: Quantity] = [:]
        for line in sale.lines {
            // HQ's "returned" counts this store's refunds it has heard of too; the rest is other stores' claims.
            let mine = refundedHere[line.sku.uppercased()] ?? 0
            let other = max(0, line.returned.milli - min(mine, line.returned.milli))
            if other > 0 { elsewhere[line.sku.uppercased()] = Quantity(milli: other) }
        }
        return elsewhere
    }

    /// Claims asked for longer than `ChainCredit.abandonAfter` and never used: the sync agent releases them.
    public static func unsettledClaims(_ store: StoreDatabase, now: Date) throws -> [String] {
        try store.read { db in
            try String.fetchAll(db, sql: "SELECT claim_id FROM chain_return WHERE state = 'asked' AND created_at < ? ORDER BY created_at",
                                arguments: [now.addingTimeInterval(-ChainCredit.abandonAfter)])
        }
    }

    public static func markReleased(_ store: StoreDatabase, claimID: String, at date: Date) throws {
        try settle(store, claimID, as: "released", at: date)
    }

    static func settle(_ store: StoreDatabase, _ claimID: String, as state: String, at date: Date) throws {
        try store.write { db in
            try db.execute(sql: "UPDATE chain_return SET state = ?, settled_at = ? WHERE claim_id = ? AND state = 'asked'",
                           arguments: [state, date, claimID])
        }
    }

    // MARK: - Checks

    static func parse(_ chainNumber: String) throws -> (String, Int64) {
        let text = chainNumber.trimmingCharacters(in: .whitespaces)
        guard let parsed = HQOrderFilter.chainNumber(text) else {
            throw TillError.invalid("\"\(chainNumber)\" is not another store's order number: write it as STORE-NUMBER, as on its receipt (S012-1001)")
        }
        return parsed
    }

    /// This store's code; refused unless this is a chain store that returns anywhere and the sale is another's.
    static func check(_ store: StoreDatabase, origin: String, chainNumber: String) throws -> String {
        guard let membership = try ChainStore.membership(store) else {
            throw TillError.invalid("this store is not in a chain: \(chainNumber) is another store's sale")
        }
        guard origin != membership.code else {
            throw TillError.invalid("\(chainNumber) was sold here: refund it from Orders (F4) or `till refund \(chainNumber.split(separator: "-").last ?? "")`")
        }
        guard try store.read({ db in try StoreSettings.load(db).returnsAnywhere }) else { throw notAllowed(origin) }
        return membership.code
    }

    static func notAllowed(_ origin: String) -> TillError {
        TillError.invalid("this chain takes returns only at the store that sold: send the customer to \(origin) (head office can allow returns anywhere: `till hq returns anywhere`)")
    }

    static func offline(_ here: String, origin: String, reason: String) -> TillError {
        TillError.invalid("head office cannot be reached (\(reason)): a return of \(origin)'s sale needs it, to know what is left to return — try again when \(here) is back online, or send the customer to \(origin)")
    }
}
