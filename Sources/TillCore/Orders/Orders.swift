import Foundation
import GRDB

/// An order as a list shows it.
public struct OrderSummary: Equatable, Sendable, FetchableRecord, Identifiable {
    public var id: Int64
    public var number: Int64?
    public var status: OrderStatus
    public var completedAt: Date?
    public var createdAt: Date
    public var total: Int64
    public var currency: String
    public var customerName: String?
    public var staffUsername: String?
    public var lineCount: Int
    /// What the cashier called a parked sale ("red coat lady"), if anything.
    public var parkLabel: String?

    public init(row: Row) {
        id = row["id"]
        number = row["number"]
        status = OrderStatus(rawValue: row["status"]) ?? .open
        completedAt = row["completed_at"]
        createdAt = row["created_at"]
        total = row["total"]
        currency = row["currency"]
        customerName = row["customer_name"]
        staffUsername = row["staff_username"]
        lineCount = row["line_count"]
        parkLabel = row["park_label"]
    }
}

/// Everything about one order.
public struct OrderDetail: Equatable, Sendable {
    public var order: Order
    public var lines: [OrderLine]
    public var payments: [Payment]
    public var customer: Customer?
    public var staff: StaffMember?
    public var refunds: [RefundDetail] = []
    public var notes: [OrderNote] = []
    /// Oldest first: created, each payment, completed, then refunds, voids and notes from the audit log.
    public var timeline: [OrderEvent] = []
    /// Store-credit codes by account id, for the payments and refunds that used one.
    public var creditCodes: [Int64: String] = [:]
    /// Loyalty points the sale earned (chain stores with a scheme), and the customer's balance as far as the
    /// store knows it (HQ's last answer plus what HQ has not yet received); nil when unknown.
    public var pointsEarned: Int64 = 0
    public var pointsBalance: Int64?
    /// The signed code its receipt carries (its journal entry), for a completed sale.
    public var receiptCode: ReceiptCode?
    /// Why the sale no longer reads as its signed journal entry (it was edited outside Till); nil when it does.
    public var journalProblem: String?

    /// Tax per class, summed from the lines.
    public var taxes: [(code: String, ratePPM: Int64, tax: Int64)] {
        var order: [String] = []
        var sums: [String: (Int64, Int64)] = [:]
        for line in lines {
            if sums[line.taxClass] == nil { order.append(line.taxClass) }
            let current = sums[line.taxClass] ?? (line.taxRatePPM, 0)
            sums[line.taxClass] = (current.0, current.1 + line.tax)
        }
        return order.map { ($0, sums[$0]?.0 ?? 0, sums[$0]?.1 ?? 0) }
    }

    public static func == (lhs: OrderDetail, rhs: OrderDetail) -> Bool {
        lhs.order == rhs.order && lhs.lines == rhs.lines && lhs.payments == rhs.payments && lhs.refunds == rhs.refunds
            && lhs.notes == rhs.notes && lhs.timeline == rhs.timeline
    }
}

extension OrderDetail {
    /// What is left to refund per line (quantity), from the completed and pending refunds.
    public var quantityRefunded: [Int64: Quantity] {
        var sums: [Int64: Int64] = [:]
        for refund in refunds where refund.refund.status != .failed {
            for line in refund.lines { if let id = line.orderLineID { sums[id, default: 0] += line.quantityMilli } }
        }
        return sums.mapValues { Quantity(milli: $0) }
    }

    public var amountRefunded: Int64 {
        refunds.filter { $0.refund.status == .completed }.reduce(0) { $0 + $1.refund.amount }
    }

    static func describe(_ entry: AuditEntry, currency: Currency = .EUR) -> String {
        struct Summary: Decodable { var amount: String?; var lines: [String]?; var to: [String]? }
        let summary = entry.after.flatMap { try? JSONDecoder().decode(Summary.self, from: Data($0.utf8)) }
        let suffix = entry.note.map { " — \($0)" } ?? ""
        // The log keeps plain decimals; the timeline says them in the order's money, as everywhere else.
        func money(_ text: String) -> String? {
            (try? Money.parseDecimal(text, currency: currency)).map { $0.formatted() }
        }
        switch entry.action {
        case "order.refund", "order.void":
            let verb = entry.action == "order.void" ? "voided" : "refunded"
            let lines = summary?.lines?.joined(separator: ", ") ?? ""
            let tenders = summary?.to ?? []
            let to = tenders.map { tender -> String in
                var words = tender.split(separator: " ").map(String.init)
                guard let last = words.last, let amount = money(last) else { return tender }
                // One tender took it all: its amount is the refund's, said once.
                if tenders.count == 1 { words.removeLast() } else { words[words.count - 1] = amount }
                return words.joined(separator: " ")
            }.joined(separator: ", ")
            let amount = summary?.amount.map { money($0) ?? $0 } ?? ""
            return "\(verb) \(amount) (\(lines)) to \(to)" + suffix
        case "order.note":
            return "note: \(entry.note ?? "")"
        case "refund.failed":
            return "refund refused by the processor" + suffix
        case "receipt.reprint":
            return "receipt reprinted" + suffix
        default:
            return entry.action + suffix
        }
    }
}

