import Foundation

/// One data row of a CSV file, with the physical line it starts on (quoted fields may span lines).
public struct CSVRecord: Sendable {
    public let line: Int
    /// The fields as read: quoted ones exactly as written, unquoted ones trimmed of spaces and tabs.
    public let values: [String]
    let columns: [String: Int]

    /// The value of `column` with any spreadsheet formula guard removed (see `CSVFormulaGuard`), or "" when the
    /// file has no such column or the row is short.
    public subscript(column: String) -> String {
        guard let index = columns[column], index < values.count else { return "" }
        return CSVFormulaGuard.remove(values[index])
    }

    public func has(_ column: String) -> Bool { columns[column] != nil }
}

/// A whole CSV file read as RFC 4180 (quoted fields, doubled quotes, embedded CR/LF/CRLF, BOM), with its field
/// separator taken from the header line: `,`, or `;` and tab as spreadsheets in many locales save "CSV".
public struct CSVFile: Sendable {
    public let name: String
    public let header: [String]
    public let records: [CSVRecord]
    /// The field separator the header line uses.
    public let delimiter: Character

    /// The decimal mark of money columns: a `;`-separated file comes from a spreadsheet in a decimal-comma
    /// locale (that is why it is not comma-separated), so its amounts are written `12,50`.
    public var decimalSeparator: Character { delimiter == ";" ? "," : "." }

    /// Reads `path`; header names are matched case-insensitively unless `exactHeader`. A file holding a card
    /// number in any cell is refused here, before any importer looks at it, so nothing of it is written and no
    /// later message repeats the digits.
    public static func read(path: String, exactHeader: Bool = false) throws -> CSVFile {
        let name = (path as NSString).lastPathComponent
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw TillError.notFound("file \(path)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TillError.invalid("\(path): cannot read the file")
        }
        let file = try parse(data: data, name: name, exactHeader: exactHeader)
        let cardCells = file.cardNumberIssues()
        guard cardCells.isEmpty else { throw TillError.importFailed(cardCells) }
        return file
    }

    /// Every cell (the header's too) that holds a card number, by line and column name.
    public func cardNumberIssues() -> [ImportIssue] {
        func column(_ index: Int) -> String {
            header.indices.contains(index) && !header[index].isEmpty ? header[index] : "column \(index + 1)"
        }
        var issues = header.indices.filter { CardNumberGuard.containsCardNumber(header[$0]) }
            .map { ImportIssue(file: name, line: 1, column: "column \($0 + 1)", reason: CardNumberGuard.reason) }
        for record in records {
            for (index, value) in record.values.enumerated() where CardNumberGuard.containsCardNumber(value) {
                issues.append(ImportIssue(file: name, line: record.line, column: column(index), reason: CardNumberGuard.reason))
            }
        }
        return issues
    }

    public static func parse(data: Data, name: String, exactHeader: Bool = false) throws -> CSVFile {
        guard var text = String(data: data, encoding: .utf8) else {
            let line = firstInvalidUTF8Line(data)
            throw TillError.importFailed([ImportIssue(file: name, line: line, column: "-",
                                                      reason: "not valid UTF-8 text (save the file as UTF-8)")])
        }
        if text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
        // Excel's `sep=;` first line names the separator outright; the header is then line 2.
        var firstLine = 1
        var named: Character?
        let hint = Array(text.unicodeScalars.prefix { $0 != "\n" && $0 != "\r" }.prefix(6))
        if hint.count == 5, String(String.UnicodeScalarView(hint[0..<4])).lowercased() == "sep=",
           [",", ";", "\t"].contains(hint[4]) {
            named = Character(hint[4])
            var rest = Substring(text).unicodeScalars.dropFirst(5)
            if rest.first == "\r" { rest = rest.dropFirst() }
            if rest.first == "\n" { rest = rest.dropFirst() }
            text = String(String.UnicodeScalarView(rest))
            firstLine = 2
        }
        let delimiter = named ?? detectDelimiter(text)
        var rows = try CSVParser(text: text, delimiter: delimiter.unicodeScalars.first ?? ",", file: name,
                                 firstLine: firstLine).rows()
        guard !rows.isEmpty, !(rows[0].fields.count == 1 && rows[0].fields[0].isEmpty) else {
            throw TillError.importFailed([ImportIssue(file: name, line: 1, column: "-", reason: "no header row")])
        }
        let header = rows.removeFirst().fields.map { name in
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            return exactHeader ? trimmed : trimmed.lowercased()
        }
        var columns: [String: Int] = [:]
        for (index, column) in header.enumerated() where columns[column] == nil { columns[column] = index }
        let records = rows.compactMap { row -> CSVRecord? in
            if row.fields.count == 1 && row.fields[0].isEmpty { return nil }  // a blank line
            return CSVRecord(line: row.line, values: row.fields, columns: columns)
        }
        return CSVFile(name: name, header: header, records: records, delimiter: delimiter)
    }

