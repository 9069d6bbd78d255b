import Foundation
import GRDB

/// Loyalty points as a tender (migration `v17-chain-points`): a chain customer pays with points at the chain's
/// value per point, at any store, under the same rule as gift cards.
///
/// The points ledger is at head office (every store's earnings, take-backs and redemptions), so spending them is
/// a hold at HQ first — under the customer's lock there, so two tills spending the same points at once cannot
/// both have them — then, in the sale's own transaction, the payment and a `redeem` entry carrying the hold. The
/// entry's event captures the hold at HQ. A points payment cancelled before the sale completes, and a refund of
/// a sale paid with points, write a `restore` entry: the points come back. The hold is written here as `asked`
/// before HQ is asked, so a till killed in between leaves a trace the sync agent releases (after
/// `ChainCredit.abandonAfter`).
///
/// Offline, points are not taken at all: unlike a gift card there is no offline allowance — a customer's points
/// are small change next to the risk of spending them twice, and the till says to take another tender.
/// Points paid with earn no points.
public enum ChainPoints {
    static func create(_ db: Database) throws {
        try TableRebuild.replace(db, table: "payment", "CHECK (method IN ('cash', 'card', 'credit'))",
                                 with: "CHECK (method IN ('cash', 'card', 'credit', 'points'))")
        try TableRebuild.replace(db, table: "refund_tender", "CHECK (method IN ('cash', 'card', 'credit'))",
                                 with: "CHECK (method IN ('cash', 'card', 'credit', 'points'))")
        try TableRebuild.replace(db, table: "loyalty_entry", "CHECK (reason IN ('earn', 'refund', 'adjust'))",
                                 with: "CHECK (reason IN ('earn', 'refund', 'adjust', 'redeem', 'restore'))")
        try db.execute(sql: """
            ALTER TABLE payment ADD COLUMN points INTEGER;
            ALTER TABLE payment ADD COLUMN points_hold TEXT;
            ALTER TABLE loyalty_entry ADD COLUMN hq_hold TEXT;
            ALTER TABLE loyalty_entry ADD COLUMN payment_id INTEGER REFERENCES payment(id) ON DELETE RESTRICT;
            CREATE TABLE points_hold (
                hold_id TEXT PRIMARY KEY,
                customer_id INTEGER NOT NULL REFERENCES customer(id) ON DELETE RESTRICT,
                points INTEGER NOT NULL CHECK (points > 0),
                order_id INTEGER REFERENCES orders(id) ON DELETE SET NULL,
                state TEXT NOT NULL CHECK (state IN ('asked', 'used', 'released')),
                created_at DATETIME NOT NULL,
                settled_at DATETIME
            );
            CREATE INDEX points_hold_asked ON points_hold(created_at) WHERE state = 'asked';
            """)
    }

    /// What `points` are worth at `pointValue` minor units each, and how many points pay `amount` at most.
    static func value(of points: Int64, pointValue: Int64) -> Int64 { points * pointValue }
    static func points(paying amount: Int64, pointValue: Int64) -> Int64 { pointValue > 0 ? amount / pointValue : 0 }

    /// Pays with the sale's customer's points. `amount` nil: as much of what is due as their points cover.
    static func pay(_ checkout: Checkout, cartID: Int64, amount: Int64?, _ ctx: TillContext) throws -> TenderOutcome {
        let store = checkout.store
        let (cart, settings, membership) = try store.read { db in
            (try Carts.load(db, id: cartID), try StoreSettings.load(db), try ChainStore.membership(db))
        }
        let currency = settings.currency
        func money(_ units: Int64) -> String { Money(minorUnits: units, currency: currency).formatted() }
        guard membership != nil else { throw TillError.invalid("points are a chain's: this store is not in one") }
        guard settings.loyaltyPointValue > 0 else {
            throw TillError.invalid("points have no value in this chain (head office sets it: till hq loyalty set --point-value 0.01)")
        }
        guard cart.order.status == .open else { throw TillError.invalid("sale #\(cartID) is not open") }
        guard !cart.isEmpty else { throw TillError.invalid("the sale has no items") }
        guard let customerID = cart.order.customerID,
              let globalID = try store.read({ db in try ChainCustomers.globalID(db, customerID: customerID) }) else {
            throw TillError.invalid("points are the customer's: name the customer on the sale first")
        }
        if let amount, amount > cart.due {
            throw TillError.invalid("a points payment of \(money(amount)) is more than the \(money(cart.due)) due")
        }
        guard let office = ctx.headOffice else { throw offline("this till has no line to head office") }
        let balance: LoyaltyAtHeadOffice
        do {
            balance = try office.loyaltyBalance(customer: globalID)
        } catch let error as HeadOfficeUnreachable {
            throw offline(error.reason)
        }
        let available = max(0, balance.points - balance.held)
        let want = points(paying: amount ?? cart.due, pointValue: settings.loyaltyPointValue)
        let spend = amount == nil ? min(want, available) : want
        guard spend > 0 else {
            if available == 0 { throw TillError.invalid("the customer has no points to spend" + (balance.held > 0 ? " (\(balance.held) are being spent at a till now)" : "")) }
            throw TillError.invalid("\(money(amount ?? cart.due)) is less than one point (\(money(settings.loyaltyPointValue)))")
        }
        guard spend <= available else {
            throw TillError.invalid("the customer has \(available) points (\(money(value(of: available, pointValue: settings.loyaltyPointValue)))), not \(spend)")
        }
        let paid = value(of: spend, pointValue: settings.loyaltyPointValue)
        let holdID = UUIDv7.make()
        try store.write { db in
            try db.execute(sql: """
                INSERT INTO points_hold(hold_id, customer_id, points, order_id, state, created_at) VALUES (?, ?, ?, ?, 'asked', ?)
                """, arguments: [holdID, customerID, spend, cartID, ctx.now])
        }
        let answer: CreditHoldAnswer
        do {
            answer = try office.holdPoints(holdID: holdID, customer: globalID, points: spend)
        } catch let error as HeadOfficeUnreachable {
            throw offline(error.reason)  // the asked hold is released by the sync agent
        }
        switch answer {
        case .unknownCard:
            try settle(store, holdID, as: "released", at: ctx.now)
            throw TillError.invalid("head office does not know this customer yet (created offline? sync first): their points cannot be spent")
        case let .refused(left):
            try settle(store, holdID, as: "released", at: ctx.now)
            throw TillError.invalid("the customer has \(left) points available now, not \(spend): another till has just spent some")
        case .granted:
            do {
                return try store.write { db in
                    try Permissions.require(db, .sell, staffID: ctx.staffID)
                    try CardAttempt.requireSettled(db, orderID: cartID, doing: "take points")
                    try Checkout.takeOver(db, cartID: cartID, staffID: ctx.staffID)
                    let cart = try Carts.reprice(db, orderID: cartID, at: ctx.now)
                    guard paid <= cart.due else {
                        throw TillError.invalid("a points payment of \(money(paid)) is more than the \(money(cart.due)) due")
                    }
                    let tender = Tender(method: .points, amount: paid, points: spend, pointsHold: holdID)
                    let planned = try Checkout.planPayments([tender], due: cart.due, currency: currency, allowShort: true).payments
                    let outcome = try Checkout.finish(db, cart: cart, newPayments: planned, at: ctx.now)
                    try db.execute(sql: "UPDATE points_hold SET state = 'used', settled_at = ? WHERE hold_id = ?", arguments: [ctx.now, holdID])
                    return outcome
                }
            } catch {
                try? office.releasePoints(holdID: holdID)
                try? settle(store, holdID, as: "released", at: ctx.now)
                throw error
            }
        }
    }

