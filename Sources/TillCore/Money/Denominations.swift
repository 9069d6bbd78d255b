/// The notes and coins of a currency, in minor units — the one table that the drawer count (`till shift close
/// --count`) and the quick-cash amounts on the tender screen both read.
///
/// Source: each line follows the issuing central bank's published series of banknotes and coins in circulation
/// (the bank is named on the line; re-check a line against it when a bank issues a new series). Denominations a
/// bank still honours but has withdrawn from circulation and shops no longer see (INR 2000, the 1- and 5-won
/// coins, Brazil's 1 centavo) are left out. A
/// currency not in the table gets a generated 1-2-5 series from its exponent instead (see `generated`): counting
/// then accepts any 1-2-5 value, which is looser than the real set but never refuses real cash.
public enum Denominations {
    /// Notes and coins as printed on them, in major units, per currency.
    static let published: [String: (notes: String, coins: String, issuer: String)] = [
        "EUR": ("5 10 20 50 100 200 500", "0.01 0.02 0.05 0.10 0.20 0.50 1 2", "European Central Bank"),
        "USD": ("1 2 5 10 20 50 100", "0.01 0.05 0.10 0.25 0.50 1", "Federal Reserve; United States Mint"),
        "GBP": ("5 10 20 50", "0.01 0.02 0.05 0.10 0.20 0.50 1 2", "Bank of England; Royal Mint"),
        "CHF": ("10 20 50 100 200 1000", "0.05 0.10 0.20 0.50 1 2 5", "Swiss National Bank"),
        "JPY": ("1000 2000 5000 10000", "1 5 10 50 100 500", "Bank of Japan"),
        "CAD": ("5 10 20 50 100", "0.05 0.10 0.25 0.50 1 2", "Bank of Canada; Royal Canadian Mint (no cent since 2013)"),
        "AUD": ("5 10 20 50 100", "0.05 0.10 0.20 0.50 1 2", "Reserve Bank of Australia; Royal Australian Mint"),
        "NZD": ("5 10 20 50 100", "0.10 0.20 0.50 1 2", "Reserve Bank of New Zealand (no 5 cents since 2006)"),
        "CNY": ("1 5 10 20 50 100", "0.10 0.50 1", "People's Bank of China"),
        "HKD": ("10 20 50 100 500 1000", "0.10 0.20 0.50 1 2 5 10", "Hong Kong Monetary Authority"),
        "SGD": ("2 5 10 50 100 1000", "0.05 0.10 0.20 0.50 1", "Monetary Authority of Singapore"),
        "KRW": ("1000 5000 10000 50000", "10 50 100 500", "Bank of Korea"),
        "INR": ("10 20 50 100 200 500", "1 2 5 10 20", "Reserve Bank of India"),
        "SEK": ("20 50 100 200 500 1000", "1 2 5 10", "Sveriges Riksbank"),
        "NOK": ("50 100 200 500 1000", "1 5 10 20", "Norges Bank"),
        "DKK": ("50 100 200 500 1000", "0.50 1 2 5 10 20", "Danmarks Nationalbank"),
        "ISK": ("500 1000 2000 5000 10000", "1 5 10 50 100", "Central Bank of Iceland"),
        "PLN": ("10 20 50 100 200 500", "0.01 0.02 0.05 0.10 0.20 0.50 1 2 5", "Narodowy Bank Polski"),
        "CZK": ("100 200 500 1000 2000 5000", "1 2 5 10 20 50", "Czech National Bank"),
        "HUF": ("500 1000 2000 5000 10000 20000", "5 10 20 50 100 200", "Magyar Nemzeti Bank"),
        "RON": ("1 5 10 20 50 100 200 500", "0.01 0.05 0.10 0.50", "National Bank of Romania"),
        "BGN": ("2 5 10 20 50 100", "0.01 0.02 0.05 0.10 0.20 0.50 1 2", "Bulgarian National Bank (lev, until the euro in 2026)"),
        "RSD": ("10 20 50 100 200 500 1000 2000 5000", "1 2 5 10 20", "National Bank of Serbia"),
        "TRY": ("5 10 20 50 100 200", "0.01 0.05 0.10 0.25 0.50 1", "Central Bank of the Republic of Türkiye"),
        "RUB": ("50 100 200 500 1000 2000 5000", "1 2 5 10", "Bank of Russia"),
        "UAH": ("20 50 100 200 500 1000", "0.10 0.50 1 2 5 10", "National Bank of Ukraine"),
        "KZT": ("500 1000 2000 5000 10000 20000", "1 2 5 10 20 50 100 200", "National Bank of Kazakhstan"),
        "BRL": ("2 5 10 20 50 100 200", "0.05 0.10 0.25 0.50 1", "Banco Central do Brasil"),
        "MXN": ("20 50 100 200 500 1000", "0.10 0.20 0.50 1 2 5 10 20", "Banco de México"),
        "ARS": ("10 20 50 100 200 500 1000 2000 10000 20000", "1 2 5 10", "Banco Central de la República Argentina"),
        "CLP": ("1000 2000 5000 10000 20000", "10 50 100 500", "Banco Central de Chile"),
        "COP": ("2000 5000 10000 20000 50000 100000", "50 100 200 500 1000", "Banco de la República (Colombia)"),
        "PEN": ("10 20 50 100 200", "0.10 0.20 0.50 1 2 5", "Banco Central de Reserva del Perú"),
        "ZAR": ("10 20 50 100 200", "0.10 0.20 0.50 1 2 5", "South African Reserve Bank"),
        "NGN": ("5 10 20 50 100 200 500 1000", "", "Central Bank of Nigeria (coins are not used)"),
        "KES": ("50 100 200 500 1000", "1 5 10 20", "Central Bank of Kenya"),
        "UGX": ("1000 2000 5000 10000 20000 50000", "50 100 200 500 1000", "Bank of Uganda"),
        "EGP": ("5 10 20 50 100 200", "0.25 0.50 1", "Central Bank of Egypt"),
        "MAD": ("20 50 100 200", "0.10 0.20 0.50 1 2 5 10", "Bank Al-Maghrib"),
        "XOF": ("500 1000 2000 5000 10000", "5 10 25 50 100 200 250 500", "BCEAO (West African CFA franc)"),
        "XAF": ("500 1000 2000 5000 10000", "1 2 5 10 25 50 100 500", "BEAC (Central African CFA franc)"),
        "AED": ("5 10 20 50 100 200 500 1000", "0.25 0.50 1", "Central Bank of the UAE"),
        "SAR": ("5 10 50 100 200 500", "0.05 0.10 0.25 0.50 1 2", "Saudi Central Bank"),
        "QAR": ("1 5 10 50 100 200 500", "0.25 0.50", "Qatar Central Bank"),
        "ILS": ("20 50 100 200", "0.10 0.50 1 2 5 10", "Bank of Israel"),
        "KWD": ("0.250 0.500 1 5 10 20", "0.005 0.010 0.020 0.050 0.100", "Central Bank of Kuwait"),
        "BHD": ("0.500 1 5 10 20", "0.005 0.010 0.025 0.050 0.100", "Central Bank of Bahrain"),
        "OMR": ("0.100 0.200 0.500 1 5 10 20 50", "0.005 0.010 0.025 0.050", "Central Bank of Oman"),
        "JOD": ("1 5 10 20 50", "0.005 0.010 0.050 0.100 0.250 0.500", "Central Bank of Jordan"),
        "TND": ("10 20 50", "0.010 0.020 0.050 0.100 0.200 0.500 1 2 5", "Banque Centrale de Tunisie"),
        "IQD": ("250 500 1000 5000 10000 25000 50000", "", "Central Bank of Iraq (coins are not used)"),
        "THB": ("20 50 100 500 1000", "0.25 0.50 1 2 5 10", "Bank of Thailand"),
        "MYR": ("1 5 10 20 50 100", "0.05 0.10 0.20 0.50", "Bank Negara Malaysia"),
        "IDR": ("1000 2000 5000 10000 20000 50000 100000", "100 200 500 1000", "Bank Indonesia"),
        "PHP": ("20 50 100 200 500 1000", "0.01 0.05 0.25 1 5 10 20", "Bangko Sentral ng Pilipinas"),
        "VND": ("1000 2000 5000 10000 20000 50000 100000 200000 500000", "", "State Bank of Vietnam (coins are not used)"),
        "TWD": ("100 200 500 1000 2000", "1 5 10 50", "Central Bank of the Republic of China (Taiwan)"),
        "PKR": ("10 20 50 100 500 1000 5000", "1 2 5 10", "State Bank of Pakistan"),
        "BDT": ("2 5 10 20 50 100 200 500 1000", "1 2 5", "Bangladesh Bank"),
    ]

