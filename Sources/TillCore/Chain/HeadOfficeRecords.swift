import Foundation

// What head office holds of the chain's orders and stock, as records any part of Till can read: `TillHQ`
// reads them from PostgreSQL, the CLI prints them and the HQ app (`till hq`) shows them.

/// An order as HQ holds it.
public struct HQOrder: Sendable, Equatable, Codable {
    public var chainNumber: String
    public var store: String
    public var number: Int64
    public var register: String
    public var completedAt: String
    public var businessDay: String?
    public var staff: String?
    public var total: Int64
    public var currency: String
    public var voided: Bool
    public var lines: [Line]?
    public var payments: [Payment]?

    public init(chainNumber: String, store: String, number: Int64, register: String, completedAt: String, businessDay: String?,
                staff: String?, total: Int64, currency: String, voided: Bool, lines: [Line]? = nil, payments: [Payment]? = nil) {
        self.chainNumber = chainNumber
        self.store = store
        self.number = number
        self.register = register
        self.completedAt = completedAt
        self.businessDay = businessDay
        self.staff = staff
        self.total = total
        self.currency = currency
        self.voided = voided
        self.lines = lines
        self.payments = payments
    }

    public struct Line: Sendable, Equatable, Codable {
        public var sku: String
        public var name: String
        public var category: String?
        public var quantityMilli: Int64
        public var unitPrice: Int64
        public var discount: Int64
        public var total: Int64

        public init(sku: String, name: String, category: String?, quantityMilli: Int64, unitPrice: Int64, discount: Int64, total: Int64) {
            self.sku = sku
            self.name = name
            self.category = category
            self.quantityMilli = quantityMilli
            self.unitPrice = unitPrice
            self.discount = discount
            self.total = total
        }
    }

    public struct Payment: Sendable, Equatable, Codable {
        public var method: String
        public var amount: Int64
        public var cardBrand: String?
        public var cardLast4: String?

        public init(method: String, amount: Int64, cardBrand: String?, cardLast4: String?) {
            self.method = method
            self.amount = amount
            self.cardBrand = cardBrand
            self.cardLast4 = cardLast4
        }
    }
}

public struct HQOrderFilter: Sendable, Equatable {
    public var store: String?
    public var number: Int64?
    public var sku: String?
    public var staff: String?
    /// Business days, `2026-12-01`, inclusive.
    public var from: String?
    public var to: String?
    public var minTotal: Int64?
    public var maxTotal: Int64?
    public var total: Int64?
    /// The card's last four digits.
    public var last4: String?
    public var limit = 50
    public init() {}
}

