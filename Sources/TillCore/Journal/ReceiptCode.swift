import Foundation
import GRDB

/// What the QR code on a receipt holds: the sale as its journal entry signed it, so anyone with the store's
/// public key (`till journal key`) can check a paper receipt. One line of `|`-separated fields (escaped as in
/// `JournalBytes`):
///
///     TILLJ1|store|register|receipt|time|currency|rates|total|seq|hash|signature
///
/// - `rates`: one `rate_ppm:lines_total:tax` per tax rate, `;`-separated (20 % is 200000), money in minor units;
/// - `seq`: the journal entry's number; `hash`: its SHA-256 in hex (64 digits);
/// - `signature`: base64 of the DER ECDSA P-256 signature of that hash.
///
/// The signature is over the hash itself, so `openssl pkeyutl -verify -pubin -inkey key.pem -in hash.bin
/// -sigfile sig.der` (hash.bin the 32 bytes of `hash`) checks it. The entry's bytes, in the journal export,
/// hash to `hash` and hold every field above, which binds the printed figures to the signature.
public struct ReceiptCode: Equatable, Sendable {
    public static let prefix = "TILLJ1"

    public var store: String
    public var register: String
    public var receipt: String
    public var time: String
    public var currency: String
    /// (rate in ppm, total of the lines at the rate, tax at the rate).
    public var rates: [(rate: Int64, total: Int64, tax: Int64)]
    public var total: Int64
    public var seq: Int64
    public var hash: String
    public var signature: String

    public static func == (a: ReceiptCode, b: ReceiptCode) -> Bool { a.payload == b.payload }

    /// The code of sale `orderID` from its journal entry; nil when the sale has none.
    public static func forSale(_ db: Database, orderID: Int64) throws -> ReceiptCode? {
        guard let entry = try Journal.entry(db, kind: "sale", ref: orderID) else { return nil }
        let rates: [(Int64, Int64, Int64)] = entry.body.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("tax=") else { return nil }
            let parts = JournalBytes.parts(String(line.dropFirst(4))).compactMap { Int64($0) }
            return parts.count == 3 ? (parts[0], parts[1], parts[2]) : nil
        }
        func unescaped(_ name: String) -> String { JournalBytes.parts(entry.field(name) ?? "").joined(separator: "|") }
        return ReceiptCode(store: entry.store, register: unescaped("register"), receipt: unescaped("receipt"),
                           time: unescaped("time"), currency: unescaped("currency"), rates: rates,
                           total: Int64(entry.field("total") ?? "") ?? 0, seq: entry.seq, hash: entry.hash,
                           signature: entry.signature)
    }

    public static func forSale(_ store: StoreDatabase, number: Int64) throws -> ReceiptCode? {
        try store.read { db in
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM orders WHERE number = ?", arguments: [number]) else {
                throw TillError.notFound("order #\(number)")
            }
            return try forSale(db, orderID: id)
        }
    }

    public var payload: String {
        let rateText = rates.map { "\($0.rate):\($0.total):\($0.tax)" }.joined(separator: ";")
        return ([Self.prefix] + [store, register, receipt, time, currency].map(JournalBytes.escape)
                + [rateText, String(total), String(seq), hash, signature]).joined(separator: "|")
    }

    /// Reads a payload back (what a checking app does with a scanned code).
    public init(payload: String) throws {
        let parts = JournalBytes.parts(payload)
        guard parts.count == 11, parts[0] == Self.prefix, let total = Int64(parts[7]), let seq = Int64(parts[8]) else {
            throw TillError.invalid("not a Till receipt code (expected 11 fields starting \(Self.prefix))")
        }
        let rates: [(Int64, Int64, Int64)] = parts[6].isEmpty ? [] : try parts[6].split(separator: ";").map { rate in
            let numbers = rate.split(separator: ":").compactMap { Int64($0) }
            guard numbers.count == 3 else { throw TillError.invalid("bad tax rate field \"\(rate)\" in a receipt code") }
            return (numbers[0], numbers[1], numbers[2])
        }
        self.init(store: parts[1], register: parts[2], receipt: parts[3], time: parts[4], currency: parts[5], rates: rates,
                  total: total, seq: seq, hash: parts[9], signature: parts[10])
    }

    public init(store: String, register: String, receipt: String, time: String, currency: String,
                rates: [(rate: Int64, total: Int64, tax: Int64)], total: Int64, seq: Int64, hash: String, signature: String) {
        self.store = store
        self.register = register
        self.receipt = receipt
        self.time = time
        self.currency = currency
        self.rates = rates
        self.total = total
        self.seq = seq
        self.hash = hash
        self.signature = signature
    }
}