    /// Every note and coin of `currency`, in minor units, largest first.
    public static func of(_ currency: Currency) -> [Int64] {
        let set = cash(currency)
        return Array(Set(set.notes + set.coins)).sorted(by: >)
    }

    /// The banknotes of `currency`, in minor units, smallest first.
    public static func notes(_ currency: Currency) -> [Int64] { cash(currency).notes }

    /// Whether `currency`'s notes and coins come from a central bank's list (false: the generated 1-2-5 series).
    public static func isPublished(_ currency: Currency) -> Bool { parsed[currency.code] != nil }

    /// What a customer is likely to hand over for `due`, smallest first, in minor units: the sums of the few notes
    /// (at most `handful`) a person would give, where leaving out the smallest of them would no longer be enough —
    /// for €56.04: €60 (50+10), €70 (50+20), €100; for €7.20: €10, €20, €50. Below the smallest note the larger
    /// coins count too (€3.40: €4, €5, €10). Beyond the largest note, whole ones of it come first (€730: 500 + what
    /// covers 230). Exact cash is not among them: Enter pays that. Fewer than `count` only at the edge of Int64.
    public static func quickCash(due: Int64, currency: Currency, count: Int = 3) -> [Int64] {
        let notes = notes(currency)
        guard due > 0, let largest = notes.last, largest > 0 else { return [] }
        // The coins a customer would add to notes only when no single note is needed: the larger ones, from a
        // fifth of the smallest note up (EUR 1 and 2, USD quarters and halves).
        let smallest = notes.first ?? largest
        let offered = due < smallest ? Array(Set(notes + cash(currency).coins.filter { $0 * 5 >= smallest })).sorted(by: >)
            : notes.sorted(by: >)
        // Whole largest notes first; what is left is covered by a handful (a multiple of it is left as one more).
        var wholes = due / largest
        if due % largest == 0 { wholes -= 1 }
        let (base, overflow) = wholes.multipliedReportingOverflow(by: largest)
        guard !overflow else { return [] }
        let rest = due - base
        var sums = Set<Int64>()
        func cover(from index: Int, sum: Int64, smallestUsed: Int64, left: Int) {
            if sum >= rest {
                // Enough: a handful where the smallest note was needed is what people give.
                if sum > rest, sum - smallestUsed < rest { sums.insert(sum) }
                return
            }
            guard left > 0 else { return }
            for next in index..<offered.count {
                cover(from: next, sum: sum + offered[next], smallestUsed: offered[next], left: left - 1)
            }
        }
        cover(from: 0, sum: 0, smallestUsed: 0, left: handful)
        var amounts: [Int64] = []
        for sum in sums.sorted() {
            let (amount, overflow) = base.addingReportingOverflow(sum)
            if overflow || amounts.count == count { break }
            amounts.append(amount)
        }
        // Still short (a currency with very few notes): more of the largest note.
        var multiple = wholes + 1
        while amounts.count < count {
            let (amount, overflow) = multiple.multipliedReportingOverflow(by: largest)
            if overflow { break }
            if amount > due && !amounts.contains(amount) { amounts.append(amount) }
            multiple += 1
        }
        return amounts.sorted()
    }

