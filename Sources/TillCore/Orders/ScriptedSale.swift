import Foundation
import GRDB

/// One tender of a sale rung up in one go: a method and an amount (nil: whatever is still due).
public struct ScriptedTender: Equatable, Sendable {
    public var method: PaymentMethod
    public var amount: Int64?
    public var creditCode: String?

    public init(method: PaymentMethod, amount: Int64? = nil, creditCode: String? = nil) {
        self.method = method
        self.amount = amount
        self.creditCode = creditCode
    }

    /// `cash`, `card:12.50`, `cash:20`, `credit:SC-0123456789[:5]`, `points[:5]` (the customer's points, worth up to
    /// that much) as `till sell --pay` takes them.
    public static func parse(_ text: String, currency: Currency) throws -> ScriptedTender {
        var parts = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard let methodName = parts.first, let method = PaymentMethod(rawValue: methodName.lowercased()) else {
            throw TillError.invalid("unknown payment method in \"\(text)\" (use cash, card, credit or points, e.g. card:12.50)")
        }
        var code: String?
        if method == .credit {
            guard parts.count >= 2, !parts[1].isEmpty else {
                throw TillError.invalid("store credit needs its code: credit:CODE or credit:CODE:AMOUNT")
            }
            code = parts.remove(at: 1)
        } else if parts.count > 2 {
            throw TillError.invalid("expected method:amount, got \"\(text)\"")
        }
        let amount = try parts.count == 2 ? MoneyParser(currency: currency).parse(parts[1]).minorUnits : nil
        if let amount, amount <= 0 { throw TillError.invalidAmount(parts[1], reason: "must be above zero") }
        return ScriptedTender(method: method, amount: amount, creditCode: code)
    }
}

