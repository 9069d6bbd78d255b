import Foundation
import NIOCore
import TillCore

/// The HQ app's read-only line to head office (`HeadOfficeBrowser`), over HQ's administrator URL as the other
/// `till hq` commands use it — but it only ever reads. One connection, opened on first use and kept; a dropped
/// connection is opened again once, and if HQ still cannot be reached the pane says so and keeps what it showed.
public final class HQBrowser: HeadOfficeBrowser, @unchecked Sendable {
    private let url: PostgresURL
    private let lock = NSLock()
    private var connection: HQConnection?
    private var knownCurrency: Currency?

    public init(url: PostgresURL) { self.url = url }

    deinit { connection?.close() }

    public var place: String { url.description }

    public var currency: Currency {
        get throws {
            if let knownCurrency = lock.withLock({ self.knownCurrency }) { return knownCurrency }
            let currency = try use { try HQCatalog.currency($0) }
            lock.withLock { knownCurrency = currency }
            return currency
        }
    }

    public func orders(_ filter: HQOrderFilter) throws -> [HQOrder] {
        if let store = filter.store { _ = try use { try HQReports.requireStore($0, store) } }
        return try use { try HQReports.orders($0, filter) }
    }

    public func order(chainNumber: String) throws -> HQOrder {
        try use { try HQReports.order($0, chainNumber: chainNumber) }
    }

    public func stock(sku: String) throws -> [HQStockRow] {
        try use { try HQReports.stock($0, sku: sku) }
    }

    public func products(matching text: String, limit: Int) throws -> [(sku: String, name: String)] {
        let words = text.split(separator: " ").map(String.init)
        // Every word (none: the whole catalog, by SKU) is the start of the SKU or in the name; stock HQ has for a SKU missing from its catalog counts too.
        return try use { hq in
            try hq.query("""
                SELECT sku, name FROM (
                    -- The option (size, colour) with the name: variants of one product are told apart.
                    SELECT r.key AS sku, COALESCE(r.data->>'name', '')
                           || CASE WHEN COALESCE(r.data->>'option', '') <> '' THEN ' (' || (r.data->>'option') || ')' ELSE '' END AS name
                    FROM hq.reference r WHERE r.kind = 'product'
                    UNION
                    SELECT DISTINCT l.sku, '' FROM hq.stock_level l
                    WHERE NOT EXISTS (SELECT 1 FROM hq.reference r WHERE r.kind = 'product' AND lower(r.key) = lower(l.sku))
                ) c
                WHERE (SELECT COALESCE(bool_and(lower(c.sku) LIKE lower(w) || '%' OR c.name ILIKE '%' || w || '%'), true)
                       FROM unnest($1::text[]) AS w)
                ORDER BY lower(c.sku) = lower($2) DESC, c.sku
                LIMIT $3::int
                """, [Self.arrayLiteral(words), text.trimmingCharacters(in: .whitespaces), String(max(1, limit))])
                .map { (sku: $0["sku"] ?? "", name: $0["name"] ?? "") }
        }
    }

    /// A PostgreSQL text[] literal, each element quoted.
    static func arrayLiteral(_ items: [String]) -> String {
        "{" + items.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
            .joined(separator: ",") + "}"
    }

    private func use<T>(_ body: (HQConnection) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        var lastFailure = "no attempt"
        for _ in 0..<2 {
            do {
                let hq = try open()
                return try body(hq)
            } catch let error as HQError where error.isTransport {
                connection?.close()
                connection = nil
                lastFailure = error.description
            } catch let error as HQError {
                throw TillError.invalid(error.description)
            }
        }
        throw HeadOfficeUnreachable(lastFailure)
    }

    private func open() throws -> HQConnection {
        if let connection { return connection }
        let hq = try HQConnection.connect(url, timeout: .seconds(5), callTimeout: .seconds(15))
        connection = hq
        return hq
    }
}