    /// The most notes and coins a customer hands over for one sale, as far as quick cash goes.
    static let handful = 5

    /// The table line for `code` in minor units, or the reason it does not read (tested for every line).
    static func parse(_ code: String) throws -> (notes: [Int64], coins: [Int64]) {
        guard let line = published[code] else { throw TillError.notFound("denominations of \(code)") }
        let currency = try Currency.named(code)
        func values(_ text: String) throws -> [Int64] {
            try text.split(separator: " ").map { try Money.parseDecimal(String($0), currency: currency).minorUnits }.sorted()
        }
        return (try values(line.notes), try values(line.coins))
    }

    private static let parsed: [String: (notes: [Int64], coins: [Int64])] = {
        var result: [String: (notes: [Int64], coins: [Int64])] = [:]
        for code in published.keys { result[code] = try? parse(code) }
        return result
    }()

    private static func cash(_ currency: Currency) -> (notes: [Int64], coins: [Int64]) {
        parsed[currency.code] ?? generated(currency)
    }

    /// For a currency not in the table: a 1-2-5 series from one minor unit up to 5000 major units; the values of one
    /// major unit and more count as notes (for quick cash), the rest as coins.
    static func generated(_ currency: Currency) -> (notes: [Int64], coins: [Int64]) {
        var values: [Int64] = []
        var step: Int64 = 1
        while step <= 1000 * currency.minorPerMajor {
            values += [step, step * 2, step * 5]
            step *= 10
        }
        return (values.filter { $0 >= currency.minorPerMajor }, values.filter { $0 < currency.minorPerMajor })
    }
}
