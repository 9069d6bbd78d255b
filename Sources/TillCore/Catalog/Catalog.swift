import GRDB

/// Read paths over the catalog: scan lookup, search-as-you-type, paged lists, detail.
public struct Catalog: Sendable {
    public let store: StoreDatabase

    public init(store: StoreDatabase) { self.store = store }

    /// The item a scanner or a typed code names: a barcode in any of its printed forms first, then a SKU (any
    /// case). Nil when unknown. A case code names its item too (see `resolve` for the units it stands for).
    public func lookup(code: String) throws -> CatalogItem? {
        try resolve(code: code)?.item
    }

    /// The item and how many units the code stands for: 1, or a case code's pack quantity.
    public func resolve(code: String) throws -> (item: CatalogItem, pack: Int64)? {
        let trimmed = code.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        return try store.read { db in try Catalog.resolve(db, code: trimmed) }
    }

    static func lookup(_ db: Database, code: String) throws -> CatalogItem? {
        try resolve(db, code: code)?.item
    }

    /// The one rule for what a code names, shared by the till, `till sell`, receiving and the editors: text that
    /// is a GTIN once spaces, hyphens and invisible characters are gone (`Barcode.canonical`) is looked up by
    /// its GTIN-14; otherwise (or when no item has that barcode) the text is a SKU.
    static func resolve(_ db: Database, code: String) throws -> (item: CatalogItem, pack: Int64)? {
        if case let .success(gtin) = Barcode.canonical(code),
           let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT variant_id, pack_quantity FROM barcode WHERE code = ?"),
                                      arguments: [gtin]),
           let item = try CatalogItem.fetchOne(db.cachedStatement(sql: CatalogItem.selectSQL + " WHERE v.id = ?"),
                                               arguments: [row["variant_id"] as Int64]) {
            return (item, row["pack_quantity"])
        }
        let sku = code.trimmingCharacters(in: .whitespaces)
        guard let item = try CatalogItem.fetchOne(db.cachedStatement(sql: CatalogItem.selectSQL + " WHERE v.sku = ? COLLATE NOCASE"),
                                                  arguments: [sku]) else { return nil }
        return (item, 1)
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

    /// The item's own barcodes in their printed (short) form, in the order they were given.
    public func barcodes(variantID: Int64) throws -> [String] {
        try store.read { db in try Catalog.barcodes(db, variantID: variantID).units }
    }

    /// A variant's barcodes: its own (pack of one) in short form, and its case codes.
    static func barcodes(_ db: Database, variantID: Int64?) throws -> (units: [String], cases: [CaseBarcode]) {
        var units: [String] = []
        var cases: [CaseBarcode] = []
        for record in try BarcodeRecord.fetchAll(db.cachedStatement(sql: "SELECT * FROM barcode WHERE variant_id = ? ORDER BY rowid"),
                                                 arguments: [variantID]) {
            if record.packQuantity == 1 {
                units.append(Barcode.display(record.code))
            } else {
                cases.append(CaseBarcode(code: record.code, quantity: record.packQuantity))
            }
        }
        return (units, cases)
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