/// What an order list is filtered by. Text matches an order number (exact or its start), a customer's name,
/// email or phone, and four digits alone also a card's last four; dates bound the completion day. What a person
/// types is read into one by `OrderQuery(parsing:currency:calendar:)` (see `OrderSearchSyntax`).
public struct OrderQuery: Equatable, Sendable {
    public var text: String
    public var from: Date?
    public var to: Date?
    public var statuses: [OrderStatus]
    /// Exact order number.
    public var number: Int64?
    /// Customer name, email or phone contains this.
    public var customer: String?
    /// Phone digits contained in the customer's phone.
    public var phone: String?
    /// A card's last four digits on any payment.
    public var last4: String?
    /// A SKU (exact) or product-name words on any line.
    public var sku: String?
    /// Total between these amounts (minor units, inclusive).
    public var minTotal: Int64?
    public var maxTotal: Int64?
    public var staff: String?

    public init(text: String = "", from: Date? = nil, to: Date? = nil,
                statuses: [OrderStatus] = [.completed, .voided, .partiallyRefunded, .refunded],
                number: Int64? = nil, customer: String? = nil, phone: String? = nil, last4: String? = nil,
                sku: String? = nil, minTotal: Int64? = nil, maxTotal: Int64? = nil, staff: String? = nil) {
        self.text = text
        self.from = from
        self.to = to
        self.statuses = statuses
        self.number = number
        self.customer = customer
        self.phone = phone
        self.last4 = last4
        self.sku = sku
        self.minTotal = minTotal
        self.maxTotal = maxTotal
        self.staff = staff
    }
}

public struct Orders: Sendable {
    public let store: StoreDatabase

    public init(store: StoreDatabase) { self.store = store }

    /// Digits of a phone number matched by `phone` searches: the local number.
    public static let phoneTailLength = PhoneNumber.tailLength

