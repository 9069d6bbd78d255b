import Foundation
import GRDB

/// One line of an order to give back: its number as the receipt shows it (1-based) and how many (nil: all
/// that is left).
public struct RefundLineRequest: Equatable, Sendable {
    public var line: Int
    public var quantity: Quantity?

    public init(line: Int, quantity: Quantity? = nil) {
        self.line = line
        self.quantity = quantity
    }
}

public struct RefundRequest: Equatable, Sendable {
    public var orderNumber: Int64
    /// Empty: everything still refundable.
    public var lines: [RefundLineRequest]
    /// Where returned goods go back into stock; nil when they are not resold (damaged).
    public var restockLocation: String?
    public var destination: RefundDestination
    /// For store credit: put it on this slip or gift card (created when new) instead of a new slip.
    public var creditCode: String?
    public var reason: String

    /// Who refunds, who approves, and the till whose drawer pays out any cash come from the `TillContext`.
    public init(orderNumber: Int64, lines: [RefundLineRequest] = [], restockLocation: String? = Location.floorCode,
                destination: RefundDestination = .original, creditCode: String? = nil, reason: String = "") {
        self.orderNumber = orderNumber
        self.lines = lines
        self.restockLocation = restockLocation
        self.destination = destination
        self.creditCode = creditCode
        self.reason = reason
    }
}

/// One item on a return without a receipt: priced at today's shelf price unless a price is given.
public struct NoReceiptItem: Equatable, Sendable {
    public var variantID: Int64
    public var quantity: Quantity
    public var unitPrice: Int64?

    public init(variantID: Int64, quantity: Quantity, unitPrice: Int64? = nil) {
        self.variantID = variantID
        self.quantity = quantity
        self.unitPrice = unitPrice
    }
}

/// What is left to refund on one order line.
public struct RefundableLine: Equatable, Sendable {
    public var line: Int
    public var orderLine: OrderLine
    public var quantityLeft: Quantity
    public var amountLeft: Int64
}

/// Refunds, returns and voids of completed sales.
///
/// The rules, all checked here in one write transaction: a refund never exceeds what is left per line (quantity
/// and amount) nor per tender (what was captured less what went back); a card refund goes through the processor
/// with an idempotency key. The refund is first written as `pending` — which reserves its amounts, so a second
/// refund of the same line racing it from another till is refused — then the processor is asked, then it is
/// completed (stock, store credit, statuses, audit) in a second transaction. A processor refusal marks it
/// `failed`, which frees the amounts; a lost answer leaves it pending for `resume`.
///
/// Voids: a completed sale can be voided by a manager on the day it was made, if nothing was refunded from it
/// yet. Card charges are voided at the processor, cash goes back from the drawer, store credit back onto its
/// slip, and every item goes back onto the shop floor. Later than that day, it is a refund.
public struct Refunds: Sendable {
    public let store: StoreDatabase

    public init(store: StoreDatabase) { self.store = store }

    public func refund(_ request: RefundRequest, _ ctx: TillContext) throws -> RefundDetail {
        try store.requireJournal()
        try CardNumberGuard.check(request.reason, field: "The refund reason")
        try CardNumberGuard.check(request.creditCode, field: "The store credit code")
        let date = ctx.now
        if let elsewhere = ChainReturns.returnedElsewhere(orderNumber: request.orderNumber, store: store, ctx), !elsewhere.isEmpty {
            try checkNotReturnedElsewhere(request, elsewhere)
        }
        let refundID = try store.write { db in try Refunds.reserve(db, request, kind: .refund, ctx: ctx, at: date) }
        return try settle(refundID: refundID, ctx)
    }

