import Foundation

/// A changed field of a journaled fact in a shop owner's words: which line, which of its parts, the money in
/// the store's currency — not the raw `line=1|COF-002|…|1509` of the entry's bytes.
enum JournalChange {
    /// The parts of each multi-part field, by the entry's kind.
    static func partNames(_ field: String, kind: String) -> [String]? {
        switch (field, kind) {
        case ("line", "sale"): return ["position", "sku", "name", "quantity", "unit price", "discount", "tax class", "tax rate", "tax", "total"]
        case ("line", _): return ["sku", "name", "quantity", "amount", "tax", "restocked"]
        case ("tax", _): return ["tax rate", "lines total", "tax"]
        case ("tender", "sale"): return ["method", "amount", "tendered", "change", "card brand", "last four"]
        case ("tender", _): return ["method", "amount", "last four"]
        default: return nil
        }
    }

    static let moneyNames: Set<String> = [
        "unit price", "discount", "tax", "total", "lines total", "amount", "tendered", "change", "subtotal", "tax_total",
        "cash_rounding", "float", "expected_cash", "counted_cash",
    ]

    /// The first field where a fact's body as journaled and as it reads now differ, described.
    static func describe(kind: String, body: String, now: String, currency: Currency) -> String {
        let was = body.split(separator: "\n", omittingEmptySubsequences: false)
        let reads = now.split(separator: "\n", omittingEmptySubsequences: false)
        let index = Array(zip(was, reads)).firstIndex { $0.0 != $0.1 } ?? min(was.count, reads.count)
        return describe(kind: kind, was: index < was.count ? String(was[index]) : "",
                        now: index < reads.count ? String(reads[index]) : "", currency: currency)
    }

    static func describe(kind: String, was: String, now: String, currency: Currency) -> String {
        guard !was.isEmpty else { return "a field was added: \(clip(now))" }
        guard !now.isEmpty else { return "a field was removed: \(clip(was))" }
        let (field, before) = split(was), (nowField, after) = split(now)
        guard field == nowField else { return "\(clip(was)) now reads \(clip(now))" }
        func shown(_ name: String, _ value: String) -> String {
            if moneyNames.contains(name), let units = Int64(value) { return Money(minorUnits: units, currency: currency).formatted() }
            if name == "quantity", let milli = Int64(value) { return Quantity(milli: milli).description }
            if name == "tax rate", let ppm = Int64(value) { return String(format: "%g %%", Double(ppm) / 10_000) }
            return "\"\(value)\""
        }
        guard let names = partNames(field, kind: kind) else {
            return "\(field.replacingOccurrences(of: "_", with: " ")) \(shown(field, JournalBytes.parts(before).joined(separator: "|"))) → \(shown(field, JournalBytes.parts(after).joined(separator: "|")))"
        }
        let old = JournalBytes.parts(before), new = JournalBytes.parts(after)
        var changes: [String] = []
        for (index, name) in names.enumerated() {
            let a = index < old.count ? old[index] : "", b = index < new.count ? new[index] : ""
            if a != b { changes.append("\(name) \(shown(name, a)) → \(shown(name, b))") }
        }
        // Which line: a sale's by its number and item, a refund's by its item.
        let which: String
        if field == "line", kind == "sale", old.count > 2 { which = "line \(old[0]) (\(old[1]) \(old[2]))" }
        else if field == "line", old.count > 1 { which = "line \(old[0]) \(old[1])" }
        else if field == "tax", let first = old.first { which = "tax at \(shown("tax rate", first))" }
        else if field == "tender", let first = old.first { which = "the \(first) payment" }
        else { which = field }
        return "\(which): " + (changes.isEmpty ? "\(clip(was)) now reads \(clip(now))" : changes.joined(separator: ", "))
    }

    static func split(_ line: String) -> (String, String) {
        guard let equals = line.firstIndex(of: "=") else { return (line, "") }
        return (String(line[..<equals]), String(line[line.index(after: equals)...]))
    }

    static func clip(_ text: String) -> String {
        "\"" + (text.count > 100 ? String(text.prefix(97)) + "…" : text) + "\""
    }
}