    /// Newest first, one page at a time.
    public func search(_ query: OrderQuery = OrderQuery(), limit: Int = 50, offset: Int = 0) throws -> [OrderSummary] {
        // Completed orders (and their later states) always have completed_at: ordering and ranges on it use the
        // index; carts in progress fall back to when they were started.
        let completedOnly = !query.statuses.contains(.open) && !query.statuses.contains(.parked)
        let time = completedOnly ? "o.completed_at" : "COALESCE(o.completed_at, o.created_at)"
        var conditions = ["o.status IN (\(query.statuses.map { "'\($0.rawValue)'" }.joined(separator: ",")))"]
        if query.statuses.allSatisfy({ $0 == .open || $0 == .parked }) {
            conditions.append("o.status IN ('open', 'parked')")  // the partial index's own words, so SQLite uses it
        }
        var arguments: StatementArguments = []
        let text = query.text.trimmingCharacters(in: .whitespaces)
        if !text.isEmpty {
            var alternatives: [String] = []
            let numberText = text.hasPrefix("#") ? String(text.dropFirst()) : text
            if !numberText.isEmpty, numberText.allSatisfy(\.isASCIIDigit), numberText.count <= 18 {
                alternatives.append("CAST(o.number AS TEXT) LIKE ?")
                arguments += [numberText + "%"]
            }
            // Four digits alone are what a customer reads off their card as often as an order number.
            if text.count == 4, text.allSatisfy(\.isASCIIDigit) {
                alternatives.append("o.id IN (SELECT order_id FROM payment WHERE card_last4 = ?)")
                arguments += [text]
            }
            let customer = Orders.customerMatch(text, countryCode: try phoneCountryCode())
            alternatives += customer.alternatives
            arguments += customer.arguments
            // Words are also what was bought ("roughly what they bought": shirt). From three letters on, so the
            // first key of a search-as-you-type does not look through every line sold.
            if text.filter(\.isLetter).count >= 3, let pattern = FTS5Pattern(matchingAllPrefixesIn: text) {
                alternatives.append("o.id IN (SELECT order_id FROM order_line WHERE variant_id IN (SELECT rowid FROM variant_search WHERE variant_search MATCH ?))")
                arguments += [pattern]
            }
            conditions.append("(" + alternatives.joined(separator: " OR ") + ")")
        }
        if let number = query.number {
            conditions.append("o.number = ?")
            arguments += [number]
        }
        if let customer = query.customer?.trimmingCharacters(in: .whitespaces), !customer.isEmpty {
            let match = Orders.customerMatch(customer, countryCode: try phoneCountryCode())
            conditions.append("(" + match.alternatives.joined(separator: " OR ") + ")")
            arguments += match.arguments
        }
        if let phone = query.phone {
            guard let digits = Customer.digits(of: phone), digits.count >= 4 else {
                throw TillError.invalid("a phone search needs at least 4 digits")
            }
            // Customers first, then their orders through (customer_id, completed_at): a LEFT JOIN condition
            // alone would make SQLite walk every order.
            if let match = PhoneNumber.condition(column: "phone_digits", text: phone, countryCode: try phoneCountryCode()) {
                // Indexed on the local number, and it matches however the prefix was typed (+49 30 …, 030 …).
                conditions.append("o.customer_id IN (SELECT id FROM customer WHERE \(match.sql))")
                arguments += match.arguments
            } else {
                conditions.append("o.customer_id IN (SELECT id FROM customer WHERE phone_digits LIKE ?)")
                arguments += ["%" + digits]
            }
        }
        if let last4 = query.last4 {
            guard last4.count == 4, last4.allSatisfy(\.isASCIIDigit) else { throw TillError.invalid("last four is 4 digits") }
            conditions.append("o.id IN (SELECT order_id FROM payment WHERE card_last4 = ?)")
            arguments += [last4]
        }
        if let sku = query.sku?.trimmingCharacters(in: .whitespaces), !sku.isEmpty {
            var alternatives = ["o.id IN (SELECT order_id FROM order_line WHERE sku = ? COLLATE NOCASE)"]
            arguments += [sku]
            if let pattern = FTS5Pattern(matchingAllPrefixesIn: sku) {
                alternatives.append("o.id IN (SELECT order_id FROM order_line WHERE variant_id IN (SELECT rowid FROM variant_search WHERE variant_search MATCH ?))")
                arguments += [pattern]
            }
            conditions.append("(" + alternatives.joined(separator: " OR ") + ")")
        }
        if let minTotal = query.minTotal {
            conditions.append("o.total >= ?")
            arguments += [minTotal]
        }
        if let maxTotal = query.maxTotal {
            conditions.append("o.total <= ?")
            arguments += [maxTotal]
        }
        if let staff = query.staff {
            conditions.append("s.username = ? COLLATE NOCASE")
            arguments += [staff]
        }
        if let from = query.from {
            conditions.append("\(time) >= ?")
            arguments += [from]
        }
        if let to = query.to {
            conditions.append("\(time) < ?")
            arguments += [to]
        }
        let sql = """
            SELECT o.id, o.number, o.status, o.completed_at, o.created_at, o.total, o.currency,
                   c.name AS customer_name, s.username AS staff_username, o.park_label,
                   (SELECT COUNT(*) FROM order_line l WHERE l.order_id = o.id) AS line_count
            FROM orders o
            LEFT JOIN customer c ON c.id = o.customer_id
            LEFT JOIN staff s ON s.id = o.staff_id
            WHERE \(conditions.joined(separator: " AND "))
            ORDER BY \(time) DESC, o.id DESC
            LIMIT ? OFFSET ?
            """
        return try store.read { db in try OrderSummary.fetchAll(db, sql: sql, arguments: arguments + [limit, offset]) }
    }

    /// The customer's name or email contains `text`, or (with 4+ digits) their phone does, or their phone is
    /// the number `text` in another written form (see `PhoneNumber`).
    static func customerMatch(_ text: String, countryCode: String) -> (alternatives: [String], arguments: StatementArguments) {
        let like = "%" + escapeLike(text) + "%"
        var alternatives = ["c.name LIKE ? ESCAPE '\\'", "c.email LIKE ? ESCAPE '\\'"]
        var arguments: StatementArguments = [like, like]
        if let digits = Customer.digits(of: text), digits.count >= 4 {
            alternatives.append("c.phone_digits LIKE ?")
            arguments += ["%" + digits + "%"]
        }
        if let phone = PhoneNumber.condition(column: "c.phone_digits", text: text, countryCode: countryCode) {
            alternatives.append(phone.sql)
            arguments += phone.arguments
        }
        return (alternatives, arguments)
    }

