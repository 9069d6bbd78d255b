import Foundation
import GRDB

/// The facts a journal entry records, read from the store's own tables and written as the entry's body: the
/// same function encodes a fact when it is journaled and again when `till journal verify` checks it, so any
/// change to the fact's rows since (a price, a total, a deleted line) shows as a different body.
///
/// Only what is fixed once the fact is complete goes in: an order's status, a payment's `refunded` status and a
/// customer attached by a later merge change legitimately and are left out.
public enum JournalFacts {
    /// The kinds an entry can have, and the table each kind's fact lives in.
    public static let table: [String: String] = [
        "sale": "orders", "refund": "refund", "void": "refund", "return": "refund",
        "pay_in": "cash_movement", "pay_out": "cash_movement", "no_sale": "cash_movement",
        "shift_close": "shift", "z_report": "z_report",
    ]

    /// One fact as the journal sees it: its time, body lines, and what it adds to the perpetual totals.
    public struct Fact: Equatable, Sendable {
        public var at: String
        public var lines: [String]
        public var sales: Int64 = 0
        public var refunds: Int64 = 0
    }

    /// The fact `ref` of `kind`, or nil when the store no longer has it.
    public static func fact(_ db: Database, kind: String, ref: Int64) throws -> Fact? {
        switch kind {
        case "sale": return try sale(db, orderID: ref)
        case "refund", "void", "return": return try refund(db, refundID: ref)
        case "pay_in", "pay_out", "no_sale": return try cash(db, movementID: ref)
        case "shift_close": return try shift(db, shiftID: ref)
        case "z_report": return try zReport(db, number: ref)
        default: return nil
        }
    }

    static func field(_ name: String, _ value: String) -> String { name + "=" + JournalBytes.escape(value) }
    static func field(_ name: String, _ values: [String]) -> String {
        name + "=" + values.map(JournalBytes.escape).joined(separator: "|")
    }
    static func text(_ value: DatabaseValueConvertible?) -> String {
        guard let value else { return "" }
        switch value.databaseValue.storage {
        case .null: return ""
        case let .int64(int): return String(int)
        case let .double(double): return String(double)
        case let .string(string): return string
        case let .blob(data): return data.base64EncodedString()
        }
    }

    /// SQLite's `2026-12-01 09:30:00.000` (UTC) as ISO 8601, as the outbox writes it; empty for none.
    static func iso(_ stored: String?) -> String { stored.map(ChainOutbox.iso) ?? "" }

    private static func staffName(_ db: Database, _ id: Int64?) throws -> String {
        guard let id else { return "" }
        return try String.fetchOne(db.cachedStatement(sql: "SELECT username FROM staff WHERE id = ?"), arguments: [id]) ?? "#\(id)"
    }

