import CSV
import Foundation

/// One data row of a CSV file, with the physical line it starts on (quoted fields may span lines).
public struct CSVRecord: Sendable {
    public let line: Int
    public let values: [String]
    let columns: [String: Int]

    /// The trimmed value of `column`, or "" when the file has no such column or the row is short.
    public subscript(column: String) -> String {
        guard let index = columns[column], index < values.count else { return "" }
        return values[index].trimmingCharacters(in: .whitespaces)
    }

    public func has(_ column: String) -> Bool { columns[column] != nil }
}

/// A whole CSV file read with a real CSV parser (quoted fields, doubled quotes, embedded newlines, CRLF, BOM).
public struct CSVFile: Sendable {
    public let name: String
    public let header: [String]
    public let records: [CSVRecord]

    /// Reads `path`; header names are matched case-insensitively unless `exactHeader`.
    public static func read(path: String, exactHeader: Bool = false) throws -> CSVFile {
        let name = (path as NSString).lastPathComponent
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw TillError.notFound("file \(path)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TillError.invalid("\(path): cannot read the file")
        }
        return try parse(data: data, name: name, exactHeader: exactHeader)
    }

    public static func parse(data: Data, name: String, exactHeader: Bool = false) throws -> CSVFile {
        guard String(data: data, encoding: .utf8) != nil else {
            let line = firstInvalidUTF8Line(data)
            throw TillError.importFailed([ImportIssue(file: name, line: line, column: "-",
                                                      reason: "not valid UTF-8 text (save the file as UTF-8)")])
        }
        let stream = InputStream(data: data)
        let reader: CSVReader
        do {
            reader = try CSVReader(stream: stream, hasHeaderRow: true)
        } catch {
            throw TillError.importFailed([ImportIssue(file: name, line: 1, column: "-", reason: "no header row")])
        }
        let rawHeader = reader.headerRow ?? []
        let header = rawHeader.map { name in
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            return exactHeader ? trimmed : trimmed.lowercased()
        }
        var columns: [String: Int] = [:]
        for (index, column) in header.enumerated() where columns[column] == nil { columns[column] = index }
        var line = 1 + rawHeader.reduce(0) { $0 + newlineCount($1) }
        var records: [CSVRecord] = []
        while let row = reader.next() {
            line += 1
            let start = line
            line += row.reduce(0) { $0 + newlineCount($1) }
            if row.count == 1 && row[0].trimmingCharacters(in: .whitespaces).isEmpty { continue }
            records.append(CSVRecord(line: start, values: row, columns: columns))
        }
        if let error = reader.error {
            throw TillError.importFailed([ImportIssue(file: name, line: line, column: "-", reason: "\(error)")])
        }
        return CSVFile(name: name, header: header, records: records)
    }

    /// Column names from `required` that the header lacks, as import issues on line 1.
    public func missingColumns(_ required: [String]) -> [ImportIssue] {
        required.filter { !header.contains($0) }.map {
            ImportIssue(file: name, line: 1, column: $0, reason: "required column is missing from the header")
        }
    }

    private static func newlineCount(_ field: String) -> Int {
        var count = 0
        var previousWasCR = false
        for scalar in field.unicodeScalars {
            if scalar == "\n" { if !previousWasCR { count += 1 } } else if scalar == "\r" { count += 1 }
            previousWasCR = scalar == "\r"
        }
        return count
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

/// Writes RFC 4180 CSV: fields quoted only when they need it, `\n` line ends.
public struct CSVText {
    public private(set) var text = ""

    public init(header: [String]) { if !header.isEmpty { append(header) } }

    /// Starts a new chunk with no header (for streaming).
    public init() {}

    mutating func clear() { text = "" }

    public mutating func append(_ fields: [String]) {
        text += fields.map(CSVText.escape).joined(separator: ",") + "\n"
    }

    static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || field.hasPrefix(" ")
                || field.hasSuffix(" ") else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