    /// In a chain that returns anywhere: what this refund takes back must still be here after what other stores
    /// took back of the same sale (HQ's claims).
    private func checkNotReturnedElsewhere(_ request: RefundRequest, _ elsewhere: [String: Quantity]) throws {
        let left = try refundable(orderNumber: request.orderNumber)
        var asked: [String: Int64] = [:], available: [String: Int64] = [:]
        for line in left { available[line.orderLine.sku.uppercased(), default: 0] += line.quantityLeft.milli }
        if request.lines.isEmpty {
            asked = available
        } else {
            for wanted in request.lines {
                guard let line = left.first(where: { $0.line == wanted.line }) else { continue }
                asked[line.orderLine.sku.uppercased(), default: 0] += (wanted.quantity ?? line.quantityLeft).milli
            }
        }
        for (sku, milli) in asked.sorted(by: { $0.key < $1.key }) {
            let gone = elsewhere[sku]?.milli ?? 0
            let here = (available[sku] ?? 0) - gone
            if milli > here {
                throw TillError.invalid("\(Quantity(milli: gone)) of \(sku) from order #\(request.orderNumber) were already returned at another store of the chain (head office); \(Quantity(milli: max(0, here))) left to refund here")
            }
        }
    }

    /// Voids a completed sale of the business day still open (see the type's notes for the rule).
    public func void(orderNumber: Int64, reason: String = "", _ ctx: TillContext) throws -> RefundDetail {
        try store.requireJournal()
        try CardNumberGuard.check(reason, field: "The void reason")
        let date = ctx.now
        let refundID = try store.write { db -> Int64 in
            let order = try Order.numbered(db, orderNumber)
            try Permissions.require(db, .voidSale, staffID: ctx.staffID, approvedBy: ctx.approverID)
            guard order.status == .completed else {
                throw TillError.invalid("order #\(orderNumber) is \(order.status.rawValue.replacingOccurrences(of: "_", with: " ")); only a completed sale with nothing refunded can be voided — refund it instead")
            }
            if try Refund.filter(Column("order_id") == order.id && Column("status") == RefundStatus.pending.rawValue).fetchCount(db) > 0 {
                throw TillError.invalid("order #\(orderNumber) has a refund on hold; resume or finish it first")
            }
            // Same business day: a void lands in the day it happens, and a day closed by its Z is never reopened.
            let soldOn = try String.fetchOne(db, sql: "SELECT business_day FROM orders WHERE id = ?", arguments: [order.id])
            let (today, _) = try BusinessDay.placing(db, register: ctx.register, at: date, cash: nil)
            guard soldOn == today.key else {
                throw TillError.invalid("order #\(orderNumber) was sold on business day \(soldOn ?? "?"), not today's (\(today)); a sale can be voided only on its day — refund it instead")
            }
            let request = RefundRequest(orderNumber: orderNumber, restockLocation: Location.floorCode, destination: .original,
                                        reason: reason)
            return try Refunds.reserve(db, request, kind: .void, ctx: ctx, at: date)
        }
        return try settle(refundID: refundID, ctx)
    }

    /// Goods back with no order to match (permission-gated). Goes to store credit unless cash is asked for.
    public func returnWithoutReceipt(_ items: [NoReceiptItem], destination: RefundDestination = .storeCredit,
                                     creditCode: String? = nil, customerID: Int64? = nil,
                                     restockLocation: String? = Location.floorCode, reason: String,
                                     _ ctx: TillContext) throws -> RefundDetail {
        try store.requireJournal()
        return try takeBack(items, destination: destination, creditCode: creditCode, customerID: customerID, restockLocation: restockLocation,
                     reason: reason, permission: .noReceiptReturn, ctx)
    }