    static func sale(_ db: Database, orderID: Int64) throws -> Fact? {
        guard let order = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT number, register, business_day, staff_id, currency, tax_inclusive, subtotal, discount_total,
                   tax_total, cash_rounding, total, completed_at FROM orders WHERE id = ? AND number IS NOT NULL
            """), arguments: [orderID]) else { return nil }
        let at = iso(order["completed_at"])
        var lines = [
            field("receipt", text(order["number"] as Int64?)), field("register", order["register"] as String),
            field("time", at), field("business_day", order["business_day"] as String? ?? ""),
            field("staff", try staffName(db, order["staff_id"])), field("currency", order["currency"] as String),
            field("tax_inclusive", text(order["tax_inclusive"] as Int64?)),
        ]
        var byRate: [(rate: Int64, total: Int64, tax: Int64)] = []
        for line in try Row.fetchAll(db.cachedStatement(sql: """
            SELECT position, sku, name, quantity_milli, unit_price, discount, tax_class, tax_rate_ppm, tax, total
            FROM order_line WHERE order_id = ? ORDER BY position
            """), arguments: [orderID]) {
            let rate: Int64 = line["tax_rate_ppm"], total: Int64 = line["total"], tax: Int64 = line["tax"]
            lines.append(field("line", [text(line["position"] as Int64?), line["sku"], line["name"],
                                        text(line["quantity_milli"] as Int64?), text(line["unit_price"] as Int64?),
                                        text(line["discount"] as Int64?), line["tax_class"], String(rate),
                                        String(tax), String(total)]))
            if let index = byRate.firstIndex(where: { $0.rate == rate }) {
                byRate[index].total += total
                byRate[index].tax += tax
            } else {
                byRate.append((rate, total, tax))
            }
        }
        for rate in byRate.sorted(by: { $0.rate < $1.rate }) {
            lines.append(field("tax", [String(rate.rate), String(rate.total), String(rate.tax)]))
        }
        // A payment voided before the sale completed (a card attempt cancelled) was never part of it; one
        // voided with the sale afterwards was, and its void's tender points back at it.
        for payment in try Row.fetchAll(db.cachedStatement(sql: """
            SELECT method, amount, tendered, change, card_brand, card_last4 FROM payment p
            WHERE order_id = ? AND (status IN ('captured', 'authorized', 'refunded')
                OR (status = 'voided' AND EXISTS (SELECT 1 FROM refund_tender t WHERE t.payment_id = p.id)))
            ORDER BY id
            """), arguments: [orderID]) {
            lines.append(field("tender", [payment["method"], text(payment["amount"] as Int64?), text(payment["tendered"] as Int64?),
                                          text(payment["change"] as Int64?), payment["card_brand"] ?? "", payment["card_last4"] ?? ""]))
        }
        let total: Int64 = order["total"]
        lines += [
            field("subtotal", text(order["subtotal"] as Int64?)), field("discount", text(order["discount_total"] as Int64?)),
            field("tax_total", text(order["tax_total"] as Int64?)), field("cash_rounding", text(order["cash_rounding"] as Int64?)),
            field("total", String(total)),
        ]
        return Fact(at: at, lines: lines, sales: total)
    }

    static func refund(_ db: Database, refundID: Int64) throws -> Fact? {
        guard let refund = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT r.kind, o.number, r.register, r.business_day, r.destination, r.amount, r.tax, r.reason, r.staff_id,
                   r.approved_by, COALESCE(r.completed_at, r.created_at) AS at
            FROM refund r LEFT JOIN orders o ON o.id = r.order_id WHERE r.id = ? AND r.status = 'completed'
            """), arguments: [refundID]) else { return nil }
        let at = iso(refund["at"])
        let amount: Int64 = refund["amount"]
        var lines = [
            field("refund", String(refundID)), field("type", refund["kind"] as String),
            field("receipt", text(refund["number"] as Int64?)), field("register", refund["register"] as String),
            field("time", at), field("business_day", refund["business_day"] as String? ?? ""),
            field("staff", try staffName(db, refund["staff_id"])), field("approved_by", try staffName(db, refund["approved_by"])),
            field("destination", refund["destination"] as String), field("reason", refund["reason"] as String),
        ]
        for line in try Row.fetchAll(db.cachedStatement(sql: """
            SELECT sku, name, quantity_milli, amount, tax, restocked FROM refund_line WHERE refund_id = ? ORDER BY id
            """), arguments: [refundID]) {
            lines.append(field("line", [line["sku"], line["name"], text(line["quantity_milli"] as Int64?),
                                        text(line["amount"] as Int64?), text(line["tax"] as Int64?), text(line["restocked"] as Int64?)]))
        }
        for tender in try Row.fetchAll(db.cachedStatement(sql: """
            SELECT method, amount, card_last4 FROM refund_tender WHERE refund_id = ? AND status = 'refunded' ORDER BY id
            """), arguments: [refundID]) {
            lines.append(field("tender", [tender["method"], text(tender["amount"] as Int64?), tender["card_last4"] ?? ""]))
        }
        lines += [field("tax_total", text(refund["tax"] as Int64?)), field("amount", String(amount))]
        return Fact(at: at, lines: lines, refunds: amount)
    }

    static func cash(_ db: Database, movementID: Int64) throws -> Fact? {
        guard let movement = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT c.kind, c.amount, c.reason, c.staff_id, c.approved_by, c.created_at, s.register, c.business_day
            FROM cash_movement c JOIN shift s ON s.id = c.shift_id WHERE c.id = ?
            """), arguments: [movementID]) else { return nil }
        let at = iso(movement["created_at"])
        return Fact(at: at, lines: [
            field("movement", String(movementID)), field("type", movement["kind"] as String),
            field("register", movement["register"] as String), field("time", at),
            field("business_day", movement["business_day"] as String? ?? ""),
            field("staff", try staffName(db, movement["staff_id"])), field("approved_by", try staffName(db, movement["approved_by"])),
            field("reason", movement["reason"] as String), field("amount", text(movement["amount"] as Int64?)),
        ])
    }

    static func shift(_ db: Database, shiftID: Int64) throws -> Fact? {
        guard let shift = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT register, opened_by, opened_at, opening_float, closed_by, closed_at, expected_cash, counted_cash,
                   count_detail, business_day FROM shift WHERE id = ? AND closed_at IS NOT NULL
            """), arguments: [shiftID]) else { return nil }
        let at = iso(shift["closed_at"])
        return Fact(at: at, lines: [
            field("shift", String(shiftID)), field("register", shift["register"] as String),
            field("opened", iso(shift["opened_at"])), field("opened_by", try staffName(db, shift["opened_by"])),
            field("float", text(shift["opening_float"] as Int64?)), field("time", at),
            field("closed_by", try staffName(db, shift["closed_by"])), field("expected_cash", text(shift["expected_cash"] as Int64?)),
            field("counted_cash", text(shift["counted_cash"] as Int64?)), field("count", shift["count_detail"] as String? ?? ""),
        ])
    }

    static func zReport(_ db: Database, number: Int64) throws -> Fact? {
        guard let z = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT business_day, closed_by, closed_at, figures FROM z_report WHERE number = ?
            """), arguments: [number]) else { return nil }
        let at = iso(z["closed_at"])
        return Fact(at: at, lines: [
            field("z", String(number)), field("business_day", z["business_day"] as String), field("time", at),
            field("closed_by", try staffName(db, z["closed_by"])), field("figures", z["figures"] as String),
        ])
    }
}
