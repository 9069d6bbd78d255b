import Foundation
import TillCore

/// One row of HQ's sales report: sales as completed (voided ones out), refunds as their own business day's,
/// as a store's Z report counts them — so a store's row for a day equals its Z to the cent.
public struct HQSalesRow: Sendable, Equatable, Codable {
    public var key: String
    public var orders: Int64
    /// The sales' totals, as the Z report's "total".
    public var total: Int64
    public var refunds: Int64
    /// total − refunds, as the Z report's "net sales".
    public var netSales: Int64
}

public enum HQSalesGrouping: String, CaseIterable, Sendable {
    case store, day, category, staff
}

/// A store's stock at cost, as HQ has its ledger.
public struct HQStockValueRow: Sendable, Equatable, Codable {
    public var store: String
    public var skus: Int64
    public var value: Int64
    /// SKUs on hand whose cost HQ's catalog does not have (not in the value).
    public var withoutCost: Int64
}

/// A Z report as the store sent it, next to the same figures recomputed at HQ from the store's events.
public struct HQZCheck: Sendable, Equatable, Codable {
    public var store: String
    public var number: Int64
    public var businessDay: String
    public var storeSales: Int64
    public var hqSales: Int64
    public var storeTotal: Int64
    public var hqTotal: Int64
    public var storeRefunds: Int64
    public var hqRefunds: Int64
    public var matches: Bool { storeSales == hqSales && storeTotal == hqTotal && storeRefunds == hqRefunds }
}

public struct HQException: Sendable, Equatable, Codable {
    public var id: Int64
    public var store: String?
    public var seq: Int64?
    public var kind: String
    public var detail: String
    public var createdAt: String
    public var resolvedAt: String?
    /// Who: the HQ role that ran `till hq exceptions resolve`, or the store manager who wrote a transfer off.
    public var resolvedBy: String?
}

/// Reading HQ: reports, orders, stock and exceptions across the chain.
public enum HQReports {
    /// A store code as typed, if HQ has it; else the error lists the stores it has.
    public static func requireStore(_ hq: HQConnection, _ code: String?) throws -> String? {
        guard let code else { return nil }
        let stores = try hq.query("SELECT code, name FROM hq.store ORDER BY code").map { ($0["code"] ?? "", $0["name"] ?? "") }
        // By its code, or by its name as people say it ("Berlin Mitte").
        if let match = stores.first(where: { $0.0 == code.uppercased() || $0.1.lowercased() == code.lowercased() }) { return match.0 }
        let list = stores.map { "\($0.0) (\($0.1))" }.joined(separator: ", ")
        throw HQError.invalid("no store \(code) at this HQ (stores: \(list.isEmpty ? "none yet" : list))")
    }

