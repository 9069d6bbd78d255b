/// An ISO-4217 currency: its code, how many minor-unit digits it has, and the symbol shops print.
public struct Currency: Hashable, Sendable, CustomStringConvertible {
    public let code: String
    /// Digits after the decimal point: JPY 0, EUR 2, KWD 3, CLF 4 — ISO 4217's "minor units".
    public let exponent: Int
    public let symbol: String

    public init(code: String, exponent: Int, symbol: String) {
        self.code = code
        self.exponent = exponent
        self.symbol = symbol
    }

    public var description: String { code }

    /// ISO 4217's name for it: "Euro", "Kuwaiti Dinar".
    public var name: String { Currency.iso[code]?.name ?? code }

    /// 10^exponent: how many minor units make one major unit.
    public var minorPerMajor: Int64 {
        var result: Int64 = 1
        for _ in 0..<exponent { result *= 10 }
        return result
    }

    /// The currency of a code Till can keep books in: any current ISO 4217 code with minor units, and the few
    /// withdrawn codes a store may already have been made in (`formerlyOffered`). For reading stores, orders and
    /// files; a new store asks `forNewStore`, which is stricter.
    public static func named(_ code: String) throws -> Currency {
        let upper = code.uppercased()
        if let currency = known[upper] { return currency }
        if let currency = formerlyOffered[upper] { return currency }
        throw refusal(code)
    }

    /// The currency for a store being created: a current ISO 4217 currency, not a fund, with minor units.
    /// A withdrawn code (DEM, HRK, BGN …) is refused as withdrawn, saying when; an unknown code as unknown.
    public static func forNewStore(_ code: String) throws -> Currency {
        let upper = code.uppercased()
        guard let entry = iso[upper], let exponent = entry.minorUnits else { throw refusal(code) }
        if entry.isFund {
            let instead = entry.currencyOfItsCountries.map { "; use \($0) (\(iso[$0]?.name ?? $0))" } ?? ""
            throw TillError.invalid("\(upper) (\(entry.name)) is an ISO 4217 fund code, a unit for settlements and indexing, not money a till takes\(instead)")
        }
        return Currency(code: upper, exponent: exponent, symbol: symbols[upper] ?? upper)
    }

    /// Why `code` is no currency Till can use: withdrawn, without minor units, or unknown.
    private static func refusal(_ code: String) -> TillError {
        let upper = code.uppercased()
        if let withdrawal = withdrawn[upper] {
            return TillError.invalid("\(upper) (\(withdrawal.name)) was withdrawn from ISO 4217 \(when(withdrawal.withdrawn)); a store needs a current currency code")
        }
        if let entry = iso[upper], entry.minorUnits == nil {
            // Gold, SDR, bond units, test and "no currency" codes: the table gives no minor unit ("N.A."), so an
            // amount in them has no smallest step to count in; none is cash a customer hands over.
            return TillError.invalid("\(upper) (\(entry.name)) has no minor unit in ISO 4217 (N.A.): it is not a currency a till can count in")
        }
        return TillError.unknownCurrency(code)
    }

    /// "2002-03" → "in March 2002"; "1989 to 1990" → "between 1989 and 1990".
    private static func when(_ date: String) -> String {
        let span = date.components(separatedBy: " to ")
        if span.count == 2 { return "between \(monthName(span[0])) and \(monthName(span[1]))" }
        return "in \(monthName(date))"
    }

    /// "2002-03" → "March 2002"; other forms as the table writes them.
    private static func monthName(_ date: String) -> String {
        let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                      "October", "November", "December"]
        let parts = date.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, let month = Int(parts[1]), (1...12).contains(month) else { return date }
        return "\(months[month - 1]) \(parts[0])"
    }

    public static let EUR = Currency(code: "EUR", exponent: 2, symbol: "€")
    public static let USD = Currency(code: "USD", exponent: 2, symbol: "$")
    public static let GBP = Currency(code: "GBP", exponent: 2, symbol: "£")
    public static let JPY = Currency(code: "JPY", exponent: 0, symbol: "¥")
    public static let KWD = Currency(code: "KWD", exponent: 3, symbol: "KD")
    public static let BHD = Currency(code: "BHD", exponent: 3, symbol: "BD")

    /// Every current ISO 4217 code that has minor units, funds included (CLF 4), from the generated table.
    public static let known: [String: Currency] = {
        var result: [String: Currency] = [:]
        for entry in ISO4217Table.current {
            guard let exponent = entry.minorUnits else { continue }
            result[entry.code] = Currency(code: entry.code, exponent: exponent, symbol: symbols[entry.code] ?? entry.code)
        }
        return result
    }()

    /// Codes Till offered for new stores before ISO withdrew them, with the exponent they had: a store made in one
    /// must still open (its prices and orders are in it). List three gives no minor units, so they are kept here.
    static let formerlyOffered: [String: Currency] = [
        "BGN": Currency(code: "BGN", exponent: 2, symbol: "лв"),  // withdrawn 2026-01, Bulgaria joined the euro
    ]

    private static let iso: [String: ISO4217Table.Entry] =
        Dictionary(ISO4217Table.current.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
    private static let withdrawn: [String: ISO4217Table.Withdrawal] =
        Dictionary(ISO4217Table.withdrawn.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })

    /// What shops print for the currencies they most often trade in; any other code prints as itself.
    /// ISO 4217 has no symbols, so this list is Till's own.
    static let symbols: [String: String] = [
        "EUR": "€", "USD": "$", "GBP": "£", "CHF": "CHF", "JPY": "¥", "CNY": "¥", "KRW": "₩", "INR": "₹",
        "CAD": "CA$", "AUD": "A$", "NZD": "NZ$", "SEK": "kr", "NOK": "kr", "DKK": "kr.", "PLN": "zł", "CZK": "Kč",
        "HUF": "Ft", "RON": "lei", "TRY": "₺", "ISK": "kr", "BRL": "R$", "MXN": "MX$", "ARS": "AR$",
        "CLP": "CLP$", "COP": "COL$", "ZAR": "R", "NGN": "₦", "KES": "KSh", "EGP": "E£", "AED": "AED",
        "SAR": "SAR", "ILS": "₪", "KWD": "KD", "BHD": "BD", "OMR": "OMR", "JOD": "JD", "TND": "DT", "SGD": "S$",
        "HKD": "HK$", "TWD": "NT$", "THB": "฿", "VND": "₫", "IDR": "Rp", "MYR": "RM", "PHP": "₱", "UAH": "₴",
        "XOF": "CFA", "XAF": "FCFA",
    ]
}
