import Foundation
import GRDB

/// What the customer's screen at a register shows: the sale as it is rung up, then for a short while the change
/// due and a thank-you, else a welcome. Read-only, from the store file the till writes — the open cart is
/// rewritten on every scan — and only what the customer may see: no card details (none are stored beyond a
/// brand and last digits, and those are not shown either), no cashier, no costs.
public struct CustomerDisplay: Equatable, Sendable {
    public struct Line: Equatable, Sendable {
        public var name: String
        public var quantity: Quantity
        /// Sold by weight: the quantity is kilograms and the unit price is per kg.
        public var weighed: Bool
        public var unitPrice: Int64
        /// What came off the line (its discount and any promotion), as a positive amount.
        public var discount: Int64
        public var promotion: String?
        public var total: Int64

        /// `2`, or `0.450 kg`.
        public var quantityText: String { weighed ? "\(quantity.kilograms) kg" : quantity.description }
    }

    public struct Sale: Equatable, Sendable {
        public var lines: [Line]
        public var items: ItemCount
        public var subtotal: Int64
        public var discountTotal: Int64
        public var taxTotal: Int64
        public var taxInclusive: Bool
        public var total: Int64
        /// Tenders taken so far (a card part of a split payment, say).
        public var paid: Int64

        public var due: Int64 { total - paid }
    }

    /// One kind of tender of a completed sale: `Cash €20.00` (handed over), `Card €5.00`.
    public struct Tender: Equatable, Sendable {
        public var method: PaymentMethod
        public var amount: Int64

        public var label: String {
            switch method {
            case .cash: return "Cash"
            case .card: return "Card"
            case .credit: return "Store credit"
            case .points: return "Points"
            }
        }
    }

    public struct Thanks: Equatable, Sendable {
        public var number: Int64
        public var total: Int64
        public var tenders: [Tender]
        /// What the cashier hands back.
        public var change: Int64
        /// When the thank-you gives way to the welcome screen.
        public var until: Date
    }

    public enum Screen: Equatable, Sendable {
        case welcome
        case sale(Sale)
        case thanks(Thanks)
    }

    public var storeName: String
    public var register: String
    public var currency: Currency
    public var screen: Screen

    public init(storeName: String, register: String, currency: Currency, screen: Screen) {
        self.storeName = storeName
        self.register = register
        self.currency = currency
        self.screen = screen
    }

    public func money(_ minorUnits: Int64) -> String { Money(minorUnits: minorUnits, currency: currency).formatted() }

    /// When the screen changes by itself (a thank-you ending), with no write to the store.
    public var changesAt: Date? {
        if case let .thanks(thanks) = screen { return thanks.until }
        return nil
    }
}

/// The customer display's queries.
public enum CustomerDisplays {
    /// How long the change due and the thank-you stay up after a sale.
    public static let thanksSeconds: TimeInterval = 30

    /// The screen for `register` at `now`: its open cart with lines; else its sale completed in the last
    /// `thanksSeconds`; else the welcome.
    public static func read(_ db: Database, register: String, now: Date, thanksSeconds: TimeInterval = thanksSeconds) throws -> CustomerDisplay {
        let settings = try StoreSettings.load(db)
        var display = CustomerDisplay(storeName: settings.name, register: register, currency: settings.currency, screen: .welcome)
        if let order = try Carts.newestOpen(db, register: register) {
            let cart = try Carts.load(db, order: order)
            if !cart.lines.isEmpty {
                display.screen = .sale(sale(cart))
                return display
            }
        }
        // The index on completed_at finds the few sales of the last half minute; the register is checked on them.
        let since = now.addingTimeInterval(-thanksSeconds)
        if let order = try Order.fetchOne(db.cachedStatement(sql: """
            SELECT * FROM orders WHERE completed_at >= ? AND register = ? AND number IS NOT NULL AND status <> 'voided'
            ORDER BY completed_at DESC, id DESC LIMIT 1
            """), arguments: [since, register]), let completedAt = order.completedAt, let number = order.number,
           // A sale parked since was the next customer's: the thank-you was not for them (found on a walk).
           try Date.fetchOne(db, sql: """
               SELECT MAX(o.updated_at) FROM orders o WHERE o.register = ? AND o.status = 'parked'
                 AND EXISTS (SELECT 1 FROM order_line WHERE order_id = o.id)
               """, arguments: [register]).map({ $0 <= completedAt }) ?? true {
            let payments = try Payment.fetchAll(db.cachedStatement(sql: "SELECT * FROM payment WHERE order_id = ? AND status = 'captured' ORDER BY id"),
                                                arguments: [order.id])
            // Cash as it was handed over (the change comes back from it), the rest as taken.
            var tenders: [CustomerDisplay.Tender] = []
            for payment in payments {
                let amount = payment.method == .cash ? payment.tendered ?? payment.amount : payment.amount
                if let index = tenders.firstIndex(where: { $0.method == payment.method }) {
                    tenders[index].amount += amount
                } else {
                    tenders.append(CustomerDisplay.Tender(method: payment.method, amount: amount))
                }
            }
            display.screen = .thanks(CustomerDisplay.Thanks(
                number: number, total: order.total, tenders: tenders,
                change: payments.reduce(0) { $0 + ($1.change ?? 0) }, until: completedAt.addingTimeInterval(thanksSeconds)))
        }
        return display
    }