    public static func sales(_ hq: HQConnection, by grouping: HQSalesGrouping, from: String?, to: String?,
                             store: String? = nil) throws -> [HQSalesRow] {
        let saleKey: String
        let refundKey: String
        let saleSource: String
        let refundSource: String
        switch grouping {
        case .store:
            saleKey = "s.store"; refundKey = "r.store"
            saleSource = "SELECT s.store AS k, count(*) AS n, sum(s.total) AS gross FROM hq.sale s WHERE NOT s.voided AND \(window("s"))"
            refundSource = "SELECT r.store AS k, sum(r.amount) AS refunds FROM hq.refund r WHERE r.kind <> 'void' AND \(window("r"))"
        case .day:
            saleKey = "s.business_day::text"; refundKey = "r.business_day::text"
            saleSource = "SELECT s.business_day::text AS k, count(*) AS n, sum(s.total) AS gross FROM hq.sale s WHERE NOT s.voided AND \(window("s"))"
            refundSource = "SELECT r.business_day::text AS k, sum(r.amount) AS refunds FROM hq.refund r WHERE r.kind <> 'void' AND \(window("r"))"
        case .staff:
            saleKey = "COALESCE(s.staff, '(none)')"; refundKey = "COALESCE(r.staff, '(none)')"
            saleSource = "SELECT COALESCE(s.staff, '(none)') AS k, count(*) AS n, sum(s.total) AS gross FROM hq.sale s WHERE NOT s.voided AND \(window("s"))"
            refundSource = "SELECT COALESCE(r.staff, '(none)') AS k, sum(r.amount) AS refunds FROM hq.refund r WHERE r.kind <> 'void' AND \(window("r"))"
        case .category:
            saleKey = "COALESCE(l.category, '(none)')"; refundKey = "COALESCE(rl.category, '(none)')"
            saleSource = """
                SELECT COALESCE(l.category, '(none)') AS k, count(DISTINCT (s.store, s.number)) AS n, sum(l.total) AS gross
                FROM hq.sale s JOIN hq.sale_line l ON l.store = s.store AND l.number = s.number
                WHERE NOT s.voided AND \(window("s"))
                """
            refundSource = """
                SELECT COALESCE(rl.category, '(none)') AS k, sum(rl.amount) AS refunds
                FROM hq.refund r JOIN hq.refund_line rl ON rl.store = r.store AND rl.refund_id = r.refund_id
                WHERE r.kind <> 'void' AND \(window("r"))
                """
        }
        let sql = """
            WITH sold AS (\(saleSource) GROUP BY \(saleKey)),
                 refunded AS (\(refundSource) GROUP BY \(refundKey))
            SELECT COALESCE(sold.k, refunded.k) AS k, COALESCE(sold.n, 0)::text AS n, COALESCE(sold.gross, 0)::text AS gross,
                   COALESCE(refunded.refunds, 0)::text AS refunds
            FROM sold FULL JOIN refunded ON refunded.k = sold.k
            ORDER BY 1
            """
        return try hq.query(sql, [from, to, store]).map { row in
            let gross = Int64(row["gross"] ?? "0") ?? 0
            let refunds = Int64(row["refunds"] ?? "0") ?? 0
            return HQSalesRow(key: row["k"] ?? "", orders: Int64(row["n"] ?? "0") ?? 0, total: gross, refunds: refunds, netSales: gross - refunds)
        }
    }

    /// Each store's stock at the cost in HQ's catalog, from the store's ledger as HQ has it.
    public static func stockValue(_ hq: HQConnection) throws -> [HQStockValueRow] {
        try hq.query("""
            SELECT s.code AS store,
                   count(DISTINCT l.sku) FILTER (WHERE l.on_hand_milli > 0)::text AS skus,
                   COALESCE(sum(CASE WHEN l.on_hand_milli > 0 THEN round(l.on_hand_milli * (r.data->>'cost')::numeric / 1000) END), 0)::bigint::text AS value,
                   count(DISTINCT l.sku) FILTER (WHERE l.on_hand_milli > 0 AND (r.data->>'cost') IS NULL)::text AS without_cost
            FROM hq.store s LEFT JOIN hq.stock_level l ON l.store = s.code
            LEFT JOIN hq.reference r ON r.kind = 'product' AND r.key = l.sku
            GROUP BY s.code ORDER BY s.code
            """).map {
            HQStockValueRow(store: $0["store"] ?? "", skus: Int64($0["skus"] ?? "0") ?? 0, value: Int64($0["value"] ?? "0") ?? 0,
                            withoutCost: Int64($0["without_cost"] ?? "0") ?? 0)
        }
    }

