import Foundation
import GRDB

/// What a merchant does to stock by hand: adjust, receive deliveries, move between locations. Each is one
/// transaction of ledger movements plus an audit entry.
public struct StockOperations: Sendable {
    public let store: StoreDatabase

    public init(store: StoreDatabase) { self.store = store }

    /// Reason codes a person may give for an adjustment (sales, refunds and counts make their own).
    public static let adjustmentReasons: [StockReason] = [.received, .damaged, .shrinkage, .count, .returnToVendor, .other]

    /// Adds `delta` (negative to remove) at a location with a reason; `other` needs a note. Returns the new on-hand.
    /// A removal never takes the location below zero: stock a person takes away by hand must be there.
    @discardableResult
    public func adjust(sku: String, delta: Quantity, reason: StockReason, location: String = Location.floorCode,
                       note: String? = nil, _ ctx: TillContext) throws -> Quantity {
        let staffID = ctx.staffID
        let date = ctx.now
        guard StockOperations.adjustmentReasons.contains(reason) else {
            throw TillError.invalid("\(reason.rawValue) is not an adjustment reason (use \(StockOperations.adjustmentReasons.map(\.rawValue).joined(separator: ", ")))")
        }
        guard delta.milli != 0 else { throw TillError.invalidQuantity(delta.description, reason: "an adjustment cannot be zero") }
        if reason == .other && (note ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw TillError.invalid("an adjustment for reason other needs a note saying why")
        }
        try CardNumberGuard.check(note, field: "the note")
        return try store.write { db in
            try Permissions.requireIfSignedIn(db, .adjustStock, staffID: staffID)
            let variant = try StockOperations.variant(db, sku: sku)
            try StockOperations.requireUnit(db, variant, delta)
            let place = try Location.named(db, code: location)
            let before = try StockOperations.onHand(db, variant.id ?? 0, place.id ?? 0)
            if delta.milli < 0 {
                try StockOperations.requireOnHand(variant.sku, at: place, onHand: before, taking: -delta, by: "an adjustment")
            }
            try Inventory.record(db, variantID: variant.id ?? 0, locationID: place.id ?? 0, delta: delta, reason: reason,
                                 staffID: staffID, reference: "adjust", note: note, at: date)
            let after = before + delta
            try AuditLog.record(db, action: "stock.adjust", entity: "variant", entityID: variant.id,
                                before: ["sku": variant.sku, "location": place.code, "on_hand": before.description],
                                after: ["sku": variant.sku, "location": place.code, "on_hand": after.description,
                                        "reason": reason.rawValue], staffID: staffID, note: note, at: date)
            return after
        }
    }

    public struct ReceiptLine: Equatable, Sendable {
        public var sku: String
        public var quantity: Quantity
        /// Unit cost on this delivery; updates the SKU's weighted average cost.
        public var cost: Int64?

        public init(sku: String, quantity: Quantity, cost: Int64? = nil) {
            self.sku = sku
            self.quantity = quantity
            self.cost = cost
        }