extension Checkout {
    /// Rings up a whole sale from a script (`till sell`) through the same path as the register: a cart on the
    /// context's register, its lines and discounts checked as the till checks them, then each tender taken as
    /// the tender screen takes it (`payCash`, `payCard`, `payCredit`) — so a card's idempotency key is saved
    /// before the gateway is called, and a retry can never charge twice. If a tender is refused or the sale
    /// cannot complete, the tenders already taken are cancelled (cards voided at the gateway) and the cart is
    /// discarded: no completed order, no stock moved, no money kept. A sale with no card is one transaction from
    /// cart to completed order (the same steps, nothing for a crash to leave behind); with a card the cart is
    /// written first, as at the register, so the card's attempt key is saved before the gateway is asked.
    public func sell(lines: [SaleLineRequest], orderDiscount: Discount?, customerID: Int64?, tenders: [ScriptedTender],
                     _ ctx: TillContext) throws -> CompletedSale {
        try store.requireJournal()
        guard !tenders.isEmpty else { throw TillError.invalid("a sale needs a payment (--pay cash, --pay card:12.50 …)") }
        guard !lines.isEmpty else { throw TillError.invalid("a sale needs at least one item") }
        let date = ctx.now
        let takesCard = tenders.contains { $0.method == .card }
        // A chain store's gift card is held at head office before it pays: that call is not made inside a write.
        let inChain = try ChainStore.membership(store) != nil
        // So are a customer's points, always.
        let twoSteps = takesCard || (inChain && tenders.contains { $0.method == .credit }) || tenders.contains { $0.method == .points }
        let (cart, finished) = try store.write { db -> (Cart, CompletedSale?) in
            try Permissions.require(db, .sell, staffID: ctx.staffID)
            if tenders.contains(where: { $0.method == .cash }) {
                _ = try Shifts.drawer(db, register: ctx.register, doing: "take cash")  // before anything is written
            }
            let order = try Carts.newOrder(db, register: ctx.register, staffID: ctx.staffID, at: date)
            let orderID = order.id ?? 0
            for line in lines {
                try Carts.addLine(db, orderID: orderID, variantID: line.variantID, quantity: line.quantity, discount: line.discount)
            }
            var cart = try Carts.reprice(db, orderID: orderID, at: date)
            for line in cart.lines {
                guard let discount = Discount(storageValue: line.discountSpec) else { continue }
                let base = try scaleRoundingHalfAwayFromZero(line.unitPrice, times: line.quantity.milli, over: Quantity.scale)
                let approver = try Carts.authorize(db, discount, of: base, staffID: ctx.staffID, approvedBy: ctx.approverID,
                                                   cartID: orderID, at: date)
                try db.execute(sql: "UPDATE order_line SET discount_approved_by = ? WHERE id = ?", arguments: [approver, line.id])
            }
            if let orderDiscount {
                let approver = try Carts.authorize(db, orderDiscount, of: cart.order.subtotal, staffID: ctx.staffID,
                                                   approvedBy: ctx.approverID, cartID: orderID, at: date)
                try db.execute(sql: "UPDATE orders SET discount_spec = ?, discount_approved_by = ? WHERE id = ?",
                               arguments: [orderDiscount.storageValue, approver, orderID])
            }
            if let customerID {
                guard try Customer.fetchOne(db, key: customerID) != nil else { throw TillError.notFound("customer #\(customerID)") }
                try db.execute(sql: "UPDATE orders SET customer_id = ? WHERE id = ?", arguments: [customerID, orderID])
            }
            cart = try Carts.reprice(db, orderID: orderID, at: date)
            // Every tender must have something left to pay, before any card is charged.
            let currency = try StoreSettings.load(db).currency
            var remaining = cart.due
            for tender in tenders {
                guard remaining > 0 else { throw TillError.invalid("\(tender.method.rawValue) payment given after the sale was fully paid") }
                var amount = tender.amount ?? remaining
                if tender.method == .credit, tender.amount == nil, !inChain, let code = tender.creditCode {
                    let account = try StoreCredit.account(db, code: code)
                    amount = min(try StoreCredit.balance(db, accountID: account.id ?? 0), remaining)
                }
                if tender.method != .cash && amount > remaining {
                    throw TillError.invalid("\(tender.method.rawValue) payment of \(Money(minorUnits: amount, currency: currency)) is more than the \(Money(minorUnits: remaining, currency: currency)) due")
                }
                remaining -= min(amount, remaining)
            }
            if takesCard { _ = try ctx.requireTerminal() }  // refused before anything is written
            guard !twoSteps else { return (cart, nil) }
            for tender in tenders {
                let outcome = tender.method == .cash
                    ? try Checkout.payCash(db, cartID: orderID, handed: tender.amount, at: date)
                    : try Checkout.payCredit(db, cartID: orderID, code: tender.creditCode ?? "", amount: tender.amount, at: date)
                if case let .completed(sale) = outcome { return (cart, sale) }
            }
            let left = try Carts.load(db, id: orderID)
            throw TillError.invalid("payments are \(Money(minorUnits: left.due, currency: currency)) short of the \(Money(minorUnits: left.order.total, currency: currency)) due")
        }
        if let finished { return finished }
        do {
            for tender in tenders {
                let outcome: TenderOutcome
                switch tender.method {
                case .cash: outcome = try payCash(cartID: cart.id, handed: tender.amount, ctx)
                case .card: outcome = try payCardRetryingOnce(cartID: cart.id, amount: tender.amount, ctx)
                case .credit: outcome = try payCredit(cartID: cart.id, code: tender.creditCode ?? "", amount: tender.amount, ctx)
                case .points: outcome = try payPoints(cartID: cart.id, amount: tender.amount, ctx)
                }
                if case let .completed(sale) = outcome { return sale }
            }
            let left = try Carts(store: store).cart(id: cart.id)
            let currency = try store.read { db in try StoreSettings.load(db).currency }
            throw TillError.invalid("payments are \(Money(minorUnits: left.due, currency: currency)) short of the \(Money(minorUnits: left.order.total, currency: currency)) due")
        } catch let error as UnansweredCharge {
            // The charge may have gone through: the sale stays open with its attempt's key, so taking the card
            // again (at the till on that register) gets the gateway's first answer instead of a second charge.
            throw TillError.invalid("the card processor did not answer twice; sale #\(error.cartID) stays open on register \(ctx.register) with its card attempt saved — open the till there and take the card again (it will not be charged twice); the app settles it from the processor when it starts")
        } catch {
            _ = try? cancelPayments(cartID: cart.id, ctx)
            try? store.write { db in
                // A cart that never took a payment leaves no trace; one whose card was charged and voided
                // stays as a voided record of it (the gateway's side has the charge and its void).
                if try Payment.filter(Column("order_id") == cart.id).fetchCount(db) == 0 {
                    // Attempts that took nothing (declined, cancelled) go with the cart that never was.
                    try db.execute(sql: "DELETE FROM card_attempt WHERE order_id = ? AND state IN ('declined', 'cancelled', 'failed')",
                                   arguments: [cart.id])
                    try db.execute(sql: "DELETE FROM order_line WHERE order_id = ?", arguments: [cart.id])
                    try db.execute(sql: "DELETE FROM orders WHERE id = ? AND number IS NULL", arguments: [cart.id])
                } else {
                    try Carts.discard(db, orderID: cart.id, at: date)
                }
            }
            throw error
        }
    }
}