extension HQOrderFilter {
    /// A search as typed in the HQ app's Orders pane: the store's own words (`OrderSearchSyntax`: `card:4242`,
    /// `sku:COF-002`, `staff:ana`, `12.50`, `amount:10-15`, `2026-12-01`, `from:`/`to:`, `#1042`), and what only HQ
    /// has: a chain order number (`S012-1001`) or `store:S012` (a store code alone, such as `S012`, works too).
    /// Other words are what was bought. HQ keeps no customers' names or phones with orders: `customer:`,
    /// `phone:` and `email:` are refused, naming the way to find them.
    public init(parsing text: String, currency: Currency) throws {
        self.init()
        var rest: [String] = []
        var words = text.split(separator: " ").map(String.init)
        while !words.isEmpty {
            let word = words.removeFirst()
            let lower = word.lowercased()
            if lower.hasPrefix("store:") {
                let code = String(word.dropFirst(6))
                if code.isEmpty, let next = words.first { store = next.uppercased(); words.removeFirst() } else if !code.isEmpty { store = code.uppercased() }
            } else if let chain = Self.chainNumber(word), Self.looksLikeStoreCode(chain.store) || chain.store.count <= 4 {
                // Short or with a digit (S012-1001, MAIN-12): a word with a dash (espresso-12) is what was bought.
                store = chain.store
                number = chain.number
            } else if Self.looksLikeStoreCode(word) {
                store = word.uppercased()
            } else {
                rest.append(word)
            }
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let query = try OrderQuery(parsing: rest.joined(separator: " "), currency: currency, calendar: calendar)
        if query.customer != nil || query.phone != nil {
            throw TillError.invalid("HQ's orders carry no customer's name or phone: find the customer with `till hq customers duplicates` or at the store")
        }
        if query.statuses != OrderQuery().statuses {
            throw TillError.invalid("HQ's orders are completed or voided; status: is a store search")
        }
        let free = query.text.trimmingCharacters(in: .whitespaces)
        var bought: String?
        if !free.isEmpty {
            let digits = free.hasPrefix("#") ? String(free.dropFirst()) : free
            if let value = Int64(digits), digits.allSatisfy(\.isASCIIDigit) {
                if digits.count == 4, !free.hasPrefix("#") { last4 = digits } else { number = value }
            } else {
                // Other words are what was bought, as at a store ("roughly what they bought"); HQ keeps no
                // customers' names with orders, so they are not looked for there.
                bought = free
            }
        }
        if let value = query.number { number = value }
        last4 = query.last4 ?? last4
        sku = query.sku ?? bought
        staff = query.staff
        if let low = query.minTotal, let high = query.maxTotal, low == high { total = low } else {
            minTotal = query.minTotal
            maxTotal = query.maxTotal
        }
        let day = DateFormatter()
        day.locale = Locale(identifier: "en_US_POSIX")
        day.timeZone = calendar.timeZone
        day.dateFormat = "yyyy-MM-dd"
        from = query.from.map { day.string(from: $0) }
        // The store's `to` is the start of the day after; HQ's is the last business day itself.
        to = query.to.map { day.string(from: $0.addingTimeInterval(-1)) }
    }

    /// `S012-1001`: a store code, a dash and the store's order number.
    public static func chainNumber(_ text: String) -> (store: String, number: Int64)? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, isStoreCode(String(parts[0])), let number = Int64(parts[1]), number > 0,
              parts[1].allSatisfy(\.isASCIIDigit) else { return nil }
        return (String(parts[0]).uppercased(), number)
    }

    /// A store code as `till hq store add` takes them: a letter, then 1–15 letters or digits.
    static func isStoreCode(_ text: String) -> Bool {
        guard let first = text.first, first.isASCII, first.isLetter, (2...16).contains(text.count) else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }

    /// A word alone taken for a store: a store code with a digit in it (S012, B2), so a word (`espresso`) is not
    /// taken for one — `store:MAIN` names a store without digits.
    static func looksLikeStoreCode(_ text: String) -> Bool {
        isStoreCode(text) && text.contains(where: \.isASCIIDigit)
    }
}

public struct HQStockRow: Sendable, Equatable, Codable {
    public var store: String
    public var location: String
    public var sku: String
    public var onHandMilli: Int64
    /// The store's event that last moved it, and that event's time: stock is as the store reported it then.
    public var asOfSeq: Int64
    public var asOf: String?

    public init(store: String, location: String, sku: String, onHandMilli: Int64, asOfSeq: Int64, asOf: String?) {
        self.store = store
        self.location = location
        self.sku = sku
        self.onHandMilli = onHandMilli
        self.asOfSeq = asOfSeq
        self.asOf = asOf
    }
}

/// What the HQ app reads from head office, read-only: the chain's orders and stock. `TillHQ.HQBrowser` is the one
/// over PostgreSQL; a call that cannot reach HQ throws `HeadOfficeUnreachable`.
public protocol HeadOfficeBrowser: Sendable {
    /// Where it reads from, for the title bar (password hidden).
    var place: String { get }
    var currency: Currency { get throws }
    func orders(_ filter: HQOrderFilter) throws -> [HQOrder]
    func order(chainNumber: String) throws -> HQOrder
    func stock(sku: String) throws -> [HQStockRow]
    /// SKUs and names in HQ's catalog matching `text` (SKU start or name words), for the stock pane's search.
    func products(matching text: String, limit: Int) throws -> [(sku: String, name: String)]
}
