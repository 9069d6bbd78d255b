import Foundation
import GRDB

public struct SaleLineRequest: Equatable, Sendable {
    public var variantID: Int64
    public var quantity: Quantity
    public var discount: Discount?

    public init(variantID: Int64, quantity: Quantity, discount: Discount? = nil) {
        self.variantID = variantID
        self.quantity = quantity
        self.discount = discount
    }
}

/// One way the customer pays. `amount` nil takes whatever is still due. For cash, `amount` is what was handed
/// over: anything above the balance comes back as change.
public struct Tender: Equatable, Sendable {
    public var method: PaymentMethod
    public var amount: Int64?
    public var card: CardDetails?
    public var status: PaymentStatus
    public var idempotencyKey: String?
    /// For store credit: the slip or gift card's code.
    public var creditCode: String?
    /// In a chain store: head office's hold this payment spends, or — offline — the store's allowance.
    public var creditHold: String?
    public var creditOffline: Bool
    /// For loyalty points: how many this payment spends, and head office's hold on them.
    public var points: Int64?
    public var pointsHold: String?

    public init(method: PaymentMethod, amount: Int64? = nil, card: CardDetails? = nil,
                status: PaymentStatus = .captured, idempotencyKey: String? = nil, creditCode: String? = nil,
                creditHold: String? = nil, creditOffline: Bool = false, points: Int64? = nil, pointsHold: String? = nil) {
        self.method = method
        self.amount = amount
        self.card = card
        self.status = status
        self.idempotencyKey = idempotencyKey
        self.creditCode = creditCode
        self.creditHold = creditHold
        self.creditOffline = creditOffline
        self.points = points
        self.pointsHold = pointsHold
    }
}

public struct SaleRequest: Equatable, Sendable {
    public var lines: [SaleLineRequest]
    public var orderDiscount: Discount?
    public var customerID: Int64?
    public var tenders: [Tender]
    public var note: String

    /// Who sells, who approves a discount above the limit, at which register and when come from the
    /// `TillContext` the sale is completed with.
    public init(lines: [SaleLineRequest], orderDiscount: Discount? = nil, customerID: Int64? = nil,
                tenders: [Tender], note: String = "") {
        self.lines = lines
        self.orderDiscount = orderDiscount
        self.customerID = customerID
        self.tenders = tenders
        self.note = note
    }
}

public struct CompletedSale: Equatable, Sendable {
    public var order: Order
    public var lines: [OrderLine]
    public var payments: [Payment]
    public var pricing: PricedSale

    public var number: Int64 { order.number ?? 0 }
    public var change: Int64 { payments.compactMap(\.change).reduce(0, +) }
}

/// What a tender did: finished the sale, or paid part of it.
public enum TenderOutcome: Equatable, Sendable {
    case completed(CompletedSale)
    case partlyPaid(Cart)
}

/// Completing a sale: order, lines, payments and stock movements in ONE transaction, or nothing at all.
public struct Checkout: Sendable {
    public let store: StoreDatabase

    /// The first order number a new store gives.
    public static let firstOrderNumber: Int64 = 1001

    public init(store: StoreDatabase) { self.store = store }

    /// A whole sale in one call (scripts, `till sell`, the demo history): cart, discounts and payments are
    /// written and the sale completed in a single transaction. Card tenders here carry gateway results.
    public func completeSale(_ request: SaleRequest, _ ctx: TillContext) throws -> CompletedSale {
        try store.requireJournal()
        let date = ctx.now
        return try store.write { db in try Checkout.completeSale(db, request, ctx: ctx, at: date) }
    }

