import Foundation
import GRDB

/// Purchase orders, each step one audited write transaction that checks `adjust_stock`: draft (from the reorder
/// list or by hand), edit, send, receive against (partial, over and under deliveries; items not ordered refused
/// or added with a reason; freight spread into the landed cost), close.
public struct PurchaseOrders: Sendable {
    public let store: StoreDatabase

    /// The first purchase order a store raises is PO-1001, so numbers look alike from the start.
    public static let firstNumber: Int64 = 1001

    public init(store: StoreDatabase) { self.store = store }

    // MARK: Drafting

    /// Drafts purchase orders from the reorder list: one per supplier, each SKU with the quantity
    /// `ReorderSuggestions` works out. With `supplier`, only that supplier's; SKUs on the list that nobody is
    /// recorded as supplying are left out and named in the result.
    public func draftFromReorderList(supplier code: String? = nil, windowDays: Int = ReorderSuggestions.defaultWindowDays,
                                     location: String = Location.backCode, _ ctx: TillContext) throws -> DraftResult {
        try store.write { db in
            try Permissions.requireIfSignedIn(db, .adjustStock, staffID: ctx.staffID)
            let place = try Location.named(db, code: location)
            let only = try code.map { try Supplier.named(db, code: $0) }
            let suggestions = try ReorderSuggestions.compute(db, windowDays: windowDays, supplierID: only?.id, now: ctx.now)
            let grouped = Dictionary(grouping: suggestions.filter { $0.supplierID != nil }, by: { $0.supplierID ?? 0 })
            guard !grouped.isEmpty else {
                let what = only.map { "nothing \($0.code) supplies is at or below its reorder point (counting what is on order)" }
                    ?? (suggestions.isEmpty ? "nothing is at or below its reorder point (counting what is on order)"
                        : "nobody is recorded as supplying what is on the reorder list (till supplier item SUPPLIER SKU)")
                throw TillError.invalid("no purchase order drafted: \(what)")
            }
            var drafted: [PurchaseOrder] = []
            for supplierID in grouped.keys.sorted() {
                let order = try PurchaseOrders.newOrder(db, supplierID: supplierID, location: place, ctx)
                for suggestion in grouped[supplierID] ?? [] {
                    var line = PurchaseOrderLine(purchaseOrderID: order.id ?? 0, variantID: suggestion.variantID,
                                                 orderedMilli: suggestion.quantity.milli, receivedMilli: 0,
                                                 unitCost: suggestion.unitCost, caseSizeMilli: suggestion.caseSize.milli)
                    try line.insert(db)
                }
                try PurchaseOrders.audit(db, "po.draft", order, ctx, note: "from the reorder list (\(windowDays)-day sales)")
                drafted.append(order)
            }
            return DraftResult(orders: drafted.map(\.number),
                               withoutSupplier: suggestions.filter { $0.supplierID == nil }.map(\.sku))
        }
    }

    /// What drafting from the reorder list would order, without drafting (a report: `view_reports`).
    public func suggestions(supplier code: String? = nil, windowDays: Int = ReorderSuggestions.defaultWindowDays,
                            _ ctx: TillContext) throws -> [ReorderSuggestions.Suggestion] {
        try store.read { db in
            try Permissions.requireIfSignedIn(db, .viewReports, staffID: ctx.staffID)
            let only = try code.map { try Supplier.named(db, code: $0) }
            return try ReorderSuggestions.compute(db, windowDays: windowDays, supplierID: only?.id, now: ctx.now)
        }
    }

    public struct DraftResult: Equatable, Sendable {
        public var orders: [Int64]
        /// SKUs on the reorder list nobody is recorded as supplying.
        public var withoutSupplier: [String]
    }

    /// An empty draft for `supplier`, lines to be added with `edit`.
    @discardableResult
    public func draft(supplier code: String, lines: [StockOperations.ReceiptLine] = [], location: String = Location.backCode,
                      note: String = "", _ ctx: TillContext) throws -> Int64 {
        try CardNumberGuard.check(note, field: "the purchase order's note")
        return try store.write { db in
            try Permissions.requireIfSignedIn(db, .adjustStock, staffID: ctx.staffID)
            let supplier = try Supplier.named(db, code: code)
            guard supplier.active else { throw TillError.invalid("supplier \(supplier.code) is inactive (till supplier edit \(supplier.code) --active)") }
            var order = try PurchaseOrders.newOrder(db, supplierID: supplier.id ?? 0, location: try Location.named(db, code: location), ctx)
            order.note = note
            try order.update(db)
            for line in lines { try PurchaseOrders.setLine(db, order: order, line) }
            try PurchaseOrders.audit(db, "po.draft", order, ctx, note: nil)
            return order.number
        }
    }

