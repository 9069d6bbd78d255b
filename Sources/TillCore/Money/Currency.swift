/// An ISO-4217 currency: its code, how many minor-unit digits it has, and the symbol shops print.
public struct Currency: Hashable, Sendable, CustomStringConvertible {
    public let code: String
    /// Digits after the decimal point: JPY 0, EUR 2, KWD 3.
    public let exponent: Int
    public let symbol: String

    public init(code: String, exponent: Int, symbol: String) {
        self.code = code
        self.exponent = exponent
        self.symbol = symbol
    }

    public var description: String { code }

    /// 10^exponent: how many minor units make one major unit.
    public var minorPerMajor: Int64 {
        var result: Int64 = 1
        for _ in 0..<exponent { result *= 10 }
        return result
    }

    public static func named(_ code: String) throws -> Currency {
        let upper = code.uppercased()
        guard let currency = known[upper] else { throw TillError.unknownCurrency(code) }
        return currency
    }

    public static let EUR = Currency(code: "EUR", exponent: 2, symbol: "€")
    public static let USD = Currency(code: "USD", exponent: 2, symbol: "$")
    public static let GBP = Currency(code: "GBP", exponent: 2, symbol: "£")
    public static let JPY = Currency(code: "JPY", exponent: 0, symbol: "¥")
    public static let KWD = Currency(code: "KWD", exponent: 3, symbol: "KD")
    public static let BHD = Currency(code: "BHD", exponent: 3, symbol: "BD")

    /// The currencies a shop is likely to trade in; exponents from the ISO-4217 list.
    public static let known: [String: Currency] = {
        let table: [(String, Int, String)] = [
            ("EUR", 2, "€"), ("USD", 2, "$"), ("GBP", 2, "£"), ("CHF", 2, "CHF"), ("JPY", 0, "¥"), ("CNY", 2, "¥"),
            ("KRW", 0, "₩"), ("INR", 2, "₹"), ("CAD", 2, "CA$"), ("AUD", 2, "A$"), ("NZD", 2, "NZ$"),
            ("SEK", 2, "kr"), ("NOK", 2, "kr"), ("DKK", 2, "kr."), ("PLN", 2, "zł"), ("CZK", 2, "Kč"),
            ("HUF", 2, "Ft"), ("RON", 2, "lei"), ("BGN", 2, "лв"), ("TRY", 2, "₺"), ("ISK", 0, "kr"),
            ("BRL", 2, "R$"), ("MXN", 2, "MX$"), ("ARS", 2, "AR$"), ("CLP", 0, "CLP$"), ("COP", 2, "COL$"),
            ("ZAR", 2, "R"), ("NGN", 2, "₦"), ("KES", 2, "KSh"), ("EGP", 2, "E£"), ("AED", 2, "AED"),
            ("SAR", 2, "SAR"), ("ILS", 2, "₪"), ("KWD", 3, "KD"), ("BHD", 3, "BD"), ("OMR", 3, "OMR"),
            ("JOD", 3, "JD"), ("TND", 3, "DT"), ("SGD", 2, "S$"), ("HKD", 2, "HK$"), ("TWD", 2, "NT$"),
            ("THB", 2, "฿"), ("VND", 0, "₫"), ("IDR", 2, "Rp"), ("MYR", 2, "RM"), ("PHP", 2, "₱"),
            ("UAH", 2, "₴"), ("XOF", 0, "CFA"), ("XAF", 0, "FCFA"),
        ]
        var result: [String: Currency] = [:]
        for (code, exponent, symbol) in table {
            result[code] = Currency(code: code, exponent: exponent, symbol: symbol)
        }
        return result
    }()
}
