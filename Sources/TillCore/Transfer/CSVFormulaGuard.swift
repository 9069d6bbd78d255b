/// CSV injection guard (OWASP "CSV Injection"): a cell that starts with `=`, `+`, `-`, `@`, tab or CR is run
/// as a formula by Excel, LibreOffice and Google Sheets, so an export prefixes it with `'`, which they show as
/// text. Plain numbers (`-1.00`, `+3`, `-0.450`) are left alone: a spreadsheet reads them as the number they
/// are, which is what a price, margin or stock column needs, and nothing in them can run.
///
/// Import takes the guard off again, so export → import is exact: one leading `'` is removed when what follows
/// starts with a trigger character or with another `'`. For that to be a true inverse, export also guards a
/// value that already looks guarded (`'=x` is written `''=x`); any other leading `'` (`'s-Hertogenbosch`) is
/// left as it is both ways.
public enum CSVFormulaGuard {
    static let triggers: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    /// The value as it goes into a spreadsheet-safe export.
    public static func apply(_ value: String) -> String {
        guard let first = value.unicodeScalars.first else { return value }
        if triggers.contains(first) && !isPlainNumber(value) { return "'" + value }
        if looksGuarded(value) { return "'" + value }
        return value
    }

    /// The value as it was before `apply`.
    public static func remove(_ value: String) -> String {
        guard looksGuarded(value) else { return value }
        var scalars = value.unicodeScalars
        scalars.removeFirst()
        return String(scalars)
    }

    /// `'` followed by a trigger character or by another `'`.
    static func looksGuarded(_ value: String) -> Bool {
        var scalars = value.unicodeScalars.makeIterator()
        guard scalars.next() == "'", let second = scalars.next() else { return false }
        return triggers.contains(second) || second == "'"
    }

    /// An optionally signed decimal number: `-1.00`, `+3`, `-0.450`.
    static func isPlainNumber(_ value: String) -> Bool {
        var body = Substring(value)
        if body.first == "-" || body.first == "+" { body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count <= 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }
    }
}
