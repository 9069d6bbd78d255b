import Foundation

/// The one way a person's words become an order search, for the Orders pane and `till orders search` alike:
///
///     card:4242   sku:COF-001   item:espresso roast   phone:030 450 0373   email:ana@   customer:Müller
///     amount:12.50   amount:10-15   date:2026-11-20   from:2026-11-01   to:2026-11-20   #1042   number:1042
///     staff:ana   status:voided
///
/// and, with no prefix: `#1042` an order number, `2026-11-20` a day (`2026-11-01..2026-11-20` a range of days,
/// `2026-11` a month),
/// `12.50` an exact total, four digits alone (`4242`) a card's last four or the start of an order number or a
/// phone; any other words a customer's name, email or phone, or the start of an order number. Fields combine.
/// A field that takes several words (item, sku, customer) runs until the next `prefix:` or a word that reads as a
/// number, a day or an amount; `phone:` takes the digit groups that follow it.
public enum OrderSearchSyntax {
    /// Shown in the `?` help and in the CLI's help.
    public static let examples = "card:4242 · sku:COF-001 · item:espresso · phone:030 4500373 · email:ana@ · amount:12.50 or 10-15 · date:2026-11-20 · from:/to: · #1042 · staff:ana · status:voided"

    /// The short form for a one-line hint.
    public static let hint = "#1042 · name · phone · card:4242 · 12.50 · 2026-11-20"

    /// What can be typed and what it finds, for the pane's empty state.
    public static let guide: [(example: String, meaning: String)] = [
        ("#1042  number:1042", "the order number"),
        ("4242  card:4242", "the card's last four digits"),
        ("Müller  ana@  customer:…", "a customer's name, email or phone"),
        ("phone:030 450 0373", "the customer's phone, as said"),
        ("sku:COF-001  item:espresso", "a SKU or product words on a line"),
        ("12.50  amount:10-15", "the total, exact or a range"),
        ("2026-11-20  2026-11  D..D", "a day, a month or a range of days"),
        ("from:2026-11-01  to:…", "from / up to a day"),
        ("staff:ana  status:voided", "who sold it; its status"),
    ]

    enum Field: String, CaseIterable {
        case card, last4, sku, item, phone, email, customer, amount, min, max, date, from, to, number, staff, status

        /// Fields whose value may be several words.
        var takesWords: Bool { [.sku, .item, .phone, .customer].contains(self) }

        /// Whether a bare word after this field's first word is more of its value: a phone goes on while the
        /// words are digits (`030 450 0373`); words go on until one reads as a number, a day or an amount.
        func continues(with token: String, detected: Bool) -> Bool {
            if self == .phone { return token.allSatisfy { $0.isASCIIDigit || "+-()/".contains($0) } }
            return !detected
        }
    }

    public static var prefixes: String { Field.allCases.map { "\($0.rawValue):" }.joined(separator: " ") }
}

extension OrderQuery {
    /// Reads a search as typed (see `OrderSearchSyntax`). `calendar` places days in the store's time zone;
    /// `currency` reads amounts. An incomplete field (`card:` with nothing after it yet) is left out; a wrong
    /// one is refused with what was expected, naming the field.
    public init(parsing text: String, currency: Currency, calendar: Calendar) throws {
        self.init()
        let money = MoneyParser(currency: currency)
        var free: [String] = []
        var words: (field: OrderSearchSyntax.Field, value: [String])?

        func finishWords() throws {
            guard let open = words else { return }
            words = nil
            try apply(open.field, open.value.joined(separator: " "), money: money, calendar: calendar)
        }

        for token in text.split(whereSeparator: \.isWhitespace).map(String.init) {
            if let colon = token.firstIndex(of: ":"), colon != token.startIndex,
               token[..<colon].allSatisfy(\.isLetter) {
                let name = token[..<colon].lowercased()
                guard let field = OrderSearchSyntax.Field(rawValue: name) else {
                    throw TillError.invalid("unknown search field \"\(name):\"; use \(OrderSearchSyntax.prefixes)")
                }
                try finishWords()
                let value = String(token[token.index(after: colon)...])
                if field.takesWords {
                    words = (field, value.isEmpty ? [] : [value])
                } else {
                    try apply(field, value, money: money, calendar: calendar)
                }
                continue
            }
            let detected = (token.hasPrefix("#") && token.count > 1) || OrderQuery.day(token, calendar: calendar) != nil
                || OrderQuery.days(token, calendar: calendar) != nil || OrderQuery.looksLikeAmount(token, currency: currency)
            if let open = words {
                if open.field.continues(with: token, detected: detected) {
                    words?.value.append(token)
                    continue
                }
                try finishWords()
            }
            if token.hasPrefix("#"), token.count > 1 {
                try apply(.number, String(token.dropFirst()), money: money, calendar: calendar)
            } else if OrderQuery.days(token, calendar: calendar) != nil {
                try apply(.date, token, money: money, calendar: calendar)
            } else if OrderQuery.day(token, calendar: calendar) != nil {
                try apply(.date, token, money: money, calendar: calendar)
            } else if OrderQuery.looksLikeAmount(token, currency: currency), let amount = try? money.parse(token) {
                minTotal = amount.minorUnits
                maxTotal = amount.minorUnits
            } else {
                free.append(token)
            }
        }
        try finishWords()
        // Four digits alone are also a card's last four (see `Orders.search`): kept as text so they still
        // find an order number or a phone.
        self.text = free.joined(separator: " ")
    }