    static func sale(_ cart: Cart) -> CustomerDisplay.Sale {
        CustomerDisplay.Sale(
            lines: cart.lines.map { line in
                CustomerDisplay.Line(name: line.name, quantity: line.quantity, weighed: cart.isWeighed(line), unitPrice: line.unitPrice,
                                     discount: line.discount, promotion: line.promotion, total: line.total)
            },
            items: cart.items, subtotal: cart.order.subtotal, discountTotal: cart.order.discountTotal,
            taxTotal: cart.order.taxTotal, taxInclusive: cart.order.taxInclusive, total: cart.order.total, paid: cart.paid)
    }

    /// The registers this store knows: the default one, and every one with a sale, a shift, a card reader or a
    /// scale. A new register shows up once it has opened a shift or rung up a sale.
    public static func registers(_ db: Database) throws -> [String] {
        let named = try String.fetchAll(db, sql: """
            SELECT register FROM card_reader UNION SELECT register FROM register_scale UNION SELECT register FROM shift
            UNION SELECT register FROM orders WHERE status IN ('open', 'parked') AND status = 'open'
            """)
        var known = Set(named)
        known.insert(TillContext.defaultRegister)
        return known.sorted()
    }

    /// Whether `register` is one of this store's, looking at its sales too (a register that never opened a shift).
    public static func registerExists(_ db: Database, register: String) throws -> Bool {
        if try registers(db).contains(register) { return true }
        return try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM orders WHERE register = ?)", arguments: [register]) ?? false
    }
}

/// The customer display's own read connection on the store file, asked a few times a second whether anything
/// changed: `PRAGMA data_version` moves when another connection commits, and only then is the screen read again
/// (or when a thank-you is due to end). It never writes. In WAL mode a reader never blocks the till's writes, and each read is
/// one short transaction, so the till is not slowed.
public final class CustomerDisplayWatcher {
    public let register: String
    private let connection: DatabaseQueue
    private var lastVersion: Int64?
    private var current: CustomerDisplay?

    public init(path: String, register: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw TillError.storeMissing(path) }
        var configuration = Configuration()
        configuration.busyMode = .timeout(StoreDatabase.busyTimeout)
        configuration.label = "customer-display"
        do {
            connection = try DatabaseQueue(path: path, configuration: configuration)
        } catch let error as DatabaseError {
            throw StoreDatabase.describe(error, path: path)
        }
        self.register = register
    }

    /// The screen when it changed since the last call (the first call always answers); nil when unchanged.
    public func poll(now: Date) throws -> CustomerDisplay? {
        // What was shown and when it expires, as plain values read before the database closure: the release
        // compiler (Swift 6.3.1) crashed in CopyPropagation on the stored optional read inside it.
        let shown = current
        var due = false
        if let shown, case let .thanks(thanks) = shown.screen { due = now >= thanks.until }
        let known = lastVersion
        let register = self.register
        do {
            let answer: (version: Int64, display: CustomerDisplay)? = try connection.read { db in
                let version = try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? 0
                guard version != known || shown == nil || due else { return nil }
                return (version, try CustomerDisplays.read(db, register: register, now: now))
            }
            guard let answer else { return nil }
            lastVersion = answer.version
            guard answer.display != shown else { return nil }
            current = answer.display
            return answer.display
        } catch let error as DatabaseError {
            throw StoreDatabase.describe(error, path: connection.path)
        }
    }
}
