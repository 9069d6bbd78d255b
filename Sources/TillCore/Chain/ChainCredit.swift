import Foundation
import GRDB

/// Gift cards and store credit in a chain store: the balance lives at head office, so any store may take a
/// card another sold. Taking one is a hold at HQ (chain-wide, under the card's lock there), then the payment
/// in the store's own transaction; the redemption reaches HQ through the outbox and captures the hold, and a
/// payment cancelled before the sale completes gives it back (its reversal releases the hold).
///
/// The hold is written down here before HQ is asked (`credit_hold`, state `asked`), so a till killed between
/// HQ's yes and its own commit leaves a trace: the sync agent releases such holds at HQ a little later
/// (`unsettledHolds`). Nothing is ever taken from a card without a local record, nor reserved forever.
///
/// Offline, a card is refused unless the store allows an offline amount (`offline_credit_per_card`, and over
/// all cards `offline_credit_per_store`, both 0 by default): that redemption is the store's risk, reaches HQ
/// later, and if the card had less than that left, HQ records the overdraft as an exception.
public enum ChainCredit {
    /// How long a hold may stay asked-for before the agent gives it back: far longer than a payment takes.
    public static let abandonAfter: TimeInterval = 120

    static func create(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE credit_entry ADD COLUMN hq_hold TEXT;
            ALTER TABLE credit_entry ADD COLUMN offline INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE payment ADD COLUMN credit_hold TEXT;
            -- Below zero is refused where this file holds the balance; a chain store's balance is at HQ, which
            -- granted the hold (or the store's offline allowance let it through).
            DROP TRIGGER credit_entry_not_below_zero;
            CREATE TRIGGER credit_entry_not_below_zero BEFORE INSERT ON credit_entry
            WHEN NEW.hq_hold IS NULL AND NEW.offline = 0
             AND (SELECT COALESCE(SUM(delta), 0) FROM credit_entry WHERE account_id = NEW.account_id) + NEW.delta < 0
            BEGIN SELECT RAISE(ABORT, 'store credit balance cannot go below zero'); END;
            CREATE TABLE credit_hold (
                hold_id TEXT PRIMARY KEY,
                code TEXT NOT NULL,
                amount INTEGER NOT NULL CHECK (amount > 0),
                order_id INTEGER REFERENCES orders(id) ON DELETE SET NULL,
                state TEXT NOT NULL CHECK (state IN ('asked', 'used', 'released')),
                created_at DATETIME NOT NULL,
                settled_at DATETIME
            );
            CREATE INDEX credit_hold_asked ON credit_hold(created_at) WHERE state = 'asked';
            """)
    }

    /// The card's balance: HQ's when it answers, else what this store knows (marked as such).
    public static func lookup(code: String, _ ctx: TillContext) throws -> CreditAtHeadOffice? {
        guard let office = ctx.headOffice else { throw HeadOfficeUnreachable("this till has no line to head office") }
        return try office.creditLookup(code: code.trimmingCharacters(in: .whitespaces))
    }

    /// Pays from a card in a chain store (see the type's comment). `amount` nil: what is due or what the card
    /// has available, whichever is less.
    static func pay(_ checkout: Checkout, cartID: Int64, code rawCode: String, amount: Int64?,
                    _ ctx: TillContext) throws -> TenderOutcome {
        let store = checkout.store
        let code = rawCode.trimmingCharacters(in: .whitespaces)
        guard !code.isEmpty else { throw TillError.invalid("a store credit payment needs the slip or gift card's code") }
        let (cart, settings) = try store.read { db in (try Carts.load(db, id: cartID), try StoreSettings.load(db)) }
        guard cart.order.status == .open else { throw TillError.invalid("sale #\(cartID) is not open") }
        guard !cart.isEmpty else { throw TillError.invalid("the sale has no items") }
        let currency = settings.currency
        func money(_ units: Int64) -> String { Money(minorUnits: units, currency: currency).formatted() }
        if let amount, amount > cart.due {
            throw TillError.invalid("credit payment of \(money(amount)) is more than the \(money(cart.due)) due")
        }
        do {
            guard let office = ctx.headOffice else { throw HeadOfficeUnreachable("this till has no line to head office") }
            guard let card = try office.creditLookup(code: code) else {
                throw TillError.notFound("gift card or store credit \"\(code)\" at head office")
            }
            guard card.currency == currency.code else {
                throw TillError.invalid("\(card.code) holds \(card.currency), this store sells in \(currency.code)")
            }
            guard card.available > 0 else {
                throw TillError.invalid("\(card.code) has nothing left" + (card.held > 0 ? " (\(money(card.held)) is being spent at a till now)" : ""))
            }
            let want = amount ?? min(card.available, cart.due)
            guard want <= card.available else {
                throw TillError.invalid("\(card.code) has \(money(card.available)) available, not \(money(want))")
            }
            let holdID = UUIDv7.make()
            try store.write { db in
                try db.execute(sql: """
                    INSERT INTO credit_hold(hold_id, code, amount, order_id, state, created_at) VALUES (?, ?, ?, ?, 'asked', ?)
                    """, arguments: [holdID, card.code, want, cartID, ctx.now])
            }
            switch try office.holdCredit(holdID: holdID, code: card.code, amount: want) {
            case .unknownCard:
                try settle(store, holdID, as: "released", at: ctx.now)
                throw TillError.notFound("gift card or store credit \"\(code)\" at head office")
            case .refused(let available):
                try settle(store, holdID, as: "released", at: ctx.now)
                throw TillError.invalid("\(card.code) has \(money(available)) available now, not \(money(want)): another till has just taken from it")
            case .granted:
                do {
                    return try record(checkout, cartID: cartID, code: card.code,
                                      tender: Tender(method: .credit, amount: want, creditCode: card.code, creditHold: holdID), ctx)
                } catch {
                    // Not saved here: HQ must not keep it reserved.
                    try? office.releaseCredit(holdID: holdID)
                    try? settle(store, holdID, as: "released", at: ctx.now)
                    throw error
                }
            }
        } catch let unreachable as HeadOfficeUnreachable {
            return try payOffline(checkout, cart: cart, code: code, amount: amount, settings: settings,
                                  reason: unreachable.reason, ctx)
        }
    }

    /// While HQ cannot be asked: only what the store's offline allowance covers.
    static func payOffline(_ checkout: Checkout, cart: Cart, code: String, amount: Int64?, settings: StoreSettings,
                           reason: String, _ ctx: TillContext) throws -> TenderOutcome {
        let currency = settings.currency
        func money(_ units: Int64) -> String { Money(minorUnits: units, currency: currency).formatted() }
        guard settings.offlineCreditPerCard > 0, settings.offlineCreditPerStore > 0 else {
            throw TillError.invalid("head office cannot be reached (\(reason)), and gift cards and store credit are taken only with HQ's hold here — take another tender (an offline allowance: till settings set offline_credit_per_card AMOUNT and offline_credit_per_store AMOUNT)")
        }
        let (cardUsed, storeUsed) = try checkout.store.read { db in
            (try offlineUnsent(db, code: code), try offlineUnsent(db, code: nil))
        }
        let left = min(settings.offlineCreditPerCard - cardUsed, settings.offlineCreditPerStore - storeUsed)
        guard left > 0 else {
            throw TillError.invalid("head office cannot be reached (\(reason)), and this store's offline allowance for gift cards is used up (\(money(cardUsed)) on \(code), \(money(storeUsed)) in all, not yet sent to HQ) — take another tender")
        }
        let want = amount ?? min(left, cart.due)
        guard want <= left else {
            throw TillError.invalid("head office cannot be reached (\(reason)): offline, \(code) may pay at most \(money(left)) here, not \(money(want))")
        }
        return try record(checkout, cartID: cart.id, code: code,
                          tender: Tender(method: .credit, amount: want, creditCode: code, creditOffline: true), ctx)
    }

    /// The payment in the store's own transaction; the card gets a local account when it is new here.
    private static func record(_ checkout: Checkout, cartID: Int64, code: String, tender: Tender,
                               _ ctx: TillContext) throws -> TenderOutcome {
        let date = ctx.now
        return try checkout.store.write { db in
            try Permissions.require(db, .sell, staffID: ctx.staffID)
            try CardAttempt.requireSettled(db, orderID: cartID, doing: "take store credit")
            try Checkout.takeOver(db, cartID: cartID, staffID: ctx.staffID)
            let account = try StoreCredit.findOrCreate(db, code: code, customerID: nil, at: date)
            var tender = tender
            tender.creditCode = account.code
            let cart = try Carts.reprice(db, orderID: cartID, at: date)
            let settings = try StoreSettings.load(db)
            let planned = try Checkout.planPayments([tender], due: cart.due, currency: settings.currency, allowShort: true).payments
            let outcome = try Checkout.finish(db, cart: cart, newPayments: planned, at: date)
            if let hold = tender.creditHold {
                try db.execute(sql: "UPDATE credit_hold SET state = 'used', settled_at = ? WHERE hold_id = ?", arguments: [date, hold])
            }
            return outcome
        }
    }

    static func settle(_ store: StoreDatabase, _ holdID: String, as state: String, at date: Date) throws {
        try store.write { db in
            try db.execute(sql: "UPDATE credit_hold SET state = ?, settled_at = ? WHERE hold_id = ? AND state = 'asked'",
                           arguments: [state, date, holdID])
        }
    }

    /// What was paid offline from `code` (nil: from every card) and HQ has not yet acknowledged.
    public static func offlineUnsent(_ db: Database, code: String?) throws -> Int64 {
        var sql = """
            SELECT COALESCE(-SUM(e.delta), 0) FROM credit_entry e JOIN credit_account a ON a.id = e.account_id
            JOIN chain_outbox o ON o.kind = 'credit' AND o.local_id = e.id
            WHERE e.offline = 1 AND e.delta < 0 AND o.seq > (SELECT acknowledged_seq FROM chain_store WHERE id = 1)
            """
        var arguments: StatementArguments = []
        if let code {
            sql += " AND a.code = ? COLLATE NOCASE"
            arguments += [code]
        }
        return try Int64.fetchOne(db, sql: sql, arguments: arguments) ?? 0
    }

    /// Holds asked for longer than `abandonAfter` and never used: the till stopped between HQ's answer and its
    /// own commit. The sync agent releases them at HQ and marks them here.
    public static func unsettledHolds(_ store: StoreDatabase, now: Date) throws -> [String] {
        try store.read { db in
            try String.fetchAll(db, sql: "SELECT hold_id FROM credit_hold WHERE state = 'asked' AND created_at < ? ORDER BY created_at",
                                arguments: [now.addingTimeInterval(-abandonAfter)])
        }
    }

    public static func markReleased(_ store: StoreDatabase, holdID: String, at date: Date) throws {
        try settle(store, holdID, as: "released", at: date)
    }
}