    static func completeSale(_ db: Database, _ request: SaleRequest, ctx: TillContext, at date: Date) throws -> CompletedSale {
        try CardNumberGuard.check(request.note, field: "The sale's note")
        guard !request.lines.isEmpty else { throw TillError.invalid("a sale needs at least one item") }
        try Permissions.require(db, .sell, staffID: ctx.staffID)
        let settings = try StoreSettings.load(db)
        let register = ctx.register
        var order = Order(id: nil, number: nil, status: .open, customerID: request.customerID, staffID: ctx.staffID,
                          currency: settings.currency.code, taxInclusive: settings.taxInclusive, subtotal: 0,
                          discountTotal: 0, taxTotal: 0, total: 0, createdAt: date, completedAt: nil,
                          note: request.note, register: register, discountSpec: request.orderDiscount?.storageValue,
                          updatedAt: date)
        try order.insert(db)
        let orderID = order.id ?? 0
        for line in request.lines {
            try Carts.addLine(db, orderID: orderID, variantID: line.variantID, quantity: line.quantity,
                              discount: line.discount)
        }
        var cart = try Carts.reprice(db, orderID: orderID, at: date)
        for line in cart.lines {
            guard let discount = Discount(storageValue: line.discountSpec) else { continue }
            let base = try scaleRoundingHalfAwayFromZero(line.unitPrice, times: line.quantity.milli, over: Quantity.scale)
            if let approver = try Carts.authorize(db, discount, of: base, staffID: ctx.staffID, approvedBy: ctx.approverID,
                                                  cartID: orderID, at: date) {
                try db.execute(sql: "UPDATE order_line SET discount_approved_by = ? WHERE id = ?", arguments: [approver, line.id])
            }
        }
        if let approver = try Carts.authorize(db, request.orderDiscount, of: cart.order.subtotal, staffID: ctx.staffID,
                                              approvedBy: ctx.approverID, cartID: orderID, at: date) {
            try db.execute(sql: "UPDATE orders SET discount_approved_by = ? WHERE id = ?", arguments: [approver, orderID])
            cart = try Carts.load(db, id: orderID)
        }
        let plan = try planPayments(request.tenders, due: cart.due, currency: settings.currency,
                                    cashRoundingIncrement: settings.cashRoundingIncrement)
        return try complete(db, cart: cart, newPayments: plan.payments, cashRounding: plan.cashRounding, at: date)
    }

    /// Takes cash for the open cart. `handed` nil is exact cash; more than is due completes the sale with
    /// change; less is recorded as part payment and the sale stays open.
    public func payCash(cartID: Int64, handed: Int64? = nil, _ ctx: TillContext) throws -> TenderOutcome {
        try store.requireJournal()
        let date = ctx.now
        return try store.write { db in
            try Permissions.require(db, .sell, staffID: ctx.staffID)
            try CardAttempt.requireSettled(db, orderID: cartID, doing: "take cash")
            try Checkout.takeOver(db, cartID: cartID, staffID: ctx.staffID)
            return try Checkout.payCash(db, cartID: cartID, handed: handed, at: date)
        }
    }

    static func payCash(_ db: Database, cartID: Int64, handed: Int64?, at date: Date) throws -> TenderOutcome {
        // Priced again as it is paid: a tax rate that took effect since the last scan applies.
        let cart = try Carts.reprice(db, orderID: cartID, at: date)
        guard !cart.isEmpty else { throw TillError.invalid("the sale has no items") }
        let settings = try StoreSettings.load(db)
        let plan = try Checkout.planPayments([Tender(method: .cash, amount: handed)], due: cart.due,
                                             currency: settings.currency, allowShort: true,
                                             cashRoundingIncrement: settings.cashRoundingIncrement)
        if plan.cashRounding != 0 {
            return .completed(try Checkout.complete(db, cart: cart, newPayments: plan.payments,
                                                    cashRounding: plan.cashRounding, at: date))
        }
        return try Checkout.finish(db, cart: cart, newPayments: plan.payments, at: date)
    }

    /// Pays from a store-credit slip or gift card: `amount` nil takes the balance or what is due, whichever is
    /// less. Completes the sale when that pays it off.
    public func payCredit(cartID: Int64, code: String, amount: Int64? = nil, _ ctx: TillContext) throws -> TenderOutcome {
        try store.requireJournal()
        try CardNumberGuard.check(code, field: "The store credit code")
        // A chain's cards are held at head office: any store may take one another sold.
        if try ChainStore.membership(store) != nil {
            return try ChainCredit.pay(self, cartID: cartID, code: code, amount: amount, ctx)
        }
        let date = ctx.now
        return try store.write { db in
            try Permissions.require(db, .sell, staffID: ctx.staffID)
            try CardAttempt.requireSettled(db, orderID: cartID, doing: "take store credit")
            try Checkout.takeOver(db, cartID: cartID, staffID: ctx.staffID)
            return try Checkout.payCredit(db, cartID: cartID, code: code, amount: amount, at: date)
        }
    }

    static func payCredit(_ db: Database, cartID: Int64, code: String, amount: Int64?, at date: Date) throws -> TenderOutcome {
        let cart = try Carts.reprice(db, orderID: cartID, at: date)
        guard !cart.isEmpty else { throw TillError.invalid("the sale has no items") }
        let settings = try StoreSettings.load(db)
        let account = try StoreCredit.account(db, code: code)
        let balance = try StoreCredit.balance(db, accountID: account.id ?? 0)
        guard balance > 0 else { throw TillError.invalid("store credit \(account.code) has nothing left") }
        let planned = try Checkout.planPayments([Tender(method: .credit, amount: amount ?? min(balance, cart.due), creditCode: account.code)],
                                                due: cart.due, currency: settings.currency, allowShort: true).payments
        return try Checkout.finish(db, cart: cart, newPayments: planned, at: date)
    }

