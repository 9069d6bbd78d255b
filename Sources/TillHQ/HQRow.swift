import Foundation
import NIOCore
import PostgresNIO

/// One result row, every column as the text PostgreSQL itself would print for it (`t`/`f`, `2024-05-01
/// 09:30:00+00`, `12.50`), or nil for NULL: callers parse what they need, as they would psql's output.
///
/// postgres-nio always asks for binary results, so the common built-in types are turned into PostgreSQL's text
/// form here, under the session settings `HQConnection` fixes at login (UTC, ISO dates, shortest floats,
/// hex bytea). Any other type is refused when the query runs, naming the column: cast it in SQL (`x::text`).
public struct HQRow: Sendable, Hashable, CustomStringConvertible {
    public let columns: [String]
    public let values: [String?]

    public init(columns: [String], values: [String?]) {
        self.columns = columns
        self.values = values
    }

    /// The first column of that name; nil for NULL and for a name the query has no column for (see `columns`).
    public subscript(column: String) -> String? {
        guard let index = columns.firstIndex(of: column) else { return nil }
        return values[index]
    }

    /// nil for NULL and for an index past the last column.
    public subscript(index: Int) -> String? {
        values.indices.contains(index) ? values[index] : nil
    }

    public var description: String {
        zip(columns, values).map { "\($0)=\($1 ?? "NULL")" }.joined(separator: " ")
    }

    init(_ row: PostgresRow) throws {
        var columns: [String] = []
        var values: [String?] = []
        for cell in row {
            columns.append(cell.columnName)
            values.append(try Self.text(of: cell))
        }
        self.init(columns: columns, values: values)
    }

    static func text(of cell: PostgresCell) throws -> String? {
        guard var buffer = cell.bytes else { return nil }
        if cell.format == .text { return buffer.readString(length: buffer.readableBytes) }
        let unreadable = HQError.invalid("column \"\(cell.columnName)\" is of a type (OID \(cell.dataType.rawValue)) "
            + "that HQRow does not read; cast it in the query (\(cell.columnName)::text)")
        guard let text = binaryText(&buffer, type: cell.dataType) else { throw unreadable }
        return text
    }

