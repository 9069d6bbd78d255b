import Foundation
import GRDB

/// A SKU's on-hand at one other store of the chain (all its locations), as HQ last heard.
public struct StoreStock: Equatable, Sendable {
    public var store: String
    public var storeName: String
    public var onHand: Quantity
    /// When that store recorded the last movement HQ has of this SKU there.
    public var asOf: Date?

    public init(store: String, storeName: String, onHand: Quantity, asOf: Date?) {
        self.store = store
        self.storeName = storeName
        self.onHand = onHand
        self.asOf = asOf
    }
}

/// "Store S014 has 3": other stores' stock from head office, for the cashier and the merchant.
public enum ChainStock {
    /// Every other store HQ knows the SKU at, with what it has on hand (floor and back room together).
    /// Throws `HeadOfficeUnreachable` when HQ cannot be asked, and a clear refusal outside a chain.
    public static func elsewhere(sku: String, store: StoreDatabase, _ ctx: TillContext) throws -> [StoreStock] {
        guard try ChainStore.membership(store) != nil else {
            throw TillError.invalid("this store is not in a chain: there are no other stores to ask (till chain join --hq URL --store CODE)")
        }
        let trimmed = sku.trimmingCharacters(in: .whitespaces).uppercased()
        let known = try store.read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM variant WHERE sku = ? COLLATE NOCASE)", arguments: [trimmed]) ?? false
        }
        guard known else { throw TillError.notFound("SKU \(trimmed)") }
        guard let office = ctx.headOffice else { throw HeadOfficeUnreachable("this till has no line to head office") }
        var byStore: [String: StoreStock] = [:]
        var order: [String] = []
        for level in try office.stockElsewhere(sku: trimmed) {
            if byStore[level.store] == nil {
                order.append(level.store)
                byStore[level.store] = StoreStock(store: level.store, storeName: level.storeName, onHand: .zero, asOf: nil)
            }
            var entry = byStore[level.store] ?? StoreStock(store: level.store, storeName: level.storeName, onHand: .zero, asOf: nil)
            entry.onHand = entry.onHand + level.onHand
            if let asOf = level.asOf, asOf > (entry.asOf ?? .distantPast) { entry.asOf = asOf }
            byStore[level.store] = entry
        }
        return order.compactMap { byStore[$0] }
    }
}