    /// Column names from `required` that the header lacks, as import issues on line 1.
    public func missingColumns(_ required: [String]) -> [ImportIssue] {
        required.filter { !header.contains($0) }.map {
            ImportIssue(file: name, line: 1, column: $0, reason: "required column is missing from the header")
        }
    }

    /// An amount in a money column, in the file's decimal form (`12.50`, or `12,50` in a `;`-separated file).
    public func money(_ text: String, currency: Currency) throws -> Money {
        try Money.parseDecimal(text, currency: currency, decimalSeparator: decimalSeparator)
    }

    /// The separator the header line uses most, outside quotes: `,` `;` or tab (`,` when none appears).
    static func detectDelimiter(_ text: String) -> Character {
        var counts: [Character: Int] = [",": 0, ";": 0, "\t": 0]
        var quoted = false
        for scalar in text.unicodeScalars {
            if scalar == "\"" { quoted.toggle(); continue }
            if !quoted && (scalar == "\n" || scalar == "\r") { break }
            if !quoted, let key = counts.keys.first(where: { $0.unicodeScalars.first == scalar }) { counts[key]! += 1 }
        }
        // A tie (no separator at all, or a one-column file) stays with the standard comma.
        return [";", "\t"].reduce(Character(",")) { best, candidate in
            counts[candidate]! > counts[best]! ? candidate : best
        }
    }

    private static func firstInvalidUTF8Line(_ data: Data) -> Int {
        var line = 1
        var start = data.startIndex
        for index in data.indices where data[index] == 0x0A {
            if String(data: data[start..<index], encoding: .utf8) == nil { return line }
            line += 1
            start = data.index(after: index)
        }
        return line
    }
}

/// RFC 4180 fields and rows, counting physical lines (CR, LF and CRLF each end one) so every row knows where it
/// starts. Quoted fields are kept exactly; unquoted ones are trimmed of spaces and tabs around them.
struct CSVParser {
    let text: String
    let delimiter: Unicode.Scalar
    let file: String
    var firstLine = 1

