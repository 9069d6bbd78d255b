import Foundation
import TillCore

/// Two customer records HQ thinks are one person, and why.
public struct HQCustomerPair: Sendable, Equatable, Codable {
    public struct Side: Sendable, Equatable, Codable {
        public var id: String
        public var name: String
        public var store: String
        public var email: String?
        public var phone: String?
        public var purchases: Int64
    }
    public var keep: Side
    public var other: Side
    public var why: String
}

/// Customers and loyalty at HQ: suggested duplicates, merges a person confirms, the loyalty scheme.
public enum HQCustomers {
    public static func duplicates(_ hq: HQConnection) throws -> [HQCustomerPair] {
        try hq.query("""
            SELECT d.why, a.global_id::text AS a_id, a.name AS a_name, a.store AS a_store, a.email AS a_email, a.phone AS a_phone,
                   (SELECT count(*) FROM hq.sale s WHERE s.customer = a.global_id)::text AS a_sales,
                   b.global_id::text AS b_id, b.name AS b_name, b.store AS b_store, b.email AS b_email, b.phone AS b_phone,
                   (SELECT count(*) FROM hq.sale s WHERE s.customer = b.global_id)::text AS b_sales
            FROM hq.customer_duplicate d JOIN hq.customer a ON a.global_id = d.keep JOIN hq.customer b ON b.global_id = d.other
            ORDER BY a.name, b.name
            """).map { row in
            func side(_ p: String) -> HQCustomerPair.Side {
                .init(id: row[p + "_id"] ?? "", name: row[p + "_name"] ?? "", store: row[p + "_store"] ?? "",
                      email: row[p + "_email"], phone: row[p + "_phone"], purchases: Int64(row[p + "_sales"] ?? "0") ?? 0)
            }
            return HQCustomerPair(keep: side("a"), other: side("b"), why: row["why"] ?? "")
        }
    }

    /// A customer by their global id, or by its first eight or more characters.
    public static func resolve(_ hq: HQConnection, _ text: String) throws -> String {
        let prefix = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard prefix.count >= 8 else { throw HQError.invalid("give a customer's id, or at least its first 8 characters (\"\(prefix)\" is too short)") }
        let rows = try hq.query("SELECT global_id::text AS id FROM hq.customer WHERE global_id::text LIKE $1 || '%' LIMIT 2", [prefix])
        guard let id = rows.first?["id"] else { throw HQError.invalid("HQ has no customer \(prefix)") }
        guard rows.count == 1 else { throw HQError.invalid("\(prefix) starts more than one customer's id: give more of it") }
        return id
    }

    /// Merges `other` into `keep`: their purchases and points count as one person's from now on, at every store.
    public static func merge(_ hq: HQConnection, keep keepText: String, other otherText: String) throws -> (keep: String, other: String) {
        let keep = try resolve(hq, keepText), other = try resolve(hq, otherText)
        let rows = try hq.query("""
            UPDATE hq.customer SET merged_into = hq.customer_root($1::uuid), merged_by = current_user, merged_at = now()
            WHERE global_id = $2::uuid AND hq.customer_root($2::uuid) <> hq.customer_root($1::uuid)
            RETURNING global_id::text
            """, [keep, other])
        guard !rows.isEmpty else { throw HQError.invalid("\(otherText) and \(keepText) are one customer already") }
        return (keep, other)
    }

    /// The chain's loyalty scheme, published to every store: `earnPerUnit` points per whole currency unit spent
    /// (0 switches earning off), each point worth `pointValue` minor units.
    @discardableResult
    public static func setLoyalty(_ hq: HQConnection, earnPerUnit: Int64, pointValue: Int64) throws -> Int64 {
        guard earnPerUnit >= 0, earnPerUnit <= 1000, pointValue >= 0 else {
            throw HQError.invalid("points per unit is 0 to 1000 and a point's value 0 or more")
        }
        var data = ReferenceData()
        data.earnPerUnit = earnPerUnit
        data.pointValue = pointValue
        try hq.query("UPDATE hq.settings SET loyalty_earn_per_unit = $1::bigint, loyalty_point_value = $2::bigint WHERE id = 1",
                     [String(earnPerUnit), String(pointValue)])
        return try HQCatalog.publish(hq, [ReferenceChange(kind: "setting", key: "loyalty", data: data)],
                                     note: "loyalty: \(earnPerUnit) points per unit", minStoreSchema: 2)
    }

    /// A customer's points at HQ (over merges).
    public static func points(_ hq: HQConnection, customer: String) throws -> Int64 {
        let id = try resolve(hq, customer)
        return Int64(try hq.query("""
            SELECT COALESCE(sum(points), 0)::text AS p FROM hq.loyalty_entry WHERE customer IN (SELECT hq.customer_family($1::uuid))
            """, [id]).first?["p"] ?? "0") ?? 0
    }
}
