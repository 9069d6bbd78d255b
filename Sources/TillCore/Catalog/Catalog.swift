import GRDB

/// Read paths over the catalog: scan lookup, search-as-you-type, paged lists, detail.
public struct Catalog: Sendable {
    public let store: StoreDatabase

    public init(store: StoreDatabase) { self.store = store }

    /// The item a scanner or a typed code names: a barcode first, then a SKU (any case). Nil when unknown.
    public func lookup(code: String) throws -> CatalogItem? {
        let trimmed = code.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        return try store.read { db in try Catalog.lookup(db, code: trimmed) }
    }

    static func lookup(_ db: Database, code: String) throws -> CatalogItem? {
        if let item = try CatalogItem.fetchOne(db.cachedStatement(sql: CatalogItem.selectSQL + """
            WHERE v.id = (SELECT variant_id FROM barcode WHERE code = ?)
            """), arguments: [code]) {
            return item
        }
        return try CatalogItem.fetchOne(db.cachedStatement(sql: CatalogItem.selectSQL + " WHERE v.sku = ? COLLATE NOCASE"),
                                        arguments: [code])
    }

    /// Search-as-you-type: every word of `text` matches the start of a word in the SKU, name, option, a barcode
    /// or the category. Any text is safe (quotes, `*`, `NEAR(`, `-`): it is tokenized, never passed as FTS syntax.
    /// Empty or punctuation-only text lists the catalog in name order.
    public func search(_ text: String, category: String? = nil, includeInactive: Bool = true,
                       limit: Int = 50, offset: Int = 0) throws -> [CatalogItem] {
        try store.read { db in
            try Catalog.search(db, text: text, category: category, includeInactive: includeInactive,
                               limit: limit, offset: offset)
        }
    }

    /// Up to this many hits are ordered by relevance (bm25). Ranking costs time for every hit, so a short prefix
    /// matching more (a quarter of a million-product catalog for "a") lists hits in catalog order instead —
    /// the next letter typed narrows it. Measured by `till bench`.
    public static let rankedHitLimit = 1_000

    /// Counts hits up to `rankedHitLimit + 1`, stopping there.
    public static let searchCountSQL = "SELECT count(*) FROM (SELECT rowid FROM variant_search WHERE variant_search MATCH ? LIMIT ?)"

    /// The search: the FTS5 hits drive the join (so a LIMIT stops early), ranked or in catalog order.
    public static func searchSQL(ranked: Bool, filter: String = "") -> String {
        """
        WITH hits AS (SELECT rowid\(ranked ? ", rank" : "") FROM variant_search WHERE variant_search MATCH ?)
        SELECT \(CatalogItem.columnsSQL) FROM hits CROSS JOIN variant v ON v.id = hits.rowid
        \(CatalogItem.joinsSQL)
        WHERE 1\(filter)
        ORDER BY \(ranked ? "hits.rank, p.name, v.position" : "hits.rowid")
        LIMIT ? OFFSET ?
        """
    }

    static func search(_ db: Database, text: String, category: String?, includeInactive: Bool,
                       limit: Int, offset: Int) throws -> [CatalogItem] {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let category {
            conditions.append("c.name = ? COLLATE NOCASE")
            arguments += [category]
        }
        if !includeInactive { conditions.append("v.active AND p.active") }
        if let pattern = FTS5Pattern(matchingAllPrefixesIn: text) {
            let filter = conditions.isEmpty ? "" : " AND " + conditions.joined(separator: " AND ")
            let ranked = try Int.fetchOne(db.cachedStatement(sql: searchCountSQL), arguments: [pattern, rankedHitLimit + 1]) ?? 0 <= rankedHitLimit
            return try CatalogItem.fetchAll(db.cachedStatement(sql: searchSQL(ranked: ranked, filter: filter)),
                                            arguments: [pattern] + arguments + [limit, offset])
        }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return try CatalogItem.fetchAll(
            db, sql: CatalogItem.selectSQL + filter + " ORDER BY p.name COLLATE NOCASE, v.position LIMIT ? OFFSET ?",
            arguments: arguments + [limit, offset])
    }

    public func categories() throws -> [Category] {
        try store.read { db in try Category.order(Column("name").collating(.nocase)).fetchAll(db) }
    }

    public func taxClasses() throws -> [TaxClass] {
        try store.read { db in try TaxClass.order(Column("code")).fetchAll(db) }
    }

    public func barcodes(variantID: Int64) throws -> [String] {
        try store.read { db in
            try String.fetchAll(db, sql: "SELECT code FROM barcode WHERE variant_id = ? ORDER BY rowid",
                                arguments: [variantID])
        }
    }

    public func item(variantID: Int64) throws -> CatalogItem? {
        try store.read { db in
            try CatalogItem.fetchOne(db, sql: CatalogItem.selectSQL + " WHERE v.id = ?", arguments: [variantID])
        }
    }

    /// The other SKUs of the same product, in their display order.
    public func variants(productID: Int64) throws -> [CatalogItem] {
        try store.read { db in
            try CatalogItem.fetchAll(db, sql: CatalogItem.selectSQL + " WHERE p.id = ? ORDER BY v.position, v.id",
                                     arguments: [productID])
        }
    }

    public func count() throws -> Int {
        try store.read { db in try Variant.fetchCount(db) }
    }
}