        /// `SKU=QTY` or `SKU=QTY@COST`, as `till stock receive` takes them.
        public static func parse(_ text: String, currency: Currency) throws -> ReceiptLine {
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw TillError.invalid("expected SKU=QTY or SKU=QTY@COST, got \"\(text)\"")
            }
            let amount = parts[1].split(separator: "@", maxSplits: 1).map(String.init)
            let quantity = try Quantity.parse(amount[0])
            let cost = try amount.count == 2 ? MoneyParser(currency: currency).parse(amount[1]).minorUnits : nil
            return ReceiptLine(sku: parts[0], quantity: quantity, cost: cost)
        }
    }

    /// A delivery (or part of one) against a supplier's reference (delivery note or purchase order), optionally
    /// naming the supplier. Quantities must be above zero. With a cost, the SKU's cost becomes the weighted
    /// average of what was on hand and what arrived.
    ///
    /// A reference already received from the same supplier (no supplier counts as one) is refused, so a delivery
    /// note booked twice does not double the stock; `again` receives it anyway (the rest of a split delivery).
    public func receive(reference: String, supplier: String? = nil, lines: [ReceiptLine],
                        location: String = Location.floorCode, again: Bool = false, _ ctx: TillContext) throws {
        let staffID = ctx.staffID
        let date = ctx.now
        let ref = reference.trimmingCharacters(in: .whitespaces)
        let from = supplier.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        guard !ref.isEmpty else { throw TillError.invalid("a delivery needs a reference (delivery note or purchase order)") }
        try CardNumberGuard.check(ref, field: "the delivery reference")
        try CardNumberGuard.check(from, field: "the supplier")
        guard !lines.isEmpty else { throw TillError.invalid("a delivery needs at least one line") }
        try store.write { db in
            try Permissions.requireIfSignedIn(db, .adjustStock, staffID: staffID)
            let place = try Location.named(db, code: location)
            let earlier = try StockReceipt.count(db, reference: ref, supplier: from)
            if earlier > 0 && !again {
                throw TillError.invalid("delivery \(ref) \(from.map { "from \($0)" } ?? "(no supplier)") was already received\(earlier > 1 ? " \(earlier) times" : ""); to receive it again (the rest of a split delivery), add --again")
            }
            var booked: [BookedLine] = []
            for line in lines {
                guard line.quantity.milli > 0 else {
                    throw TillError.invalidQuantity(line.quantity.description, reason: "\(line.sku): a received quantity is above zero")
                }
                booked.append(try StockOperations.resolve(db, line))
            }
            try StockOperations.book(db, reference: ref, supplier: from, lines: booked, at: place, again: earlier > 0,
                                     staffID: staffID, date: date)
        }
    }

    /// A delivery line once its code is known: the SKU, the units it brings (cases × pack) and the unit cost.
    struct BookedLine {
        var variant: Variant
        var units: Quantity
        /// Per unit, landed cost included where freight was spread over the delivery.
        var cost: Int64?
        /// How it was scanned or typed when that was a case code (`CASE=2`), for the audit entry.
        var asCases: String?
    }

    /// A line names its item by SKU or any barcode (the till's lookup rule); a case code's quantity counts
    /// cases, so `CASE=2` on a case of 12 receives 24 units. A cost is always per unit.
    static func resolve(_ db: Database, _ line: ReceiptLine) throws -> BookedLine {
        guard let found = try Catalog.resolve(db, code: line.sku),
              let variant = try Variant.fetchOne(db, key: found.item.variantID) else {
            throw TillError.notFound("SKU \(line.sku)")
        }
        try StockOperations.requireUnit(db, variant, line.quantity)
        let units = Quantity(milli: try checkedMultiply(line.quantity.milli, found.pack, "\(line.quantity) cases of \(found.pack)"))
        if let cost = line.cost, cost < 0 { throw TillError.invalid("\(line.sku): a cost cannot be negative") }
        return BookedLine(variant: variant, units: units, cost: line.cost,
                          asCases: found.pack != 1 ? "\(line.sku)=\(line.quantity)" : nil)
    }

    /// Books resolved delivery lines in: a ledger movement each, the weighted average cost where a cost came
    /// with it, the receipt row and its audit entry. The one place stock arrives from a supplier (a plain
    /// delivery and one against a purchase order both come here), inside the caller's transaction.
    @discardableResult
    static func book(_ db: Database, reference ref: String, supplier from: String?, lines: [BookedLine], at place: Location,
                     again: Bool, staffID: Int64?, date: Date) throws -> StockReceipt {
        var received: [[String: String]] = []
        for line in lines {
            var variant = try Variant.fetchOne(db, key: line.variant.id) ?? line.variant
            let units = line.units
            if let cost = line.cost {
                let onHand = try Int64.fetchOne(db, sql: "SELECT SUM(on_hand_milli) FROM stock_level WHERE variant_id = ?",
                                                arguments: [variant.id]) ?? 0
                let held = max(0, onHand)
                let oldCost = variant.cost ?? cost
                let value = try checkedAdd(try checkedMultiply(oldCost, held, "stock value"),
                                           try checkedMultiply(cost, units.milli, "delivery value"), "stock value")
                let newCost = divideRoundingHalfAwayFromZero(value, by: held + units.milli)
                if newCost != variant.cost {
                    try AuditLog.record(db, action: "variant.cost", entity: "variant", entityID: variant.id,
                                        before: ["sku": variant.sku, "cost": variant.cost.map(String.init) ?? ""],
                                        after: ["sku": variant.sku, "cost": String(newCost)], staffID: staffID,
                                        note: "received \(units) at \(cost) on \(ref)", at: date)
                    variant.cost = newCost
                    try variant.update(db)
                }
            }
            try Inventory.record(db, variantID: variant.id ?? 0, locationID: place.id ?? 0, delta: units,
                                 reason: .received, staffID: staffID, reference: "receive:\(ref)", at: date)
            var entry = ["sku": variant.sku, "quantity": units.description, "cost": line.cost.map(String.init) ?? ""]
            if let asCases = line.asCases { entry["case"] = asCases }
            received.append(entry)
        }
        var receipt = StockReceipt(reference: ref, supplier: from, locationID: place.id ?? 0, staffID: staffID,
                                   again: again, receivedAt: date)
        try receipt.insert(db)
        try AuditLog.record(db, action: "stock.receive", entity: "delivery", entityID: receipt.id, before: nil,
                            after: received.map { $0.merging(["supplier": from ?? ""]) { old, _ in old } },
                            staffID: staffID, note: again ? "\(ref) (received again)" : ref, at: date)
        return receipt
    }

    /// Moves stock between locations as a pair of movements (out of one, into the other). The source never goes
    /// below zero: what is moved must be there.
    public func transfer(sku: String, quantity: Quantity, from: String, to: String, _ ctx: TillContext) throws {
        let staffID = ctx.staffID
        let date = ctx.now
        guard quantity.milli > 0 else { throw TillError.invalidQuantity(quantity.description, reason: "a transfer moves more than zero") }
        try store.write { db in
            try Permissions.requireIfSignedIn(db, .adjustStock, staffID: staffID)
            let source = try Location.named(db, code: from)
            let target = try Location.named(db, code: to)
            guard source.id != target.id else { throw TillError.invalid("a transfer goes between two different locations") }
            let variant = try StockOperations.variant(db, sku: sku)
            try StockOperations.requireUnit(db, variant, quantity)
            try StockOperations.requireOnHand(variant.sku, at: source, onHand: try StockOperations.onHand(db, variant.id ?? 0, source.id ?? 0),
                                              taking: quantity, by: "a transfer")
            let reference = "transfer:\(source.code)->\(target.code)"
            try Inventory.record(db, variantID: variant.id ?? 0, locationID: source.id ?? 0, delta: -quantity,
                                 reason: .transfer, staffID: staffID, reference: reference, at: date)
            try Inventory.record(db, variantID: variant.id ?? 0, locationID: target.id ?? 0, delta: quantity,
                                 reason: .transfer, staffID: staffID, reference: reference, at: date)
            try AuditLog.record(db, action: "stock.transfer", entity: "variant", entityID: variant.id, before: nil,
                                after: ["sku": variant.sku, "quantity": quantity.description, "from": source.code, "to": target.code],
                                staffID: staffID, at: date)
        }
    }

    /// Refuses to take `quantity` out of a location that holds less: the message names the SKU, the location and
    /// what it holds. (Sales follow the store's `allow_negative_stock` instead; count corrections set a figure.)
    static func requireOnHand(_ sku: String, at location: Location, onHand: Quantity, taking quantity: Quantity,
                              by what: String) throws {
        guard onHand >= quantity else {
            throw TillError.invalid("not enough \(sku) at \(location.code) (\(location.name)): on hand \(onHand), \(what) would take \(quantity); stock at a location never goes below zero this way")
        }
    }

    static func variant(_ db: Database, sku: String) throws -> Variant {
        guard let variant = try Variant.filter(sql: "sku = ? COLLATE NOCASE", arguments: [sku]).fetchOne(db) else {
            throw TillError.notFound("SKU \(sku)")
        }
        return variant
    }

    static func requireUnit(_ db: Database, _ variant: Variant, _ quantity: Quantity) throws {
        let unit = try String.fetchOne(db, sql: "SELECT unit FROM product WHERE id = ?", arguments: [variant.productID])
        guard unit == SaleUnit.kg.rawValue || quantity.isWhole else {
            throw TillError.invalidQuantity(quantity.description, reason: "\(variant.sku) is counted in whole units")
        }
    }

    static func onHand(_ db: Database, _ variantID: Int64, _ locationID: Int64) throws -> Quantity {
        Quantity(milli: try Int64.fetchOne(db.cachedStatement(sql: "SELECT on_hand_milli FROM stock_level WHERE variant_id = ? AND location_id = ?"),
                                           arguments: [variantID, locationID]) ?? 0)
    }
}
