@preconcurrency import Crypto
import Foundation

/// The canonical byte form of a journal entry (format `till-journal=1`), the exact bytes that are hashed and
/// signed. UTF-8, one `name=value` field a line, each line ending in LF, in this order:
///
///     till-journal=1
///     seq=42
///     kind=sale
///     ref=1042
///     at=2026-12-03T10:15:00.000Z
///     store=S001
///     prev=<SHA-256 of entry 41 in hex; 64 zeros for entry 1>
///     … the fact's own fields (see JournalFacts) …
///     gt_sales=123456
///     gt_refunds=2345
///     gt_net=121111
///
/// A value with several parts separates them with `|`; inside a value `\` is written `\\`, `|` as `\|`, LF as
/// `\n` and CR as `\r`, so a line break or bar in a product name can never forge a field. Money is in minor
/// units, quantities in thousandths. The entry's hash is SHA-256 of these bytes; its signature is ECDSA P-256
/// with SHA-256 over them (DER), which `openssl dgst -sha256 -verify key.pem -signature sig.der entry.txt` checks.
public enum JournalBytes {
    public static let format = "till-journal=1"
    public static let genesisPrev = String(repeating: "0", count: 64)

    public static func escape(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == 0x5C || $0 == 0x7C || $0 == 0x0A || $0 == 0x0D }) else { return value }
        var out = ""
        for character in value.unicodeScalars {
            switch character {
            case "\\": out += "\\\\"
            case "|": out += "\\|"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// The fields of one `|`-separated value, unescaped.
    public static func parts(_ value: String) -> [String] {
        var parts: [String] = [], current = "", escaped = false
        for character in value.unicodeScalars {
            if escaped {
                switch character {
                case "n": current += "\n"
                case "r": current += "\r"
                default: current.unicodeScalars.append(character)
                }
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "|" {
                parts.append(current)
                current = ""
            } else {
                current.unicodeScalars.append(character)
            }
        }
        parts.append(current)
        return parts
    }

    public static func bytes(of entry: JournalEntry) -> [UInt8] {
        var text = format + "\n"
        text += "seq=\(entry.seq)\nkind=\(entry.kind)\nref=\(entry.ref)\nat=\(escape(entry.at))\nstore=\(escape(entry.store))\nprev=\(entry.prevHash)\n"
        text += entry.body
        text += "gt_sales=\(entry.grandSales)\ngt_refunds=\(entry.grandRefunds)\ngt_net=\(entry.grandNet)\n"
        return Array(text.utf8)
    }

    public static func hash(_ bytes: [UInt8]) -> String { SHA256.hash(data: bytes).hex }

    /// The body lines as stored: each line with its LF.
    static func body(_ lines: [String]) -> String { lines.map { $0 + "\n" }.joined() }
}

/// One entry of the store's journal, as stored in `journal_entry`.
public struct JournalEntry: Equatable, Sendable {
    public var seq: Int64
    public var kind: String
    public var ref: Int64
    public var at: String
    public var store: String
    public var prevHash: String
    /// The fact's fields, each line ending in LF.
    public var body: String
    public var grandSales: Int64
    public var grandRefunds: Int64
    public var grandNet: Int64
    public var hash: String
    /// Base64 of the DER signature.
    public var signature: String

    public var bytes: [UInt8] { JournalBytes.bytes(of: self) }

    /// The first value of field `name` in the body.
    public func field(_ name: String) -> String? {
        let prefix = name + "="
        for line in body.split(separator: "\n", omittingEmptySubsequences: true) where line.hasPrefix(prefix) {
            return String(line.dropFirst(prefix.count))
        }
        return nil
    }

    /// How a person names the entry's fact: "sale #1042", "void of #1042", "Z report 12".
    public var subject: String {
        switch kind {
        case "sale": return "sale #\(field("receipt") ?? "?")"
        case "refund": return "refund \(ref) of #\(field("receipt") ?? "?")"
        case "void": return "void of #\(field("receipt") ?? "?")"
        case "return": return "return \(ref) without receipt"
        case "pay_in": return "pay-in \(ref)"
        case "pay_out": return "pay-out \(ref)"
        case "no_sale": return "no-sale \(ref)"
        case "shift_close": return "shift \(ref) close"
        case "z_report": return "Z report \(ref)"
        case "journal_start": return "the journal's start"
        default: return "\(kind) \(ref)"
        }
    }
}