    /// The payment's ledger entry, in the sale's transaction (`Checkout.insertPayments`).
    static func recordRedemption(_ db: Database, paymentID: Int64, orderID: Int64, tender: Tender, at date: Date) throws {
        guard let points = tender.points, points > 0,
              let customerID = try Int64.fetchOne(db, sql: "SELECT customer_id FROM orders WHERE id = ?", arguments: [orderID]) else {
            throw TillError.invalid("a points payment needs the sale's customer and how many points")
        }
        try db.execute(sql: "UPDATE payment SET points = ?, points_hold = ? WHERE id = ?", arguments: [points, tender.pointsHold, paymentID])
        try db.execute(sql: """
            INSERT INTO loyalty_entry(customer_id, points, reason, order_id, payment_id, hq_hold, created_at)
            VALUES (?, ?, 'redeem', ?, ?, ?, ?)
            """, arguments: [customerID, -points, orderID, paymentID, tender.pointsHold, date])
    }

    /// Points back for `amount` of a points payment (cancelled before the sale completed, or refunded), in
    /// proportion; never more than the payment spent less what already came back.
    static func restore(_ db: Database, paymentID: Int64, amount: Int64, refundID: Int64?, at date: Date) throws {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT p.points, p.amount, p.points_hold, o.customer_id, p.order_id FROM payment p JOIN orders o ON o.id = p.order_id WHERE p.id = ?
            """, arguments: [paymentID]), let spent = row["points"] as Int64?, let customerID = row["customer_id"] as Int64? else { return }
        let paid: Int64 = row["amount"]
        let back = try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(points), 0) FROM loyalty_entry WHERE payment_id = ? AND reason = 'restore'",
                                      arguments: [paymentID]) ?? 0
        guard paid > 0 else { return }
        let share = amount >= paid ? spent : spent * amount / paid
        let points = min(spent - back, share)
        guard points > 0 else { return }
        try db.execute(sql: """
            INSERT INTO loyalty_entry(customer_id, points, reason, order_id, refund_id, payment_id, hq_hold, created_at)
            VALUES (?, ?, 'restore', ?, ?, ?, ?, ?)
            """, arguments: [customerID, points, row["order_id"] as Int64, refundID, paymentID, row["points_hold"] as String?, date])
    }

    static func offline(_ reason: String) -> TillError {
        TillError.invalid("head office cannot be reached (\(reason)): points are spent only with head office's hold — take another tender")
    }

    static func settle(_ store: StoreDatabase, _ holdID: String, as state: String, at date: Date) throws {
        try store.write { db in
            try db.execute(sql: "UPDATE points_hold SET state = ?, settled_at = ? WHERE hold_id = ? AND state = 'asked'",
                           arguments: [state, date, holdID])
        }
    }

    /// Holds asked for longer than `ChainCredit.abandonAfter` and never used: the sync agent releases them.
    public static func unsettledHolds(_ store: StoreDatabase, now: Date) throws -> [String] {
        try store.read { db in
            try String.fetchAll(db, sql: "SELECT hold_id FROM points_hold WHERE state = 'asked' AND created_at < ? ORDER BY created_at",
                                arguments: [now.addingTimeInterval(-ChainCredit.abandonAfter)])
        }
    }

    public static func markReleased(_ store: StoreDatabase, holdID: String, at date: Date) throws {
        try settle(store, holdID, as: "released", at: date)
    }
}

extension Checkout {
    /// Pays with the sale's customer's loyalty points (a chain store, online): `amount` nil pays as much of what is
    /// due as the points cover. Completes the sale when that pays it off.
    public func payPoints(cartID: Int64, amount: Int64? = nil, _ ctx: TillContext) throws -> TenderOutcome {
        try ChainPoints.pay(self, cartID: cartID, amount: amount, ctx)
    }
}