    static func newOrder(_ db: Database, supplierID: Int64, location: Location, _ ctx: TillContext) throws -> PurchaseOrder {
        let number = max(PurchaseOrders.firstNumber, (try Int64.fetchOne(db, sql: "SELECT MAX(number) FROM purchase_order") ?? 0) + 1)
        var order = PurchaseOrder(number: number, supplierID: supplierID, locationID: location.id ?? 0, status: .draft,
                                  note: "", createdAt: ctx.now, createdBy: ctx.staffID)
        try order.insert(db)
        return order
    }

    // MARK: Editing

    /// Sets lines (`SKU=QTY` or `SKU=QTY@COST`; a quantity of 0 takes the line off) and removes SKUs, on a
    /// draft or a sent order nothing has arrived against (then it needs sending again).
    /// Returns what was rounded up to whole cases, in words (`PAN-032: 10 rounded up to 12, cases of 6`).
    @discardableResult
    public func edit(number: Int64, set lines: [StockOperations.ReceiptLine] = [], remove: [String] = [],
                     note: String? = nil, _ ctx: TillContext) throws -> [String] {
        guard !lines.isEmpty || !remove.isEmpty || note != nil else {
            throw TillError.invalid("nothing to change: give SKU=QTY[@COST] lines, --remove SKU or --note")
        }
        try CardNumberGuard.check(note, field: "the purchase order's note")
        return try store.write { db in
            try Permissions.requireIfSignedIn(db, .adjustStock, staffID: ctx.staffID)
            var order = try PurchaseOrder.numbered(db, number)
            guard order.status == .draft || order.status == .sent else {
                throw TillError.invalid("\(order.label) is \(order.status.rawValue): goods have arrived against it, so its lines stay as ordered; draft a new order for more")
            }
            let rounded = try lines.compactMap { try PurchaseOrders.setLine(db, order: order, $0) }
            for sku in remove {
                let variant = try StockOperations.variant(db, sku: sku)
                try db.execute(sql: "DELETE FROM purchase_order_line WHERE purchase_order_id = ? AND variant_id = ?",
                               arguments: [order.id, variant.id])
                if db.changesCount == 0 { throw TillError.notFound("\(variant.sku) on \(order.label)") }
            }
            if let note { order.note = note.trimmingCharacters(in: .whitespaces) }
            try order.update(db)
            try PurchaseOrders.audit(db, "po.edit", order, ctx, note: order.status == .sent ? "edited after sending: send it again" : nil)
            return rounded
        }
    }

    /// One line set on an order: the quantity as given (cases are the supplier's business, but a quantity that
    /// is not whole cases is rounded up to them, as the supplier would deliver), the cost as given or the
    /// supplier's last.
    @discardableResult
    static func setLine(_ db: Database, order: PurchaseOrder, _ given: StockOperations.ReceiptLine) throws -> String? {
        guard given.quantity.milli >= 0 else {
            throw TillError.invalidQuantity(given.quantity.description, reason: "\(given.sku): order a quantity of 0 or more")
        }
        let resolved = try StockOperations.resolve(db, given)
        let variantID = resolved.variant.id ?? 0
        if resolved.units == .zero {
            try db.execute(sql: "DELETE FROM purchase_order_line WHERE purchase_order_id = ? AND variant_id = ?",
                           arguments: [order.id, variantID])
            return nil
        }
        let item = try SupplierItem.fetchOne(db, key: ["supplier_id": order.supplierID, "variant_id": variantID])
        let caseSize = item?.caseSizeMilli ?? Quantity.scale
        let ordered = ReorderSuggestions.roundUp(resolved.units.milli, toMultipleOf: caseSize)
        var line = try PurchaseOrderLine.fetchOne(db, sql: "SELECT * FROM purchase_order_line WHERE purchase_order_id = ? AND variant_id = ?",
                                                  arguments: [order.id, variantID])
            ?? PurchaseOrderLine(purchaseOrderID: order.id ?? 0, variantID: variantID, orderedMilli: 0, receivedMilli: 0,
                                 unitCost: nil, caseSizeMilli: caseSize)
        line.orderedMilli = ordered
        line.caseSizeMilli = caseSize
        line.unitCost = given.cost ?? line.unitCost ?? item?.lastCost ?? resolved.variant.cost
        try line.save(db)
        return ordered == resolved.units.milli ? nil
            : "\(resolved.variant.sku): \(resolved.units) rounded up to \(Quantity(milli: ordered)), cases of \(Quantity(milli: caseSize))"
    }