    /// Every Z report HQ has received (of `store`, in the window), with HQ's own count of the same day.
    public static func zChecks(_ hq: HQConnection, from: String?, to: String?, store: String?) throws -> [HQZCheck] {
        try hq.query("""
            SELECT z.store, z.number::text AS number, z.business_day::text AS day,
                   COALESCE((z.figures->>'salesCount')::bigint, 0)::text AS store_sales,
                   COALESCE((z.figures->>'total')::bigint, 0)::text AS store_total,
                   COALESCE((z.figures->>'refunds')::bigint, 0)::text AS store_refunds,
                   c.sales::text AS hq_sales, c.total::text AS hq_total, c.refunds::text AS hq_refunds
            FROM hq.z_report z CROSS JOIN LATERAL hq.day_figures(z.store, z.business_day) AS c
            WHERE \(window("z"))
            ORDER BY z.store, z.number
            """, [from, to, store]).map {
            HQZCheck(store: $0["store"] ?? "", number: Int64($0["number"] ?? "0") ?? 0, businessDay: $0["day"] ?? "",
                     storeSales: Int64($0["store_sales"] ?? "0") ?? 0, hqSales: Int64($0["hq_sales"] ?? "0") ?? 0,
                     storeTotal: Int64($0["store_total"] ?? "0") ?? 0, hqTotal: Int64($0["hq_total"] ?? "0") ?? 0,
                     storeRefunds: Int64($0["store_refunds"] ?? "0") ?? 0, hqRefunds: Int64($0["hq_refunds"] ?? "0") ?? 0)
        }
    }

    /// $1 from, $2 to (business days, inclusive), $3 store — each ignored when NULL.
    private static func window(_ alias: String) -> String {
        "($1::date IS NULL OR \(alias).business_day >= $1::date) AND ($2::date IS NULL OR \(alias).business_day <= $2::date) AND ($3::text IS NULL OR \(alias).store = $3::text)"
    }

    public static func orders(_ hq: HQConnection, _ filter: HQOrderFilter) throws -> [HQOrder] {
        let rows = try hq.query("""
            SELECT s.store, s.number::text, s.register, to_char(s.completed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS completed_at,
                   s.business_day::text, s.staff, s.total::text, s.currency, s.voided::text
            FROM hq.sale s
            WHERE ($1::text IS NULL OR s.store = upper($1::text))
              AND ($2::bigint IS NULL OR s.number = $2::bigint)
              AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM hq.sale_line l WHERE l.store = s.store AND l.number = s.number
                                               AND (lower(l.sku) = lower($3::text) OR l.name ILIKE '%' || $3::text || '%')))
              AND ($4::text IS NULL OR s.staff = $4::text)
              AND ($5::date IS NULL OR s.business_day >= $5::date)
              AND ($6::date IS NULL OR s.business_day <= $6::date)
              AND ($7::bigint IS NULL OR s.total >= $7::bigint)
              AND ($8::bigint IS NULL OR s.total <= $8::bigint)
              AND ($9::bigint IS NULL OR s.total = $9::bigint)
              AND ($11::text IS NULL OR EXISTS (SELECT 1 FROM hq.sale_payment pay WHERE pay.store = s.store
                                                AND pay.number = s.number AND pay.card_last4 = $11::text))
            ORDER BY s.completed_at DESC, s.store, s.number DESC
            LIMIT $10::int
            """, [filter.store, filter.number.map(String.init), filter.sku, filter.staff, filter.from, filter.to,
                  filter.minTotal.map(String.init), filter.maxTotal.map(String.init), filter.total.map(String.init),
                  String(max(1, filter.limit)), filter.last4])
        return rows.map(order(from:))
    }