    private static func binaryText(_ buffer: inout ByteBuffer, type: PostgresDataType) -> String? {
        switch type {
        case .text, .varchar, .bpchar, .name, .char, .json, .xml, .unknown:
            return buffer.readString(length: buffer.readableBytes)
        case .jsonb:
            guard buffer.readInteger(as: UInt8.self) == 1 else { return nil }
            return buffer.readString(length: buffer.readableBytes)
        case .void:
            // What a function returning nothing (pg_sleep, say) gives for its column; psql shows it empty.
            return ""
        case .bool:
            return buffer.readInteger(as: UInt8.self).map { $0 == 0 ? "f" : "t" }
        case .int2:
            return buffer.readInteger(as: Int16.self).map { String($0) }
        case .int4:
            return buffer.readInteger(as: Int32.self).map { String($0) }
        case .int8:
            return buffer.readInteger(as: Int64.self).map { String($0) }
        case .oid:
            return buffer.readInteger(as: UInt32.self).map { String($0) }
        case .float4:
            return buffer.readInteger(as: UInt32.self).map { float(Float(bitPattern: $0).description, maxFixedExponent: 6) }
        case .float8:
            return buffer.readInteger(as: UInt64.self).map { float(Double(bitPattern: $0).description, maxFixedExponent: 15) }
        case .numeric:
            return numeric(&buffer)
        case .uuid:
            guard let bytes = buffer.readBytes(length: 16) else { return nil }
            let hex = bytes.map { byte in String(byte, radix: 16).leftPadded(to: 2) }
            return [hex[0..<4], hex[4..<6], hex[6..<8], hex[8..<10], hex[10..<16]].map { $0.joined() }.joined(separator: "-")
        case .bytea:
            let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
            return "\\x" + bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
        case .date:
            guard let days = buffer.readInteger(as: Int32.self) else { return nil }
            if days == .max { return "infinity" }
            if days == .min { return "-infinity" }
            let (year, month, day) = civil(daysSince2000: Int(days))
            return dateText(year, month, day, suffix: "")
        case .time:
            return buffer.readInteger(as: Int64.self).map { clock(microseconds: $0) }
        case .timestamp, .timestamptz:
            guard let micros = buffer.readInteger(as: Int64.self) else { return nil }
            if micros == .max { return "infinity" }
            if micros == .min { return "-infinity" }
            let perDay: Int64 = 86_400_000_000
            let days = micros >= 0 ? micros / perDay : -((-micros + perDay - 1) / perDay)
            let (year, month, day) = civil(daysSince2000: Int(days))
            let time = clock(microseconds: micros - days * perDay) + (type == .timestamptz ? "+00" : "")
            return dateText(year, month, day, suffix: " " + time)
        default:
            // Enums, and extension types such as citext, have no fixed OID and send their text as binary;
            // anything with control bytes in it (a composite, an array) is not text.
            guard type.rawValue >= 16384, let text = buffer.getString(at: buffer.readerIndex, length: buffer.readableBytes),
                  !text.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" && $0 != "\n" && $0 != "\r" }) else {
                return nil
            }
            return text
        }
    }

    /// PostgreSQL's float output from Swift's shortest round-trip digits: the same digits, laid out the way
    /// float8out does (fixed notation for exponents from -4 up to, not including, `maxFixedExponent`).
    static func float(_ swift: String, maxFixedExponent: Int) -> String {
        switch swift {
        case "inf", "+inf": return "Infinity"
        case "-inf": return "-Infinity"
        case "nan", "-nan", "+nan": return "NaN"
        default: break
        }
        var text = Substring(swift)
        let negative = text.hasPrefix("-")
        if negative { text = text.dropFirst() }
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = text[..<e]
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let whole = String(parts[0])
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        // value = 0.DIGITS × 10^point
        var digits = whole + fraction
        var point = whole.count + exponent
        while digits.hasPrefix("0") && digits.count > 1 { digits.removeFirst(); point -= 1 }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        let sign = negative ? "-" : ""
        if digits == "0" { return sign + "0" }
        let scientific = point - 1
        if scientific < -4 || scientific >= maxFixedExponent {
            let mantissa = digits.count > 1 ? "\(digits.first!).\(digits.dropFirst())" : digits
            let magnitude = String(abs(scientific)).leftPadded(to: 2)
            return sign + mantissa + "e" + (scientific < 0 ? "-" : "+") + magnitude
        }
        if point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + digits }
        if point >= digits.count { return sign + digits + String(repeating: "0", count: point - digits.count) }
        let split = digits.index(digits.startIndex, offsetBy: point)
        return sign + digits[..<split] + "." + digits[split...]
    }

    /// NUMERIC's binary form (base-10000 digits with a weight and a display scale) as numeric_out prints it.
    private static func numeric(_ buffer: inout ByteBuffer) -> String? {
        guard let count = buffer.readInteger(as: Int16.self), let weight = buffer.readInteger(as: Int16.self),
              let sign = buffer.readInteger(as: UInt16.self), let scale = buffer.readInteger(as: UInt16.self) else {
            return nil
        }
        switch sign {
        case 0xC000: return "NaN"
        case 0xD000: return "Infinity"
        case 0xF000: return "-Infinity"
        default: break
        }
        var groups: [Int16] = []
        for _ in 0..<max(0, Int(count)) {
            guard let group = buffer.readInteger(as: Int16.self) else { return nil }
            groups.append(group)
        }
        func group(_ index: Int) -> Int16 { groups.indices.contains(index) ? groups[index] : 0 }
        var text = sign == 0x4000 ? "-" : ""
        if weight < 0 {
            text += "0"
        } else {
            text += String(group(0))
            if weight > 0 { for index in 1...Int(weight) { text += String(group(index)).leftPadded(to: 4) } }
        }
        if scale > 0 {
            var fraction = ""
            var index = Int(weight) + 1
            while fraction.count < Int(scale) {
                fraction += String(group(index)).leftPadded(to: 4)
                index += 1
            }
            text += "." + fraction.prefix(Int(scale))
        }
        return text
    }

    /// Year, month and day of the proleptic Gregorian calendar (year 0 is 1 BC), from PostgreSQL's epoch.
    private static func civil(daysSince2000: Int) -> (Int, Int, Int) {
        // Howard Hinnant's days_from_civil inverse, counted from 0000-03-01.
        let z = daysSince2000 + 10_957 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func dateText(_ year: Int, _ month: Int, _ day: Int, suffix: String) -> String {
        let shown = year > 0 ? year : 1 - year
        let date = String(shown).leftPadded(to: 4) + "-" + String(month).leftPadded(to: 2) + "-" + String(day).leftPadded(to: 2)
        return date + suffix + (year > 0 ? "" : " BC")
    }

    /// `HH:MM:SS`, with the fraction PostgreSQL shows: up to six digits, trailing zeros dropped.
    private static func clock(microseconds: Int64) -> String {
        let seconds = microseconds / 1_000_000
        let fraction = microseconds % 1_000_000
        var text = String(seconds / 3600).leftPadded(to: 2) + ":" + String(seconds / 60 % 60).leftPadded(to: 2) + ":"
            + String(seconds % 60).leftPadded(to: 2)
        if fraction != 0 {
            var digits = String(fraction).leftPadded(to: 6)
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        return text
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