    /// The one who takes the money serves the customer: a sale begun by a cashier who then went on a break
    /// (Ctrl-L, another member signs in) is recorded — receipt, payments, stock movements, shift report — under
    /// the member who finishes it, not the one who scanned the first line.
    static func takeOver(_ db: Database, cartID: Int64, staffID: Int64?) throws {
        guard let staffID else { return }
        try db.execute(sql: "UPDATE orders SET staff_id = ? WHERE id = ? AND status = 'open' AND staff_id IS NOT ?",
                       arguments: [staffID, cartID, staffID])
    }

    /// Records new payments; completes the sale when they pay it off, else leaves it open.
    static func finish(_ db: Database, cart: Cart, newPayments: [PlannedPayment], at date: Date) throws -> TenderOutcome {
        let paying = newPayments.reduce(0) { $0 + $1.applied }
        if paying >= cart.due {
            return .completed(try complete(db, cart: cart, newPayments: newPayments, at: date))
        }
        try insertPayments(db, orderID: cart.id, newPayments, at: date)
        try db.execute(sql: "UPDATE orders SET updated_at = ? WHERE id = ?", arguments: [date, cart.id])
        return .partlyPaid(try Carts.load(db, id: cart.id))
    }

    /// The one place a sale completes: number, status, payments and stock movements, inside the caller's
    /// transaction, so either all of it is written or none.
    static func complete(_ db: Database, cart: Cart, newPayments: [PlannedPayment], cashRounding: Int64 = 0,
                         at date: Date) throws -> CompletedSale {
        guard cart.order.status == .open else { throw TillError.invalid("sale #\(cart.id) is not open") }
        guard !cart.isEmpty else { throw TillError.invalid("a sale needs at least one item") }
        let paying = newPayments.reduce(0) { $0 + $1.applied }
        guard paying == cart.due + cashRounding else {
            throw TillError.invalid("payments do not match the amount due")
        }
        let takesCash = newPayments.contains { $0.tender.method == .cash } || cart.payments.contains { $0.method == .cash && $0.status == .captured }
        let (day, shift) = try BusinessDay.placing(db, register: cart.order.register, at: date,
                                                   cash: takesCash ? "take cash" : nil)
        let number = (try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(number) FROM orders")) ?? (firstOrderNumber - 1)) + 1
        try db.cachedStatement(sql: """
            UPDATE orders SET number = ?, status = 'completed', completed_at = ?, updated_at = ?, payment_attempt_key = NULL,
                              cash_rounding = ?, business_day = ?, shift_id = ?
            WHERE id = ?
            """).execute(arguments: [number, date, date, cashRounding, day.key, shift?.id, cart.id])
        try insertPayments(db, orderID: cart.id, newPayments, at: date)
        let floor = try Location.named(db, code: Location.floorCode)
        let storeSettings = try StoreSettings.load(db)
        // The open-price item (misc_sku) stands for things not in the catalog: it has no shelf, so no stock.
        let misc = try storeSettings.miscSKU.flatMap {
            try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM variant WHERE sku = ?"), arguments: [$0])
        }
        let stocked = cart.lines.filter { $0.variantID != misc }
        if !storeSettings.allowNegativeStock {
            // Over the whole sale: two lines of one SKU (one discounted, two scale labels) take from one shelf.
            var selling: [Int64: (sku: String, quantity: Quantity)] = [:]
            var order: [Int64] = []
            for line in stocked {
                let sofar = selling[line.variantID]?.quantity
                if sofar == nil { order.append(line.variantID) }
                selling[line.variantID] = (line.sku, (sofar ?? .zero) + line.quantity)
            }
            for variantID in order {
                guard let (sku, quantity) = selling[variantID] else { continue }
                let onHand = try StockOperations.onHand(db, variantID, floor.id ?? 0)
                guard onHand >= quantity else {
                    throw TillError.invalid("not enough \(sku) at \(floor.code) (\(floor.name)): on hand \(onHand), this sale takes \(quantity); this store does not sell below zero")
                }
            }
        }
        for line in stocked {
            try Inventory.record(db, variantID: line.variantID, locationID: floor.id ?? 0, delta: -line.quantity,
                                 reason: .sale, staffID: cart.order.staffID, reference: "order:\(number)", at: date)
        }
        try ChainLoyalty.earn(db, orderID: cart.id, at: date)
        let completed = try Carts.load(db, id: cart.id)
        let settings = try StoreSettings.load(db)
        let pricing = try SalePricing.price(try Promotion.apply(db, to: completed.lines.map(\.pricingLine), at: date),
                                            orderDiscount: completed.orderDiscount,
                                            taxInclusive: completed.order.taxInclusive, currency: settings.currency)
        return CompletedSale(order: completed.order, lines: completed.lines,
                             payments: completed.payments.filter { $0.status != .voided }, pricing: pricing)
    }

    static func insertPayments(_ db: Database, orderID: Int64, _ planned: [PlannedPayment], at date: Date) throws {
        if planned.contains(where: { $0.tender.method == .cash }) {
            // Cash goes into a drawer: a part payment in cash needs the register's shift as much as a whole one.
            let register = try String.fetchOne(db.cachedStatement(sql: "SELECT register FROM orders WHERE id = ?"), arguments: [orderID]) ?? TillContext.defaultRegister
            _ = try Shifts.drawer(db, register: register, doing: "take cash")
        }
        for entry in planned {
            let isCash = entry.tender.method == .cash
            let account = try entry.tender.creditCode.map { try StoreCredit.account(db, code: $0) }
            var payment = Payment(id: nil, orderID: orderID, method: entry.tender.method, amount: entry.applied,
                                  tendered: isCash ? entry.handed : nil, change: isCash ? entry.handed - entry.applied : nil,
                                  status: entry.tender.status, gatewayToken: entry.tender.card?.token,
                                  cardBrand: entry.tender.card?.brand, cardLast4: entry.tender.card?.last4,
                                  idempotencyKey: entry.tender.idempotencyKey, createdAt: date,
                                  creditAccountID: account?.id)
            if let card = entry.tender.card {
                payment.cardEntryMode = card.entryMode?.rawValue
                payment.cardApplicationName = card.applicationName
                payment.cardApplicationID = card.applicationID
                payment.cardAuthorizationCode = card.authorizationCode
                payment.cardReader = card.reader
                payment.authorizedAmount = card.authorizedAmount
            }
            try payment.insert(db)
            if entry.tender.method == .points {
                try ChainPoints.recordRedemption(db, paymentID: payment.id ?? 0, orderID: orderID, tender: entry.tender, at: date)
            }
            if let account {
                if let hold = entry.tender.creditHold {
                    try db.execute(sql: "UPDATE payment SET credit_hold = ? WHERE id = ?", arguments: [hold, payment.id])
                }
                let staffID = try Int64.fetchOne(db, sql: "SELECT staff_id FROM orders WHERE id = ?", arguments: [orderID])
                try StoreCredit.post(db, accountID: account.id ?? 0, delta: -entry.applied, reason: .redeem, orderID: orderID,
                                     refundID: nil, staffID: staffID, hold: entry.tender.creditHold,
                                     offline: entry.tender.creditOffline, at: date)
            }
        }
    }

    struct PlannedPayment {
        var tender: Tender
        var handed: Int64
        var applied: Int64
    }

    /// Checks the tenders against the amount due: they must cover it exactly (cash may go over: that is
    /// change), unless `allowShort`, for a part payment. Cash that settles the sale settles it to the store's
    /// smallest coin; the difference comes back as `cashRounding`.
    static func planPayments(_ tenders: [Tender], due: Int64, currency: Currency, allowShort: Bool = false,
                             cashRoundingIncrement: Int64 = 1) throws -> (payments: [PlannedPayment], cashRounding: Int64) {
        var remaining = due
        var planned: [PlannedPayment] = []
        var rounding: Int64 = 0
        for tender in tenders {
            guard remaining > 0 else {
                throw TillError.invalid("\(tender.method.rawValue) payment given after the sale was fully paid")
            }
            var settles = remaining
            if tender.method == .cash && cashRoundingIncrement > 1 {
                settles = try Money(minorUnits: remaining, currency: currency).rounded(toMultipleOf: cashRoundingIncrement).minorUnits
            }
            let handed = tender.amount ?? settles
            guard handed > 0 else { throw TillError.invalid("\(tender.method.rawValue) payment must be above zero") }
            if tender.method == .card && tender.card == nil {
                throw TillError.invalid("a card payment needs the card's token, brand and last four")
            }
            if tender.method == .credit && tender.creditCode == nil {
                throw TillError.invalid("a store credit payment needs the slip or gift card's code")
            }
            if handed > remaining && tender.method != .cash {
                throw TillError.invalid("\(tender.method.rawValue) payment of \(Money(minorUnits: handed, currency: currency)) is more than the \(Money(minorUnits: remaining, currency: currency)) due")
            }
            if handed >= settles {
                rounding = settles - remaining
                planned.append(PlannedPayment(tender: tender, handed: handed, applied: settles))
                remaining = 0
            } else {
                planned.append(PlannedPayment(tender: tender, handed: handed, applied: handed))
                remaining -= handed
            }
        }
        guard remaining == 0 || allowShort else {
            throw TillError.invalid("payments are \(Money(minorUnits: remaining, currency: currency)) short of the \(Money(minorUnits: due, currency: currency)) due")
        }
        return (planned, rounding)
    }
}