extension Checkout {
    /// What a sale of these lines would cost now, by the same rules a cart uses (undiscounted lines of the same
    /// item are one line, unless it is weighed), with the promotions in force at `date`. Writes nothing.
    public func quote(lines: [SaleLineRequest], orderDiscount: Discount?, at date: Date = Date()) throws -> PricedSale {
        try store.read { db in
            let settings = try StoreSettings.load(db)
            var pricing: [PricingLine] = []
            var undiscounted: [Int64: Int] = [:]
            for line in lines {
                guard let item = try CatalogItem.fetchOne(db, sql: CatalogItem.selectSQL + " WHERE v.id = ?",
                                                          arguments: [line.variantID]) else {
                    throw TillError.notFound("item #\(line.variantID)")
                }
                guard item.active else { throw TillError.invalid("\(item.sku) (\(item.displayName)) is archived and cannot be sold") }
                guard item.unit == .kg || line.quantity.isWhole else {
                    throw TillError.invalidQuantity(line.quantity.description, reason: "\(item.sku) is sold in whole units")
                }
                if line.discount == nil, item.joinsLine, let index = undiscounted[item.variantID] {
                    pricing[index].quantity = pricing[index].quantity + line.quantity
                } else {
                    if line.discount == nil && item.joinsLine { undiscounted[item.variantID] = pricing.count }
                    pricing.append(PricingLine(item: item, quantity: line.quantity, discount: line.discount))
                }
            }
            return try SalePricing.price(try Promotion.apply(db, to: pricing, at: date), orderDiscount: orderDiscount,
                                         taxInclusive: settings.taxInclusive, currency: settings.currency)
        }
    }
}

/// A card payment that got no answer twice: the sale is left open with its attempt saved.
struct UnansweredCharge: Error {
    var cartID: Int64
}

extension Checkout {
    /// `payCard`, and once more when the processor did not answer: the retry first asks the processor what
    /// became of the first attempt (its key is saved), so a charge that did go through is recorded, never made
    /// twice.
    func payCardRetryingOnce(cartID: Int64, amount: Int64?, _ ctx: TillContext) throws -> TenderOutcome {
        do {
            return try payCard(cartID: cartID, amount: amount, ctx)
        } catch let failure as CardTenderFailure where !failure.reason.isDefinite {
            ctx.progress.report("Card: no answer; asking the processor again")
        }
        do {
            return try payCard(cartID: cartID, amount: amount, ctx)
        } catch let failure as CardTenderFailure where !failure.reason.isDefinite {
            throw UnansweredCharge(cartID: cartID)
        } catch {
            let open = try store.read { db in try CardAttempt.unanswered(db, orderID: cartID) }
            if !open.isEmpty { throw UnansweredCharge(cartID: cartID) }
            throw error
        }
    }
}