    /// One order by its chain number (`S012-1001`), with lines and payments.
    public static func order(_ hq: HQConnection, chainNumber: String) throws -> HQOrder {
        let parts = chainNumber.split(separator: "-")
        guard parts.count == 2, let number = Int64(parts[1]) else {
            throw HQError.invalid("\"\(chainNumber)\" is not a chain order number: write it as STORE-NUMBER, such as S012-1001")
        }
        var filter = HQOrderFilter()
        filter.store = String(parts[0]).uppercased()
        filter.number = number
        guard var order = try orders(hq, filter).first else {
            throw HQError.invalid("order \(chainNumber) is not at HQ (not sold, or not sent yet: see `till hq store list`)")
        }
        order.lines = try hq.query("""
            SELECT sku, name, category, quantity_milli::text AS quantity_milli, unit_price::text AS unit_price,
                   discount::text AS discount, total::text AS total FROM hq.sale_line
            WHERE store = $1 AND number = $2::bigint ORDER BY position
            """, [order.store, String(number)]).map {
            HQOrder.Line(sku: $0["sku"] ?? "", name: $0["name"] ?? "", category: $0["category"],
                         quantityMilli: Int64($0["quantity_milli"] ?? "0") ?? 0, unitPrice: Int64($0["unit_price"] ?? "0") ?? 0,
                         discount: Int64($0["discount"] ?? "0") ?? 0, total: Int64($0["total"] ?? "0") ?? 0)
        }
        order.payments = try hq.query("""
            SELECT method, amount::text AS amount, card_brand, card_last4 FROM hq.sale_payment
            WHERE store = $1 AND number = $2::bigint ORDER BY position
            """, [order.store, String(number)]).map {
            HQOrder.Payment(method: $0["method"] ?? "", amount: Int64($0["amount"] ?? "0") ?? 0, cardBrand: $0["card_brand"],
                            cardLast4: $0["card_last4"])
        }
        return order
    }

    static func order(from row: HQRow) -> HQOrder {
        let store = row["store"] ?? ""
        let number = Int64(row["number"] ?? "0") ?? 0
        return HQOrder(chainNumber: "\(store)-\(number)", store: store, number: number, register: row["register"] ?? "",
                       completedAt: row["completed_at"] ?? "", businessDay: row["business_day"], staff: row["staff"],
                       total: Int64(row["total"] ?? "0") ?? 0, currency: row["currency"] ?? "", voided: row["voided"] == "true",
                       lines: nil, payments: nil)
    }

    public static func stock(_ hq: HQConnection, sku: String) throws -> [HQStockRow] {
        try hq.query("""
            SELECT l.store, l.location, l.sku, l.on_hand_milli::text, l.as_of_seq::text,
                   to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS as_of
            FROM hq.stock_level l LEFT JOIN hq.event e ON e.store = l.store AND e.seq = l.as_of_seq
            WHERE lower(l.sku) = lower($1) ORDER BY l.store, l.location
            """, [sku]).map {
            HQStockRow(store: $0["store"] ?? "", location: $0["location"] ?? "", sku: $0["sku"] ?? "",
                       onHandMilli: Int64($0["on_hand_milli"] ?? "0") ?? 0, asOfSeq: Int64($0["as_of_seq"] ?? "0") ?? 0,
                       asOf: $0["as_of"])
        }
    }

    public static func exceptions(_ hq: HQConnection, store: String? = nil, includeResolved: Bool = false) throws -> [HQException] {
        try hq.query("""
            SELECT x.id::text AS id, x.store, x.seq::text AS seq, x.kind, x.detail,
                   to_char(x.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS created_at,
                   to_char(x.resolved_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS resolved_at, x.resolved_by
            FROM hq.exception x WHERE ($1::text IS NULL OR x.store = upper($1::text)) AND ($2::boolean OR x.resolved_at IS NULL)
            ORDER BY x.id
            """, [store, includeResolved ? "true" : "false"]).map {
            HQException(id: Int64($0["id"] ?? "0") ?? 0, store: $0["store"], seq: $0["seq"].flatMap { Int64($0) },
                        kind: $0["kind"] ?? "", detail: $0["detail"] ?? "", createdAt: $0["created_at"] ?? "",
                        resolvedAt: $0["resolved_at"], resolvedBy: $0["resolved_by"])
        }
    }

    /// Marks an exception looked at.
    public static func resolve(_ hq: HQConnection, id: Int64) throws {
        let rows = try hq.query("UPDATE hq.exception SET resolved_at = now(), resolved_by = current_user WHERE id = $1::bigint AND resolved_at IS NULL RETURNING id::text",
                                [String(id)])
        guard !rows.isEmpty else { throw HQError.invalid("no open exception #\(id)") }
    }
}