    /// The store's default country calling code, for matching phones typed in national form.
    func phoneCountryCode() throws -> String {
        try store.read { db in try StoreSettings.load(db).phoneCountryCode }
    }

    public func detail(number: Int64) throws -> OrderDetail {
        try store.read { db in
            let order = try Order.numbered(db, number)
            return try Orders.detail(db, order: order)
        }
    }

    public func detail(id: Int64) throws -> OrderDetail {
        try store.read { db in
            guard let order = try Order.fetchOne(db, key: id) else { throw TillError.notFound("order id \(id)") }
            return try Orders.detail(db, order: order)
        }
    }

    static func detail(_ db: Database, order: Order) throws -> OrderDetail {
        let lines = try OrderLine.filter(Column("order_id") == order.id).order(Column("position")).fetchAll(db)
        let payments = try Payment.filter(Column("order_id") == order.id).order(Column("id")).fetchAll(db)
        let customer = try order.customerID.flatMap { try Customer.fetchOne(db, key: $0) }
        let staff = try order.staffID.flatMap { try StaffMember.fetchOne(db, key: $0) }
        var detail = OrderDetail(order: order, lines: lines, payments: payments, customer: customer, staff: staff)
        guard let orderID = order.id else { return detail }
        detail.refunds = try Refunds.forOrder(db, orderID: orderID)
        detail.notes = try OrderNotes.all(db, orderID: orderID)
        detail.pointsEarned = try ChainLoyalty.earned(db, orderID: orderID)
        detail.receiptCode = try ReceiptCode.forSale(db, orderID: orderID)
        if order.number != nil { detail.journalProblem = try JournalVerifier.saleProblem(db, orderID: orderID) }
        if detail.pointsEarned != 0, let customerID = order.customerID {
            detail.pointsBalance = try ChainLoyalty.knownBalance(db, customerID: customerID)
        }
        for row in try Row.fetchAll(db, sql: """
            SELECT id, code FROM credit_account WHERE id IN (SELECT credit_account_id FROM payment WHERE order_id = ?
                UNION SELECT t.credit_account_id FROM refund_tender t JOIN refund r ON r.id = t.refund_id WHERE r.order_id = ?)
            """, arguments: [orderID, orderID]) {
            detail.creditCodes[row["id"]] = row["code"]
        }
        let currency = (try? Currency.named(order.currency)) ?? .EUR
        func money(_ units: Int64) -> String { Money(minorUnits: units, currency: currency).formatted() }
        var events = [OrderEvent(at: order.createdAt, staff: staff?.username, what: "sale started on register \(order.register)")]
        for payment in payments {
            var what = "\(payment.method.rawValue) \(money(payment.amount))"
            if let last4 = payment.cardLast4 { what += " on \(payment.cardBrand ?? "card") •\(last4)" }
            if let account = payment.creditAccountID, let code = detail.creditCodes[account] { what += " from \(code)" }
            if let change = payment.change, change > 0 { what += ", change \(money(change))" }
            events.append(OrderEvent(at: payment.createdAt, staff: staff?.username, what: "paid \(what)"))
        }
        if let completed = order.completedAt, let number = order.number {
            events.append(OrderEvent(at: completed, staff: staff?.username, what: "completed as #\(number), total \(money(order.total))"))
        }
        for entry in try AuditEntry.fetchAll(db, sql: """
            SELECT a.*, s.username FROM audit_log a LEFT JOIN staff s ON s.id = a.staff_id
            WHERE a.entity = 'order' AND a.entity_id = ? ORDER BY a.id
            """, arguments: [orderID]) {
            events.append(OrderEvent(at: entry.at, staff: entry.staff, what: OrderDetail.describe(entry, currency: currency)))
        }
        detail.timeline = events.sorted { $0.at < $1.at }
        return detail
    }

    public func count(statuses: [OrderStatus] = [.completed]) throws -> Int {
        try store.read { db in try Order.filter(statuses.map(\.rawValue).contains(Column("status"))).fetchCount(db) }
    }
}