    private mutating func apply(_ field: OrderSearchSyntax.Field, _ rawValue: String, money: MoneyParser,
                                calendar: Calendar) throws {
        let value = rawValue.trimmingCharacters(in: .whitespaces)
        guard !value.isEmpty else { return }  // still being typed
        func amount(_ text: String) throws -> Int64 {
            do { return try money.parse(text).minorUnits } catch {
                throw TillError.invalid("\(field.rawValue): takes an amount such as 12.50, got \"\(text)\"")
            }
        }
        switch field {
        case .card, .last4:
            guard value.count == 4, value.allSatisfy(\.isASCIIDigit) else {
                throw TillError.invalid("\(field.rawValue): takes the card's last four digits, e.g. card:4242 (got \"\(value)\")")
            }
            last4 = value
        case .sku, .item:
            sku = value
        case .phone:
            guard let digits = Customer.digits(of: value), digits.count >= 4 else {
                throw TillError.invalid("phone: needs at least 4 digits, e.g. phone:030 4500373 (got \"\(value)\")")
            }
            phone = value
        case .email, .customer:
            customer = value
        case .staff:
            staff = value
        case .amount:
            if let range = OrderQuery.amountRange(value) {
                minTotal = try amount(range.0)
                maxTotal = try amount(range.1)
                if let low = minTotal, let high = maxTotal, low > high {
                    throw TillError.invalid("amount: the range \(value) runs backwards; write the smaller amount first")
                }
            } else {
                let exact = try amount(value)
                minTotal = exact
                maxTotal = exact
            }
        case .min:
            minTotal = try amount(value)
        case .max:
            maxTotal = try amount(value)
        case .date:
            guard let days = OrderQuery.days(value, calendar: calendar) ?? OrderQuery.day(value, calendar: calendar).map({ ($0, $0) }),
                  let end = calendar.date(byAdding: .day, value: 1, to: days.1) else {
                throw TillError.invalid("date: takes a day as YYYY-MM-DD, a month YYYY-MM or a range YYYY-MM-DD..YYYY-MM-DD, got \"\(value)\"")
            }
            guard days.0 <= days.1 else {
                throw TillError.invalid("date: the range \(value) runs backwards; write the earlier day first")
            }
            from = days.0
            to = end
        case .from:
            guard let day = OrderQuery.day(value, calendar: calendar) else {
                throw TillError.invalid("from: takes a day as YYYY-MM-DD, got \"\(value)\"")
            }
            from = day
        case .to:
            guard let day = OrderQuery.day(value, calendar: calendar), let end = calendar.date(byAdding: .day, value: 1, to: day) else {
                throw TillError.invalid("to: takes a day as YYYY-MM-DD (included), got \"\(value)\"")
            }
            to = end
        case .number:
            guard value.allSatisfy(\.isASCIIDigit), value.count <= 18, let number = Int64(value) else {
                throw TillError.invalid("an order number (#1042 or number:1042) is digits, got \"\(value)\"")
            }
            self.number = number
        case .status:
            guard let status = OrderStatus(rawValue: value.lowercased().replacingOccurrences(of: " ", with: "_")) else {
                throw TillError.invalid("status: is one of \(OrderStatus.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(value)\"")
            }
            statuses = [status]
        }
    }

    /// The start of a day written YYYY-MM-DD in `calendar`, or nil when `text` is not one.
    public static func day(_ text: String, calendar: Calendar) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              let start = calendar.date(from: DateComponents(year: year, month: month, day: day)),
              calendar.component(.day, from: start) == day, calendar.component(.month, from: start) == month else { return nil }
        return start
    }

    /// `YYYY-MM-DD..YYYY-MM-DD`: the first and the last day's starts; `YYYY-MM` ("roughly when"): the month's.
    static func days(_ text: String, calendar: Calendar) -> (Date, Date)? {
        let month = text.split(separator: "-", omittingEmptySubsequences: false)
        if text.count == 7, month.count == 2, month[0].count == 4, let year = Int(month[0]), let number = Int(month[1]),
           (1...12).contains(number), let first = calendar.date(from: DateComponents(year: year, month: number, day: 1)),
           let next = calendar.date(byAdding: .month, value: 1, to: first),
           let last = calendar.date(byAdding: .day, value: -1, to: next) {
            return (first, last)
        }
        let parts = text.components(separatedBy: "..")
        guard parts.count == 2, let first = day(parts[0], calendar: calendar), let last = day(parts[1], calendar: calendar) else {
            return nil
        }
        return (first, last)
    }

    /// `10-15` or `10..15`.
    static func amountRange(_ text: String) -> (String, String)? {
        for separator in ["..", "-"] {
            let parts = text.components(separatedBy: separator)
            if parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty { return (parts[0], parts[1]) }
        }
        return nil
    }

    /// A bare word reads as an amount when it has a decimal point with the currency's decimals (`12.50`) or the
    /// currency's symbol (`€12`): plain digits stay an order number, a phone or a card's last four.
    static func looksLikeAmount(_ text: String, currency: Currency) -> Bool {
        var body = text
        var marked = false
        for marker in [currency.symbol, currency.code] where !marker.isEmpty && body.uppercased().hasPrefix(marker.uppercased()) {
            body.removeFirst(marker.count)
            marked = true
        }
        guard !body.isEmpty, body.allSatisfy({ $0.isASCIIDigit || $0 == "." }) else { return false }
        if marked { return true }
        let pieces = body.split(separator: ".", omittingEmptySubsequences: false)
        return pieces.count == 2 && !pieces[0].isEmpty && currency.exponent > 0 && pieces[1].count == currency.exponent
    }
}