    /// A return priced item by item with no order of this store behind it: without a receipt, or (with
    /// `linked`, written in the same transaction) a sale of another store of the chain (`ChainReturns`).
    func takeBack(_ items: [NoReceiptItem], destination: RefundDestination, creditCode: String?, customerID: Int64?,
                  restockLocation: String?, reason: String, permission: Permission, _ ctx: TillContext,
                  linked: ((Database, Int64) throws -> Void)? = nil) throws -> RefundDetail {
        try CardNumberGuard.check(reason, field: "The return reason")
        try CardNumberGuard.check(creditCode, field: "The store credit code")
        let date = ctx.now, staffID = ctx.staffID, approvedBy = ctx.approverID, register = ctx.register
        guard !items.isEmpty else { throw TillError.invalid("a return needs at least one item") }
        guard destination != .original else {
            throw TillError.invalid("a return without a receipt has no original payment; give store credit or cash")
        }
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw TillError.invalid("say why the return has no receipt (a reason)")
        }
        let refundID = try store.write { db -> Int64 in
            try Permissions.require(db, permission, staffID: staffID, approvedBy: approvedBy)
            if destination == .cash { _ = try Shifts.drawer(db, register: register, doing: "give cash back") }
            let settings = try StoreSettings.load(db)
            var pricing: [PricingLine] = []
            var items2: [CatalogItem] = []
            for item in items {
                guard item.quantity > .zero else { throw TillError.invalidQuantity(item.quantity.description, reason: "must be above zero") }
                guard let catalogItem = try CatalogItem.fetchOne(db, sql: CatalogItem.selectSQL + " WHERE v.id = ?",
                                                                 arguments: [item.variantID]) else {
                    throw TillError.notFound("item #\(item.variantID)")
                }
                guard catalogItem.unit == .kg || item.quantity.isWhole else {
                    throw TillError.invalidQuantity(item.quantity.description, reason: "\(catalogItem.sku) is sold in whole units")
                }
                var line = PricingLine(item: catalogItem, quantity: item.quantity, discount: nil)
                if let price = item.unitPrice {
                    guard price >= 0 else { throw TillError.invalidAmount(String(price), reason: "a price cannot be negative") }
                    line.unitPrice = price
                }
                pricing.append(line)
                items2.append(catalogItem)
            }
            let priced = try SalePricing.price(pricing, taxInclusive: settings.taxInclusive, currency: settings.currency)
            let location = try restockLocation.map { try Location.named(db, code: $0) }
            var refund = Refund(orderID: nil, kind: .noReceipt, status: .pending, destination: destination,
                                restockLocationID: location?.id, amount: priced.total, tax: priced.taxTotal,
                                staffID: staffID, approvedBy: approvedBy, customerID: customerID, reason: reason,
                                createdAt: date, register: register)
            try refund.insert(db)
            let refundID = refund.id ?? 0
            for (index, line) in priced.lines.enumerated() {
                let value = line.total + (settings.taxInclusive ? 0 : line.tax)
                var row = RefundLine(refundID: refundID, orderLineID: nil, variantID: items2[index].variantID,
                                     sku: items2[index].sku, name: items2[index].displayName,
                                     quantityMilli: line.line.quantity.milli, amount: value, tax: line.tax,
                                     restocked: location != nil)
                try row.insert(db)
            }
            if priced.total > 0 {
                var tender = RefundTender(refundID: refundID, paymentID: nil, method: destination == .cash ? .cash : .credit,
                                          amount: priced.total, status: .pending)
                if destination == .storeCredit {
                    tender.creditAccountID = try StoreCredit.findOrCreate(db, code: creditCode, customerID: customerID, at: date).id
                }
                try tender.insert(db)
            }
            try linked?(db, refundID)
            try Refunds.complete(db, refundID: refundID, at: date)
            return refundID
        }
        return try detail(id: refundID)
    }

    /// Finishes a refund left pending by a lost processor answer (or a crash): the same idempotency keys are
    /// used, so nothing is refunded twice.
    public func resume(refundID: Int64, _ ctx: TillContext) throws -> RefundDetail {
        let refund = try detail(id: refundID).refund
        guard refund.status == .pending else {
            throw TillError.invalid("refund \(refundID) is \(refund.status.rawValue), not pending")
        }
        try store.read { db in _ = try Permissions.require(db, refund.kind == .void ? .voidSale : .refund, staffID: ctx.staffID, approvedBy: ctx.approverID) }
        return try settle(refundID: refundID, ctx)
    }

    /// What can still be refunded on an order, line by line.
    public func refundable(orderNumber: Int64) throws -> [RefundableLine] {
        try store.read { db in
            let order = try Order.numbered(db, orderNumber)
            return try Refunds.refundable(db, order: order)
        }
    }

    public func detail(id: Int64) throws -> RefundDetail {
        try store.read { db in
            guard let refund = try Refund.fetchOne(db, key: id) else { throw TillError.notFound("refund \(id)") }
            return try Refunds.detail(db, refund: refund)
        }
    }

    /// Every refund and void of an order, oldest first.
    public func forOrder(id orderID: Int64) throws -> [RefundDetail] {
        try store.read { db in try Refunds.forOrder(db, orderID: orderID) }
    }

    static func forOrder(_ db: Database, orderID: Int64) throws -> [RefundDetail] {
        try Refund.filter(Column("order_id") == orderID).order(Column("id")).fetchAll(db).map { try detail(db, refund: $0) }
    }

    static func detail(_ db: Database, refund: Refund) throws -> RefundDetail {
        let lines = try RefundLine.filter(Column("refund_id") == refund.id).order(Column("id")).fetchAll(db)
        let tenders = try RefundTender.filter(Column("refund_id") == refund.id).order(Column("id")).fetchAll(db)
        let code = try String.fetchOne(db, sql: """
            SELECT a.code FROM refund_tender t JOIN credit_account a ON a.id = t.credit_account_id
            WHERE t.refund_id = ? ORDER BY t.id LIMIT 1
            """, arguments: [refund.id])
        let staff = try String.fetchOne(db, sql: "SELECT username FROM staff WHERE id = ?", arguments: [refund.staffID])
        let soldAs = try String.fetchOne(db, sql: "SELECT origin FROM chain_return WHERE refund_id = ?", arguments: [refund.id])
        return RefundDetail(refund: refund, lines: lines, tenders: tenders, creditCode: code, staff: staff, soldAs: soldAs)
    }

    // MARK: - Steps

    static func refundable(_ db: Database, order: Order) throws -> [RefundableLine] {
        let lines = try OrderLine.filter(Column("order_id") == order.id).order(Column("position")).fetchAll(db)
        var taken: [Int64: (quantity: Int64, amount: Int64, tax: Int64)] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT l.order_line_id, SUM(l.quantity_milli) AS quantity, SUM(l.amount) AS amount, SUM(l.tax) AS tax
            FROM refund_line l JOIN refund r ON r.id = l.refund_id
            WHERE r.order_id = ? AND r.status IN ('pending', 'completed') GROUP BY l.order_line_id
            """, arguments: [order.id]) {
            taken[row["order_line_id"]] = (row["quantity"], row["amount"], row["tax"])
        }
        return lines.enumerated().map { index, line in
            let used = taken[line.id ?? 0] ?? (0, 0, 0)
            let value = line.total + (order.taxInclusive ? 0 : line.tax)
            return RefundableLine(line: index + 1, orderLine: line, quantityLeft: Quantity(milli: line.quantity.milli - used.quantity),
                                  amountLeft: value - used.amount)
        }
    }

    /// Checks the request and writes the refund as pending, with its lines and where the money goes. Returns
    /// its id. Everything here is inside the caller's (immediate) write transaction.
    static func reserve(_ db: Database, _ request: RefundRequest, kind: RefundKind, ctx: TillContext, at date: Date) throws -> Int64 {
        let order = try Order.numbered(db, request.orderNumber)
        if kind == .refund { try Permissions.require(db, .refund, staffID: ctx.staffID, approvedBy: ctx.approverID) }
        switch order.status {
        case .completed, .partiallyRefunded: break
        case .refunded: throw TillError.invalid("order #\(request.orderNumber) has already been refunded in full")
        case .voided: throw TillError.invalid("order #\(request.orderNumber) was voided; there is nothing to refund")
        case .open, .parked: throw TillError.invalid("order #\(request.orderNumber) is not completed")
        }
        let settings = try StoreSettings.load(db)
        let currency = settings.currency
        func money(_ units: Int64) -> String { Money(minorUnits: units, currency: currency).formatted() }
        let available = try refundable(db, order: order)
        var wanted: [(RefundableLine, Quantity)] = []
        if request.lines.isEmpty {
            wanted = available.filter { $0.quantityLeft > .zero }.map { ($0, $0.quantityLeft) }
            guard !wanted.isEmpty else { throw TillError.invalid("order #\(request.orderNumber) has already been refunded in full") }
        } else {
            var seen = Set<Int>()
            for entry in request.lines {
                guard available.indices.contains(entry.line - 1) else {
                    throw TillError.invalid("order #\(request.orderNumber) has no line \(entry.line) (it has \(available.count))")
                }
                guard seen.insert(entry.line).inserted else { throw TillError.invalid("line \(entry.line) is listed twice") }
                let line = available[entry.line - 1]
                let label = "line \(entry.line) (\(line.orderLine.sku))"
                guard line.quantityLeft > .zero else { throw TillError.invalid("\(label) has already been refunded in full") }
                let quantity = entry.quantity ?? line.quantityLeft
                guard quantity > .zero else { throw TillError.invalidQuantity(quantity.description, reason: "must be above zero") }
                guard quantity <= line.quantityLeft else {
                    throw TillError.invalid("\(label): only \(line.quantityLeft) of \(line.orderLine.quantity) left to refund, not \(quantity)")
                }
                guard line.orderLine.quantity.isWhole == false || quantity.isWhole else {
                    throw TillError.invalidQuantity(quantity.description, reason: "\(line.orderLine.sku) was sold in whole units")
                }
                wanted.append((line, quantity))
            }
        }
        let location = try request.restockLocation.map { try Location.named(db, code: $0) }
        var amounts: [(amount: Int64, tax: Int64)] = []
        for (line, quantity) in wanted {
            let sold = line.orderLine
            if quantity == line.quantityLeft {
                let taxTaken = try Int64.fetchOne(db, sql: """
                    SELECT COALESCE(SUM(l.tax), 0) FROM refund_line l JOIN refund r ON r.id = l.refund_id
                    WHERE l.order_line_id = ? AND r.status IN ('pending', 'completed')
                    """, arguments: [sold.id]) ?? 0
                amounts.append((line.amountLeft, sold.tax - taxTaken))
            } else {
                let value = sold.total + (order.taxInclusive ? 0 : sold.tax)
                let share = try scaleRoundingHalfAwayFromZero(value, times: quantity.milli, over: sold.quantity.milli)
                amounts.append((min(share, line.amountLeft),
                                try scaleRoundingHalfAwayFromZero(sold.tax, times: quantity.milli, over: sold.quantity.milli)))
            }
        }
        var total = try amounts.reduce(Int64(0)) { try checkedAdd($0, $1.amount, "refund total") }
        let tax = amounts.reduce(Int64(0)) { $0 + $1.tax }
        // The refund that empties the order also gives back the cash rounding the customer paid.
        let emptiesOrder = available.allSatisfy { line in
            wanted.contains { $0.0.line == line.line && $0.1 == line.quantityLeft } || line.quantityLeft == .zero
        }
        if emptiesOrder { total += order.cashRounding }

        let payments = try Payment.filter(Column("order_id") == order.id).order(Column("id")).fetchAll(db)
            .filter { $0.status == .captured || $0.status == .refunded }
        var left: [Int64: Int64] = [:]
        for payment in payments {
            let used = try Int64.fetchOne(db, sql: """
                SELECT COALESCE(SUM(amount), 0) FROM refund_tender WHERE payment_id = ? AND status IN ('pending', 'refunded')
                """, arguments: [payment.id]) ?? 0
            left[payment.id ?? 0] = payment.amount - used
        }
        let leftOnTenders = left.values.reduce(0, +)
        guard total <= leftOnTenders else {
            throw TillError.invalid("a refund of \(money(total)) is more than the \(money(leftOnTenders)) left on order #\(request.orderNumber)'s payments")
        }

        var refund = Refund(orderID: order.id, kind: kind, status: .pending, destination: request.destination,
                            restockLocationID: location?.id, amount: total, tax: tax, staffID: ctx.staffID,
                            approvedBy: ctx.approverID, customerID: order.customerID, reason: request.reason,
                            createdAt: date, register: ctx.register)
        try refund.insert(db)
        let refundID = refund.id ?? 0
        for ((line, quantity), amount) in zip(wanted, amounts) {
            var row = RefundLine(refundID: refundID, orderLineID: line.orderLine.id, variantID: line.orderLine.variantID,
                                 sku: line.orderLine.sku, name: line.orderLine.name, quantityMilli: quantity.milli,
                                 amount: amount.amount, tax: amount.tax, restocked: location != nil)
            try row.insert(db)
        }

        if total > 0 {
            switch request.destination {
            case .original:
                // Points go back last: a customer would rather have their money.
                let rank: [PaymentMethod: Int] = [.card: 0, .credit: 1, .cash: 2, .points: 3]
                var remaining = total
                for payment in payments.sorted(by: { (rank[$0.method] ?? 3, $0.id ?? 0) < (rank[$1.method] ?? 3, $1.id ?? 0) }) {
                    guard remaining > 0 else { break }
                    let take = min(remaining, left[payment.id ?? 0] ?? 0)
                    guard take > 0 else { continue }
                    var tender = RefundTender(refundID: refundID, paymentID: payment.id, method: payment.method, amount: take,
                                              status: .pending, creditAccountID: payment.creditAccountID,
                                              gatewayToken: payment.gatewayToken, cardLast4: payment.cardLast4)
                    if payment.method == .card {
                        guard payment.gatewayToken != nil else {
                            throw TillError.invalid("order #\(request.orderNumber)'s card payment has no processor payment id to refund to; refund to store credit")
                        }
                        tender.idempotencyKey = "refund_\(refundID)_\(payment.id ?? 0)"
                    }
                    try tender.insert(db)
                    remaining -= take
                }
            case .storeCredit:
                let account = try StoreCredit.findOrCreate(db, code: request.creditCode, customerID: order.customerID, at: date)
                var tender = RefundTender(refundID: refundID, paymentID: nil, method: .credit, amount: total,
                                          status: .pending, creditAccountID: account.id)
                try tender.insert(db)
            case .cash:
                throw TillError.invalid("a refund goes back to the original payment or to store credit")
            }
        }
        if try !RefundTender.filter(Column("refund_id") == refundID && Column("method") == PaymentMethod.cash.rawValue).isEmpty(db) {
            // Cash goes back from this till's drawer: refused before any card is refunded when it has no shift.
            _ = try Shifts.drawer(db, register: ctx.register, doing: "give cash back")
        }
        if try !RefundTender.filter(Column("refund_id") == refundID && Column("method") == PaymentMethod.card.rawValue).isEmpty(db) {
            return refundID
        }
        try complete(db, refundID: refundID, at: date)
        return refundID
    }

    /// Asks the processor for each pending card part, then completes the refund.
    private func settle(refundID: Int64, _ ctx: TillContext) throws -> RefundDetail {
        let date = ctx.now
        let start = try detail(id: refundID)
        guard start.refund.status == .pending else { return start }
        for tender in start.tenders where tender.method == .card && tender.status == .pending {
            guard let token = tender.gatewayToken, let key = tender.idempotencyKey else { continue }
            let reader = try store.read { db in
                try String.fetchOne(db, sql: "SELECT card_reader FROM payment WHERE id = ?", arguments: [tender.paymentID])
            }
            let terminal = try ctx.processor(for: reader)
            do {
                if start.refund.kind == .void {
                    let result = try terminal.void(paymentID: token, idempotencyKey: key)
                    guard result.status == .cancelled || result.amountRefunded >= result.amountCaptured else {
                        throw CardTerminalError.refused("the processor did not void payment \(token)")
                    }
                } else {
                    _ = try terminal.refund(paymentID: token, amount: tender.amount, idempotencyKey: key)
                }
            } catch let error as CardTerminalError {
                if !error.isDefinite {
                    throw TillError.invalid("the card processor did not answer; refund \(refundID) is on hold — resume it (till refund --resume \(refundID)) and the card will not be refunded twice")
                }
                let anyDone = try store.read { db in
                    try RefundTender.filter(Column("refund_id") == refundID && Column("status") == "refunded").fetchCount(db) > 0
                }
                if !anyDone {
                    try store.write { db in
                        try db.execute(sql: "UPDATE refund SET status = 'failed', failure = ? WHERE id = ?",
                                       arguments: [error.description, refundID])
                        try db.execute(sql: "UPDATE refund_tender SET status = 'failed' WHERE refund_id = ?", arguments: [refundID])
                        try AuditLog.record(db, action: "refund.failed", entity: "order", entityID: start.refund.orderID,
                                            before: nil, after: ["refund": String(refundID)], staffID: start.refund.staffID,
                                            note: error.description, at: date)
                    }
                    throw TillError.invalid("refund refused by the card processor, nothing was refunded: \(error.description)")
                }
                throw TillError.invalid("refund \(refundID) is part done (\(error.description)); resume it with till refund --resume \(refundID)")
            }
            try store.write { db in
                try db.execute(sql: "UPDATE refund_tender SET status = 'refunded' WHERE id = ?", arguments: [tender.id])
            }
        }
        try store.write { db in try Refunds.complete(db, refundID: refundID, at: date) }
        return try detail(id: refundID)
    }

    /// Stock, store credit, statuses and the audit entry: the part of a refund that needs no gateway.
    static func complete(_ db: Database, refundID: Int64, at date: Date) throws {
        guard var refund = try Refund.fetchOne(db, key: refundID), refund.status == .pending else { return }
        let order = try refund.orderID.flatMap { try Order.fetchOne(db, key: $0) }
        let tenders = try RefundTender.filter(Column("refund_id") == refundID).fetchAll(db)
        for tender in tenders where tender.status == .pending {
            guard tender.method != .card else { throw TillError.invalid("refund \(refundID) still waits for the card processor") }
            if tender.method == .points, let paymentID = tender.paymentID {
                try ChainPoints.restore(db, paymentID: paymentID, amount: tender.amount, refundID: refundID, at: date)
            }
            if tender.method == .credit, let account = tender.creditAccountID {
                try StoreCredit.post(db, accountID: account, delta: tender.amount,
                                     reason: refund.kind == .void ? .reversal : .refund, orderID: refund.orderID,
                                     refundID: refundID, staffID: refund.staffID, at: date)
            }
            try db.execute(sql: "UPDATE refund_tender SET status = 'refunded' WHERE id = ?", arguments: [tender.id])
        }
        for paymentID in Set(tenders.compactMap(\.paymentID)) {
            let payment = try Payment.fetchOne(db, key: paymentID)
            let back = try Int64.fetchOne(db, sql: """
                SELECT COALESCE(SUM(amount), 0) FROM refund_tender WHERE payment_id = ? AND status = 'refunded'
                """, arguments: [paymentID]) ?? 0
            if let payment, back >= payment.amount {
                try db.execute(sql: "UPDATE payment SET status = ? WHERE id = ?",
                               arguments: [refund.kind == .void ? "voided" : "refunded", paymentID])
            }
        }
        let reference = order.flatMap(\.number).map { "order:\($0)" } ?? "return:\(refundID)"
        for line in try RefundLine.filter(Column("refund_id") == refundID).fetchAll(db) where line.restocked {
            try Inventory.record(db, variantID: line.variantID, locationID: refund.restockLocationID ?? 0, delta: line.quantity,
                                 reason: refund.kind == .void ? .void : .refund, staffID: refund.staffID,
                                 reference: reference, note: "refund \(refundID)", at: date)
        }
        refund.status = .completed
        refund.completedAt = date
        try refund.update(db)
        // The day and the drawer it lands in: cash given back comes out of the register's open shift.
        let givesCash = tenders.contains { $0.method == .cash }
        let (day, shift) = try BusinessDay.placing(db, register: refund.register, at: date, cash: givesCash ? "give cash back" : nil)
        try db.execute(sql: "UPDATE refund SET business_day = ?, shift_id = ? WHERE id = ?", arguments: [day.key, shift?.id, refundID])
        if let order {
            let status: OrderStatus
            if refund.kind == .void {
                status = .voided
            } else {
                status = try refundable(db, order: order).allSatisfy { $0.quantityLeft == .zero } ? .refunded : .partiallyRefunded
            }
            try db.execute(sql: "UPDATE orders SET status = ?, updated_at = ? WHERE id = ?",
                           arguments: [status.rawValue, date, order.id])
        }
        let detail = try detail(db, refund: refund)
        let currency = try StoreSettings.load(db).currency
        let summary = RefundSummary(refund: refundID, kind: refund.kind.rawValue,
                                    amount: Money(minorUnits: refund.amount, currency: currency).decimalString,
                                    lines: detail.lines.map { "\($0.sku) × \($0.quantity)\($0.restocked ? "" : " (not restocked)")" },
                                    to: detail.tenders.map { tender in
                                        let where_ = tender.method == .card ? "card •\(tender.cardLast4 ?? "????")"
                                            : tender.method == .credit ? "store credit \(detail.creditCode ?? "")"
                                            : tender.method == .points ? "points" : "cash"
                                        return "\(where_) \(Money(minorUnits: tender.amount, currency: currency).decimalString)"
                                    })
        let approval = try refund.approvedBy.flatMap {
            try String.fetchOne(db, sql: "SELECT username FROM staff WHERE id = ?", arguments: [$0])
        }.map { "approved by \($0)" }
        let note = [refund.reason.isEmpty ? nil : refund.reason, approval].compactMap { $0 }.joined(separator: "; ")
        try AuditLog.record(db, action: refund.kind == .void ? "order.void" : refund.kind == .noReceipt ? "return.no_receipt" : "order.refund",
                            entity: order == nil ? "refund" : "order", entityID: order?.id ?? refundID,
                            before: nil, after: summary, staffID: refund.staffID, note: note.isEmpty ? nil : note, at: date)
        // Points the refunded part of the sale earned go back with it.
        try ChainLoyalty.takeBack(db, refundID: refundID, at: date)
    }
}

private struct RefundSummary: Encodable {
    var refund: Int64
    var kind: String
    var amount: String
    var lines: [String]
    var to: [String]
}

extension Refunds {
    /// The outcome of an exchange: the return (always onto a store-credit slip) and the new sale.
    public struct Exchange: Equatable, Sendable {
        public var refund: RefundDetail
        public var sale: CompletedSale
        /// What is left on the slip when the returned goods were worth more than the new ones.
        public var creditLeft: Int64
    }

    /// Returns lines of an order and sells others in one flow: the returned goods' value goes onto a new
    /// store-credit slip, which pays the new sale first; `tenders` pay any balance, and anything over stays on
    /// the slip. If the new sale cannot be made (a declined card, say) the return stands and its value is on
    /// the slip, so nothing is lost; the error names the slip.
    public func exchange(orderNumber: Int64, returning lines: [RefundLineRequest], restockLocation: String? = Location.floorCode,
                         newLines: [SaleLineRequest], tenders: [ScriptedTender], _ ctx: TillContext) throws -> Exchange {
        guard !lines.isEmpty else { throw TillError.invalid("an exchange needs at least one line coming back") }
        guard !newLines.isEmpty else { throw TillError.invalid("an exchange needs at least one new item; otherwise refund") }
        let checkout = Checkout(store: store)
        let newTotal = try checkout.quote(lines: newLines, orderDiscount: nil, at: ctx.now).total
        let refund = try self.refund(RefundRequest(orderNumber: orderNumber, lines: lines, restockLocation: restockLocation,
                                                   destination: .storeCredit, reason: "exchange"), ctx)
        guard let code = refund.creditCode else { throw TillError.invalid("the returned lines are worth nothing to exchange") }
        let customerID = refund.refund.customerID
        var saleTenders = [ScriptedTender(method: .credit, amount: min(refund.refund.amount, newTotal), creditCode: code)]
        if newTotal > refund.refund.amount {
            guard !tenders.isEmpty else {
                let currency = try store.read { db in try StoreSettings.load(db).currency }
                throw TillError.invalid("the new items cost \(Money(minorUnits: newTotal - refund.refund.amount, currency: currency)) more than the return; add a payment. The return is on store credit \(code)")
            }
            saleTenders += tenders
        }
        do {
            let sale = try checkout.sell(lines: newLines, orderDiscount: nil, customerID: customerID,
                                         tenders: saleTenders, ctx)
            let left = try StoreCredit(store: store).statement(code: code).balance
            return Exchange(refund: try detail(id: refund.refund.id ?? 0), sale: sale, creditLeft: left)
        } catch {
            throw TillError.invalid("the new sale was not made (\(error)); the return is on store credit \(code)")
        }
    }
}
