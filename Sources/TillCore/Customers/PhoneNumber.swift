import Foundation
import GRDB

/// How a phone number someone says or types is matched against the ones on file, in national or international
/// form: `030 450 0373`, `0304500373`, `+49 30 4500373` and `0049 30 4500373` are one number in a store whose
/// `phone_country_code` is 49.
///
/// Numbers are stored as typed, with their digits (`phone_digits`, indexed by its last seven digits). A typed
/// number of seven digits or more is matched on that index, then:
/// - a whole number — international (`+CC…`, `00CC…`) or national with its trunk 0 in a store with a
///   `phone_country_code` — exactly: the stored digits must be one of its written forms (national with or
///   without the 0, `CC…` since a `+` drops out of the digits, `00CC…`). A number from another country matches
///   only its own international forms, so `+44 30 4500373` is not `030 450 0373` in a German store.
/// - anything else (a local number without its area code, a national number in a store without
///   `phone_country_code`, a country without a trunk 0): after dropping leading zeros, one number's digits must
///   end with the other's (`0304500373` finds `+49 30 4500373`; `4500373` finds both).
public enum PhoneNumber {
    /// Digits a match is looked up by through `customer_phone_tail` (the local number).
    public static let tailLength = 7

    /// The SQL condition (on a `phone_digits` column) that holds when the stored number is `text`, with its
    /// arguments; nil when `text` has fewer than seven digits (too short to be a whole number).
    public static func condition(column: String, text: String, countryCode: String) -> (sql: String, arguments: StatementArguments)? {
        let digits = text.filter(\.isASCIIDigit)
        guard digits.count >= tailLength else { return nil }
        let tail = String(digits.suffix(tailLength))
        if let forms = forms(of: text, countryCode: countryCode) {
            let marks = Array(repeating: "?", count: forms.count).joined(separator: ", ")
            return ("(substr(\(column), -\(tailLength)) = ? AND \(column) IN (\(marks)))",
                    StatementArguments([tail] + forms))
        }
        let significant = String(digits.drop { $0 == "0" })
        return ("(substr(\(column), -\(tailLength)) = ? AND (\(column) LIKE '%' || ? OR ? LIKE '%' || ltrim(\(column), '0')))",
                [tail, significant, significant])
    }

    /// Every digit string a stored number may have and be `text`, or nil when `text` is not a whole number whose
    /// country is known.
    static func forms(of text: String, countryCode: String) -> [String]? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.filter(\.isASCIIDigit)
        var international: String?
        if trimmed.hasPrefix("+") { international = digits } else if digits.hasPrefix("00") { international = String(digits.dropFirst(2)) }
        let home = countryCode.filter(\.isASCIIDigit)
        if let international {
            guard !home.isEmpty, international.hasPrefix(home) else {
                // Another country's number (or no home country): only its own international forms.
                return [international, "00" + international]
            }
            return homeForms(significant: String(international.dropFirst(home.count)), countryCode: home)
        }
        // Without its trunk 0 a national number may lack its area code (or the + of an international one).
        guard !home.isEmpty, digits.hasPrefix("0") else { return nil }
        return homeForms(significant: digits, countryCode: home)
    }

    /// A home number's written forms from its digits after the country code or trunk 0. Some countries keep the
    /// 0 in international form (`+39 06 …`), and people write `+49 (0)30 …`: both are included.
    static func homeForms(significant: String, countryCode: String) -> [String] {
        let number = significant.hasPrefix("0") ? String(significant.dropFirst()) : significant
        return [number, "0" + number, countryCode + number, "00" + countryCode + number,
                countryCode + "0" + number, "00" + countryCode + "0" + number]
    }

    /// The calling code of the one country a currency belongs to; empty for currencies shared by many (EUR, XOF).
    public static func defaultCountryCode(currency: String) -> String {
        let codes: [String: String] = [
            "USD": "1", "CAD": "1", "GBP": "44", "CHF": "41", "JPY": "81", "CNY": "86", "KRW": "82", "INR": "91",
            "AUD": "61", "NZD": "64", "SEK": "46", "NOK": "47", "DKK": "45", "PLN": "48", "CZK": "420", "HUF": "36",
            "RON": "40", "BGN": "359", "TRY": "90", "ISK": "354", "BRL": "55", "MXN": "52", "ARS": "54", "CLP": "56",
            "COP": "57", "ZAR": "27", "NGN": "234", "KES": "254", "EGP": "20", "AED": "971", "SAR": "966",
            "ILS": "972", "KWD": "965", "BHD": "973", "OMR": "968", "JOD": "962", "TND": "216", "SGD": "65",
            "HKD": "852", "TWD": "886", "THB": "66", "VND": "84", "IDR": "62", "MYR": "60", "PHP": "63", "UAH": "380",
        ]
        return codes[currency.uppercased()] ?? ""
    }
}