    // MARK: Sending

    /// Marks the order sent and sets the day it is due (today plus the supplier's lead time). Sending again
    /// (after an edit, or to a supplier who lost it) keeps the first date unless it was edited since.
    @discardableResult
    public func send(number: Int64, _ ctx: TillContext) throws -> PurchaseOrderDetail {
        try store.write { db in
            try Permissions.requireIfSignedIn(db, .adjustStock, staffID: ctx.staffID)
            var order = try PurchaseOrder.numbered(db, number)
            guard order.status == .draft || order.status.isOpen else {
                throw TillError.invalid("\(order.label) is closed; nothing more can be sent")
            }
            let lines = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM purchase_order_line WHERE purchase_order_id = ? AND ordered_milli > 0",
                                         arguments: [order.id]) ?? 0
            guard lines > 0 else { throw TillError.invalid("\(order.label) has no lines to order (till po edit \(number) SKU=QTY)") }
            if order.status == .draft {
                let supplier = try Supplier.fetchOne(db, key: order.supplierID)
                let settings = try StoreSettings.load(db)
                let due = settings.calendar.date(byAdding: .day, value: supplier?.leadTimeDays ?? 0, to: ctx.now) ?? ctx.now
                order.status = .sent
                order.sentAt = ctx.now
                order.expectedOn = String(LocalTime.format(due, timeZone: settings.timeZone).prefix(10))
                try order.update(db)
            }
            try PurchaseOrders.audit(db, "po.send", order, ctx, note: nil)
            return try PurchaseOrders.detail(db, order)
        }
    }

    /// Sends the order and writes its documents (CSV and text) to `folder` (default: beside the store). Marked
    /// sent first, so the documents carry the date sent and the day due; if they cannot be written, sending
    /// again rewrites them and keeps that date.
    public func sendWritingDocuments(number: Int64, to folder: URL? = nil, _ ctx: TillContext) throws -> (detail: PurchaseOrderDetail, csv: URL, text: URL) {
        let detail = try send(number: number, ctx)
        let settings = try store.read { db in try StoreSettings.load(db) }
        let files = try PurchaseOrderDocument.write(detail, storeName: settings.name, timeZone: settings.timeZone,
                                                    to: folder ?? PurchaseOrderDocument.folder(for: store))
        return (detail, files.csv, files.text)
    }

    // MARK: Receiving

    /// What a delivery did to each line it touched.
    public struct ReceivedLine: Equatable, Sendable {
        public var sku: String
        public var now: Quantity
        public var received: Quantity
        public var ordered: Quantity
        public var backOrdered: Quantity
        public var over: Quantity
        /// Per unit as booked into the average cost (freight share included), when a cost was known.
        public var landedCost: Int64?
        public var addedReason: String?
    }

    public struct ReceiveResult: Equatable, Sendable {
        public var number: Int64
        public var status: PurchaseOrder.Status
        public var lines: [ReceivedLine]
        /// Lines of the whole order still owed after this delivery (those it did not touch too).
        public var linesStillOwed: Int
    }

    /// The freight on a delivery and how it is shared over the lines.
    public struct Freight: Equatable, Sendable {
        public var amount: Int64
        public var basis: LandedCost.Basis
        public init(amount: Int64, basis: LandedCost.Basis) {
            self.amount = amount
            self.basis = basis
        }
    }

    /// A delivery against an open order. Lines name items by SKU, unit barcode or case barcode (GTIN-14 with
    /// its pack quantity: `CASE=2` is two cases); the same item twice adds up (a scanner sends one code per
    /// item). A cost on a line is per unit and replaces the ordered cost for this delivery. An item the order
    /// does not have is refused unless `addReason` says why it is being kept. A delivery note reference booked
    /// before from this supplier is refused (`again` books it anyway), as `till stock receive` does.
    public func receive(number: Int64, lines given: [StockOperations.ReceiptLine], deliveryNote: String? = nil,
                        addReason: String? = nil, freight: Freight? = nil, again: Bool = false,
                        _ ctx: TillContext) throws -> ReceiveResult {
        guard !given.isEmpty else { throw TillError.invalid("a delivery needs at least one line (SKU=QTY, a barcode, or a case code)") }
        let note = deliveryNote?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        let reason = addReason?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        try CardNumberGuard.check(note, field: "the delivery note")
        try CardNumberGuard.check(reason, field: "the reason")
        return try store.write { db in
            try Permissions.requireIfSignedIn(db, .adjustStock, staffID: ctx.staffID)
            var order = try PurchaseOrder.numbered(db, number)
            switch order.status {
            case .draft: throw TillError.invalid("\(order.label) is a draft: send it first (till po send \(number)), then receive against it")
            case .closed: throw TillError.invalid("\(order.label) is closed; receive this delivery against a new order, or with till stock receive")
            case .sent, .partial, .received: break
            }
            guard let supplier = try Supplier.fetchOne(db, key: order.supplierID) else { throw TillError.notFound("the supplier of \(order.label)") }
            let place = try Location.fetchOne(db, key: order.locationID) ?? Location.named(db, code: Location.backCode)

            // Each item once, in the order first given; units from cases worked out by the catalog.
            var merged: [(booked: StockOperations.BookedLine, code: String)] = []
            for line in given {
                guard line.quantity.milli > 0 else {
                    throw TillError.invalidQuantity(line.quantity.description, reason: "\(line.sku): a received quantity is above zero")
                }
                let booked = try StockOperations.resolve(db, line)
                if let index = merged.firstIndex(where: { $0.booked.variant.id == booked.variant.id }) {
                    merged[index].booked.units = merged[index].booked.units + booked.units
                    if let cost = booked.cost { merged[index].booked.cost = cost }
                } else {
                    merged.append((booked, line.sku))
                }
            }

            var poLines: [PurchaseOrderLine] = []
            for entry in merged {
                let variant = entry.booked.variant
                if var existing = try PurchaseOrderLine.fetchOne(db, sql: "SELECT * FROM purchase_order_line WHERE purchase_order_id = ? AND variant_id = ?",
                                                                 arguments: [order.id, variant.id]) {
                    if existing.addedReason == nil, existing.orderedMilli == 0, let reason { existing.addedReason = reason }
                    poLines.append(existing)
                } else {
                    guard let reason else {
                        throw TillError.invalid("\(variant.sku) (\(entry.code)) is not on \(order.label) from \(supplier.code): refuse it, or keep it with --add-reason \"why\"")
                    }
                    var added = PurchaseOrderLine(purchaseOrderID: order.id ?? 0, variantID: variant.id ?? 0, orderedMilli: 0,
                                                  receivedMilli: 0, unitCost: nil, caseSizeMilli: Quantity.scale, addedReason: reason)
                    try added.insert(db)
                    poLines.append(added)
                }
            }

            // Costs: as given on the delivery, else as ordered; freight added on top.
            var costs = zip(merged, poLines).map { entry, line in entry.booked.cost ?? line.unitCost }
            let supplierCosts = costs
            if let freight, freight.amount > 0 {
                guard costs.allSatisfy({ $0 != nil }) else {
                    let missing = zip(merged, costs).filter { $0.1 == nil }.map { $0.0.booked.variant.sku }
                    throw TillError.invalid("freight is spread over the lines' costs, but \(missing.joined(separator: ", ")) has no cost: give it as SKU=QTY@COST")
                }
                let shares = try LandedCost.shares(freight: freight.amount,
                                                   lines: zip(merged, costs).map { ($0.0.booked.units.milli, $0.1 ?? 0) },
                                                   basis: freight.basis)
                costs = try zip(merged, zip(costs, shares)).map { entry, pair in
                    try LandedCost.unitCost(pair.0 ?? 0, unitsMilli: entry.booked.units.milli, share: pair.1)
                }
            }

            // The stock itself, through the one receiving path.
            let reference = note.map { "\(order.label)/\($0)" } ?? order.label
            let earlier = try StockReceipt.count(db, reference: reference, supplier: supplier.name)
            if earlier > 0, note != nil, !again {
                throw TillError.invalid("delivery note \(note ?? "") against \(order.label) was already received; to book it again, add --again")
            }
            let booked = zip(merged, costs).map { entry, cost in
                StockOperations.BookedLine(variant: entry.booked.variant, units: entry.booked.units, cost: cost, asCases: entry.booked.asCases)
            }
            try StockOperations.book(db, reference: reference, supplier: supplier.name, lines: booked, at: place,
                                     again: earlier > 0, staffID: ctx.staffID, date: ctx.now)

            var result: [ReceivedLine] = []
            for (index, var line) in poLines.enumerated() {
                let units = merged[index].booked.units
                line.receivedMilli = try checkedAdd(line.receivedMilli, units.milli, "received quantity")
                if line.unitCost == nil { line.unitCost = supplierCosts[index] }
                try line.update(db)
                if let cost = supplierCosts[index], line.addedReason == nil {
                    // What the supplier charges now (freight apart): the next order is drafted at it. Something kept
                    // that was never ordered does not make them its supplier.
                    var item = try SupplierItem.fetchOne(db, key: ["supplier_id": supplier.id, "variant_id": line.variantID])
                        ?? SupplierItem(supplierID: supplier.id ?? 0, variantID: line.variantID)
                    item.lastCost = cost
                    try item.save(db)
                }
                result.append(ReceivedLine(sku: merged[index].booked.variant.sku, now: units, received: line.received,
                                           ordered: line.ordered, backOrdered: line.backOrdered, over: line.over,
                                           landedCost: costs[index], addedReason: line.addedReason))
            }
            let open = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM purchase_order_line WHERE purchase_order_id = ? AND received_milli < ordered_milli",
                                        arguments: [order.id]) ?? 0
            order.status = open == 0 ? .received : .partial
            try order.update(db)
            try AuditLog.record(db, action: "po.receive", entity: "purchase_order", entityID: order.id, before: nil,
                                after: result.map { ["sku": $0.sku, "quantity": $0.now.description, "back_ordered": $0.backOrdered.description,
                                                     "over": $0.over.description, "cost": $0.landedCost.map(String.init) ?? "",
                                                     "added_reason": $0.addedReason ?? ""] },
                                staffID: ctx.staffID, note: reference + (freight.map { " freight \($0.amount) by \($0.basis.rawValue)" } ?? ""),
                                at: ctx.now)
            return ReceiveResult(number: number, status: order.status, lines: result, linesStillOwed: open)
        }
    }

    // MARK: Closing

    /// Closes an order: nothing more is expected, and what was still on back-order is cancelled (named in the
    /// audit entry). A draft closed is a draft abandoned.
    @discardableResult
    public func close(number: Int64, _ ctx: TillContext) throws -> [(sku: String, cancelled: Quantity)] {
        try store.write { db in
            try Permissions.requireIfSignedIn(db, .adjustStock, staffID: ctx.staffID)
            var order = try PurchaseOrder.numbered(db, number)
            guard order.status != .closed else { throw TillError.invalid("\(order.label) is already closed") }
            let cancelled = try PurchaseOrders.detail(db, order).lines.filter { $0.line.backOrdered.milli > 0 }
                .map { (sku: $0.sku, cancelled: $0.line.backOrdered) }
            order.status = .closed
            order.closedAt = ctx.now
            order.closedBy = ctx.staffID
            try order.update(db)
            try AuditLog.record(db, action: "po.close", entity: "purchase_order", entityID: order.id, before: nil,
                                after: cancelled.map { ["sku": $0.sku, "cancelled": $0.cancelled.description] },
                                staffID: ctx.staffID, note: order.label, at: ctx.now)
            return cancelled
        }
    }

    // MARK: Reading

    public func detail(number: Int64) throws -> PurchaseOrderDetail {
        try store.read { db in try PurchaseOrders.detail(db, try PurchaseOrder.numbered(db, number)) }
    }

    static func detail(_ db: Database, _ order: PurchaseOrder) throws -> PurchaseOrderDetail {
        guard let supplier = try Supplier.fetchOne(db, key: order.supplierID) else { throw TillError.notFound("the supplier of \(order.label)") }
        let place = try Row.fetchOne(db, sql: "SELECT code, name FROM location WHERE id = ?", arguments: [order.locationID])
        let lines = try Row.fetchAll(db, sql: """
            SELECT l.*, v.sku, p.name || CASE WHEN v.option <> '' THEN ' — ' || v.option ELSE '' END AS name,
                   COALESCE(si.item_code, '') AS item_code,
                   (SELECT code FROM barcode WHERE variant_id = v.id AND pack_quantity = 1 ORDER BY code LIMIT 1) AS barcode
            FROM purchase_order_line l JOIN variant v ON v.id = l.variant_id JOIN product p ON p.id = v.product_id
            LEFT JOIN supplier_item si ON si.supplier_id = ? AND si.variant_id = l.variant_id
            WHERE l.purchase_order_id = ? ORDER BY l.id
            """, arguments: [order.supplierID, order.id]).map { row in
            PurchaseOrderDetail.Line(line: try PurchaseOrderLine(row: row), sku: row["sku"], name: row["name"],
                                     itemCode: row["item_code"],
                                     barcode: (row["barcode"] as String?).map(Barcode.display) ?? "")
        }
        return PurchaseOrderDetail(order: order, supplier: supplier, location: place?["code"] ?? "?", locationName: place?["name"] ?? "", lines: lines,
                                   currency: try StoreSettings.load(db).currency)
    }

    /// Orders newest first; `statuses` limits them (open ones: draft, sent, partial, received).
    public func list(statuses: [PurchaseOrder.Status]? = nil, supplier code: String? = nil) throws -> [PurchaseOrderRow] {
        try store.read { db in
            let supplierID = try code.map { try Supplier.named(db, code: $0).id }
            let wanted = (statuses ?? PurchaseOrder.Status.allCases).map(\.rawValue)
            return try Row.fetchAll(db, sql: """
                SELECT o.number, s.code, o.status, o.created_at, o.expected_on,
                       (SELECT COUNT(*) FROM purchase_order_line WHERE purchase_order_id = o.id) AS lines,
                       CASE WHEN o.status IN ('sent', 'partial', 'received')
                            THEN (SELECT COUNT(*) FROM purchase_order_line WHERE purchase_order_id = o.id AND received_milli < ordered_milli)
                            ELSE 0 END AS back,
                       (SELECT COALESCE(SUM(COALESCE(unit_cost, 0) * ordered_milli), 0) FROM purchase_order_line WHERE purchase_order_id = o.id) AS value_milli
                FROM purchase_order o JOIN supplier s ON s.id = o.supplier_id
                WHERE o.status IN (SELECT value FROM json_each(?)) AND (? IS NULL OR o.supplier_id = ?)
                ORDER BY o.number DESC
                """, arguments: [String(decoding: try JSONEncoder().encode(wanted), as: UTF8.self), supplierID, supplierID]).map { row in
                PurchaseOrderRow(number: row["number"], supplier: row["code"],
                                 status: PurchaseOrder.Status(rawValue: row["status"]) ?? .draft,
                                 lines: row["lines"], backOrderedLines: row["back"],
                                 value: divideRoundingHalfAwayFromZero(row["value_milli"], by: Quantity.scale),
                                 createdAt: row["created_at"], expectedOn: row["expected_on"])
            }
        }
    }

    static func audit(_ db: Database, _ action: String, _ order: PurchaseOrder, _ ctx: TillContext, note: String?) throws {
        let lines = try Row.fetchAll(db, sql: """
            SELECT v.sku, l.ordered_milli, l.unit_cost FROM purchase_order_line l JOIN variant v ON v.id = l.variant_id
            WHERE l.purchase_order_id = ? ORDER BY l.id
            """, arguments: [order.id]).map { row -> [String: String] in
            ["sku": row["sku"], "quantity": Quantity(milli: row["ordered_milli"]).description,
             "cost": (row["unit_cost"] as Int64?).map(String.init) ?? ""]
        }
        try AuditLog.record(db, action: action, entity: "purchase_order", entityID: order.id, before: nil, after: lines,
                            staffID: ctx.staffID, note: [order.label, note].compactMap { $0 }.joined(separator: ": "), at: ctx.now)
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