    func rows() throws -> [(line: Int, fields: [String])] {
        var rows: [(line: Int, fields: [String])] = []
        var scalars = Array(text.unicodeScalars)[...]
        var line = firstLine
        func fail(_ at: Int, _ reason: String) -> TillError {
            .importFailed([ImportIssue(file: file, line: at, column: "-", reason: reason)])
        }
        /// Consumes one line break at the front (CRLF as one); true when there was one.
        func takeLineBreak() -> Bool {
            guard let first = scalars.first, first == "\r" || first == "\n" else { return false }
            scalars.removeFirst()
            if first == "\r", scalars.first == "\n" { scalars.removeFirst() }
            line += 1
            return true
        }
        while !scalars.isEmpty {
            let start = line
            var fields: [String] = []
            rowLoop: while true {
                // Spaces before an opening quote are tolerated (`a, "b"`), as hand-written files have them.
                let blank = scalars.prefix { $0 == " " || ($0 == "\t" && delimiter != "\t") }
                if scalars.dropFirst(blank.count).first == "\"" {
                    scalars.removeFirst(blank.count + 1)
                    let opened = line
                    var field = String.UnicodeScalarView()
                    while true {
                        guard let scalar = scalars.first else {
                            throw fail(opened, "a quoted field opened on this line is never closed (a missing \")")
                        }
                        if scalar == "\"" {
                            scalars.removeFirst()
                            if scalars.first == "\"" { scalars.removeFirst(); field.append("\""); continue }
                            break
                        }
                        if scalar == "\r" || scalar == "\n" {
                            field.append(scalar)
                            scalars.removeFirst()
                            if scalar == "\r", scalars.first == "\n" { field.append("\n"); scalars.removeFirst() }
                            line += 1
                            continue
                        }
                        field.append(scalar)
                        scalars.removeFirst()
                    }
                    fields.append(String(field))
                    scalars = scalars.drop { $0 == " " || ($0 == "\t" && delimiter != "\t") }
                    if scalars.first == delimiter { scalars.removeFirst(); continue rowLoop }
                    if scalars.isEmpty || takeLineBreak() { break rowLoop }
                    throw fail(line, "text after the closing quote of a field (a quote inside a field is written \"\")")
                }
                var field = String.UnicodeScalarView()
                while let scalar = scalars.first, scalar != delimiter, scalar != "\r", scalar != "\n" {
                    field.append(scalar)
                    scalars.removeFirst()
                }
                fields.append(String(field).trimmingCharacters(in: .whitespaces))
                if scalars.first == delimiter { scalars.removeFirst(); continue rowLoop }
                _ = takeLineBreak()
                break rowLoop
            }
            rows.append((start, fields))
        }
        return rows
    }
}

/// Writes RFC 4180 CSV, the one writer every CSV Till produces goes through: a field is quoted when it holds the
/// separator, a quote, CR or LF (checked per Unicode scalar: "\r\n" is one Swift Character, equal to neither) or
/// starts or ends with a space or tab (which a reader would trim); quotes inside are doubled; `\n` ends a row.
/// Cells a spreadsheet would run as a formula get the `'` guard unless `guardsFormulas` is off (`--raw`).
public struct CSVText {
    public private(set) var text = ""
    public let guardsFormulas: Bool

    public init(header: [String], guardsFormulas: Bool = true) {
        self.guardsFormulas = guardsFormulas
        if !header.isEmpty { append(header) }
    }

    /// Starts a new chunk with no header (for streaming).
    public init(guardsFormulas: Bool = true) { self.guardsFormulas = guardsFormulas }

    /// Empties the buffer after a chunk has been written out, keeping the settings.
    mutating func clear() { text = "" }

    public mutating func append(_ fields: [String]) {
        text += fields.map { CSVText.field($0, guardsFormulas: guardsFormulas) }.joined(separator: ",") + "\n"
    }

    /// One field as it goes into the file.
    public static func field(_ value: String, guardsFormulas: Bool = true) -> String {
        let field = guardsFormulas ? CSVFormulaGuard.apply(value) : value
        let scalars = field.unicodeScalars
        let special = scalars.contains { (scalar: Unicode.Scalar) -> Bool in quoteWorthy.contains(scalar) }
        let padded = scalars.first.map(isBlank) == true || scalars.last.map(isBlank) == true
        guard special || padded else { return field }
        var quoted = String.UnicodeScalarView()
        quoted.append("\"")
        for scalar in field.unicodeScalars {
            quoted.append(scalar)
            if scalar == "\"" { quoted.append("\"") }
        }
        quoted.append("\"")
        return String(quoted)
    }

    private static let quoteWorthy: Set<Unicode.Scalar> = [",", "\"", "\n", "\r"]

    private static func isBlank(_ scalar: Unicode.Scalar) -> Bool { scalar == " " || scalar == "\t" }
}
