import Foundation
import GRDB

/// One product row of an import, checked and ready to write. Both the native and the Shopify readers make these,
/// so the write path and its rules exist once.
public struct ProductRow: Equatable, Sendable {
    public var line: Int
    public var handle: String
    public var name: String
    public var sku: String
    public var option: String
    /// The item's own barcodes, GTIN-14 (`Barcode.gtin14`).
    public var barcodes: [String]
    /// Codes on its cases (GTIN-14) and the units each stands for.
    public var caseBarcodes: [CaseBarcode] = []
    public var price: Int64
    public var cost: Int64?
    public var category: String?
    public var taxClass: String
    public var unit: SaleUnit
    public var reorderPoint: Quantity
    public var active: Bool
    /// Stock on the shop floor to set, when the file carries it (Shopify's inventory column).
    public var floorStock: Quantity?
    /// How much the pack holds, for the shelf label's unit price; written only with `setsContent` (a file without
    /// the column, Shopify's and head office's keep what the store has).
    public var content: ContentSize? = nil
    public var setsContent = false
}

extension ProductRow {
    /// The barcode rows this product row stands for: its own codes (pack of one), then its case codes.
    func barcodeRecords(variantID: Int64) -> [BarcodeRecord] {
        barcodes.map { BarcodeRecord(code: $0, variantID: variantID) }
            + caseBarcodes.map { BarcodeRecord(code: $0.code, variantID: variantID, packQuantity: $0.quantity) }
    }
}

/// The native product CSV: one row per SKU; rows sharing a `handle` are one product's variants.
public enum NativeProductCSV {
    public static let columns = ["handle", "sku", "name", "option", "barcode", "price", "cost", "category",
                                 "tax_class", "unit", "reorder_point", "active", "case_barcodes", "content"]
    public static let requiredColumns = ["sku", "name", "barcode", "price", "category", "tax_class"]

    /// Reads and checks every row; all problems are collected, none stops the reading early.
    public static func rows(from file: CSVFile, currency: Currency) -> (rows: [ProductRow], issues: [ImportIssue]) {
        var issues = file.missingColumns(requiredColumns)
        guard issues.isEmpty else { return ([], issues) }
        var rows: [ProductRow] = []
        for record in file.records {
            func issue(_ column: String, _ reason: String) {
                issues.append(ImportIssue(file: file.name, line: record.line, column: column, reason: reason))
            }
            let sku = record["sku"]
            let name = record["name"]
            if sku.isEmpty { issue("sku", "empty") }
            if name.isEmpty { issue("name", "empty") }
            var price: Int64 = 0
            do {
                price = try file.money(record["price"], currency: currency).minorUnits
                if price < 0 { issue("price", "negative price \(record["price"])") }
            } catch { issue("price", "\(error)") }
            var cost: Int64?
            if !record["cost"].isEmpty {
                do {
                    cost = try file.money(record["cost"], currency: currency).minorUnits
                    if (cost ?? 0) < 0 { issue("cost", "negative cost \(record["cost"])") }
                } catch { issue("cost", "\(error)") }
            }
            // Each code cleaned and checked by the one barcode rule (`Barcode.canonical`), stored as GTIN-14.
            var barcodes: [String] = []
            for typed in record["barcode"].split(separator: ";").map(String.init)
                where !Barcode.cleaned(typed).isEmpty {
                switch Barcode.canonical(typed) {
                case let .success(code): barcodes.append(code)
                case let .failure(problem): issue("barcode", "\(typed.trimmingCharacters(in: .whitespaces)): \(problem)")
                }
            }
            var caseBarcodes: [CaseBarcode] = []
            do { caseBarcodes = try CaseBarcode.parseList(record["case_barcodes"]) } catch { issue("case_barcodes", "\(error)") }
            var unit = SaleUnit.each
            if !record["unit"].isEmpty {
                if let parsed = SaleUnit(rawValue: record["unit"].lowercased()) { unit = parsed } else {
                    issue("unit", "unknown unit \"\(record["unit"])\" (each or kg)")
                }
            }
            var reorder = Quantity.zero
            if !record["reorder_point"].isEmpty {
                do { reorder = try Quantity.parse(record["reorder_point"]) } catch { issue("reorder_point", "\(error)") }
                if reorder.milli < 0 { issue("reorder_point", "negative") }
            }
            var content: ContentSize?
            if !record["content"].trimmingCharacters(in: .whitespaces).isEmpty {
                do { content = try ContentSize.parse(record["content"]) } catch { issue("content", "\(error)") }
                if unit == .kg { issue("content", "goods sold by weight need none: their price is per kg") }
            }
            let active = parseFlag(record["active"])
            if active == nil { issue("active", "expected true or false, got \"\(record["active"])\"") }
            let taxClass = record["tax_class"]
            if taxClass.isEmpty { issue("tax_class", "empty") }
            let handle = record["handle"].isEmpty ? sku.lowercased() : record["handle"]
            rows.append(ProductRow(line: record.line, handle: handle, name: name, sku: sku, option: record["option"],
                                   barcodes: barcodes, caseBarcodes: caseBarcodes, price: price, cost: cost,
                                   category: record["category"].isEmpty ? nil : record["category"],
                                   taxClass: taxClass, unit: unit, reorderPoint: reorder, active: active ?? true,
                                   floorStock: nil, content: content, setsContent: file.header.contains("content")))
        }
        return (rows, issues)
    }
}

/// Writes checked product rows into the catalog: new SKUs are added, known SKUs updated (their barcodes become
/// the file's list). Rules that need the database (unknown tax class, a barcode another SKU owns, a SKU twice
/// in the file) are checked here, before anything is written.
public struct ProductImporter: Sendable {
    public let store: StoreDatabase

    public init(store: StoreDatabase) { self.store = store }

    public func importFile(path: String, format: ProductFileFormat = .native, dryRun: Bool = false,
                           dropBadBarcodes: Bool = false, progress: ProgressHandler? = nil) throws -> ImportSummary {
        let file = try CSVFile.read(path: path, exactHeader: format == .shopify)
        let currency = try store.read { db in try StoreSettings.load(db).currency }
        var parsed: (rows: [ProductRow], issues: [ImportIssue], warnings: [String])
        switch format {
        case .native:
            let result = NativeProductCSV.rows(from: file, currency: currency)
            parsed = (result.rows, result.issues, [])
        case .shopify:
            parsed = ShopifyProductCSV.rows(from: file, currency: currency, dropBadBarcodes: dropBadBarcodes)
        }
        var summary = try write(parsed.rows, file: file.name, earlierIssues: parsed.issues, dryRun: dryRun,
                                reference: "import:\(file.name)", progress: progress)
        summary.warnings = parsed.warnings
        return summary
    }

    public func write(_ rows: [ProductRow], file: String, earlierIssues: [ImportIssue] = [], dryRun: Bool,
                      reference: String, progress: ProgressHandler? = nil) throws -> ImportSummary {
        try store.pool.writeWithoutTransaction { db in
            var summary = ImportSummary(kind: "product", rows: rows.count, dryRun: dryRun)
            do {
                try db.inTransaction {
                    try ChainStore.refuseLocalEdit(db, of: "the catalog")
                    summary = try ProductImporter.apply(db, rows: rows, file: file, earlierIssues: earlierIssues,
                                                         dryRun: dryRun, reference: reference, progress: progress)
                    try ChainOutbox.fillPending(db)
                    return dryRun ? .rollback : .commit
                }
            } catch let error as DatabaseError {
                throw StoreDatabase.describe(error, path: store.path)
            }
            return summary
        }
    }

    static func apply(_ db: Database, rows: [ProductRow], file: String, earlierIssues: [ImportIssue], dryRun: Bool,
                      reference: String, progress: ProgressHandler?) throws -> ImportSummary {
        var issues = earlierIssues
        func issue(_ row: ProductRow, _ column: String, _ reason: String) {
            issues.append(ImportIssue(file: file, line: row.line, column: column, reason: reason))
        }
        // Only active classes may be chosen; an archived one is named as such.
        var taxClasses: [String: Int64] = [:]
        var archivedClasses = Set<String>()
        for taxClass in try TaxClass.fetchAll(db) {
            if taxClass.active { taxClasses[taxClass.code.lowercased()] = taxClass.id } else { archivedClasses.insert(taxClass.code.lowercased()) }
        }
        var skuLines: [String: Int] = [:]
        var barcodeOwners: [String: (sku: String, line: Int)] = [:]
        var productFields: [String: ProductRow] = [:]
        for row in rows {
            if taxClasses[row.taxClass.lowercased()] == nil && !row.taxClass.isEmpty {
                let known = taxClasses.keys.sorted().joined(separator: ", ")
                let kind = archivedClasses.contains(row.taxClass.lowercased()) ? "archived" : "unknown"
                issue(row, "tax_class", "\(kind) tax class \"\(row.taxClass)\" (known: \(known))")
            }
            if !row.sku.isEmpty {
                if let first = skuLines[row.sku.lowercased()] {
                    issue(row, "sku", "\(row.sku) appears twice (first on line \(first))")
                } else {
                    skuLines[row.sku.lowercased()] = row.line
                }
            }
            if !row.caseBarcodes.isEmpty && row.unit != .each {
                issue(row, "case_barcodes", "case codes are for items sold each")
            }
            for code in row.barcodes + row.caseBarcodes.map(\.code) {
                if let owner = barcodeOwners[code], owner.sku.lowercased() != row.sku.lowercased() {
                    issue(row, "barcode", "\(Barcode.display(code)) is also on \(owner.sku) (line \(owner.line))")
                } else {
                    barcodeOwners[code] = (row.sku, row.line)
                }
                if let existingSKU = try String.fetchOne(db.cachedStatement(sql: """
                    SELECT v.sku FROM barcode b JOIN variant v ON v.id = b.variant_id WHERE b.code = ?
                    """), arguments: [code]), existingSKU.lowercased() != row.sku.lowercased(),
                   skuLines[existingSKU.lowercased()] == nil {
                    issue(row, "barcode", "\(Barcode.display(code)) already belongs to \(existingSKU)")
                }
            }
            if let first = productFields[row.handle] {
                if first.name != row.name || first.category != row.category
                    || first.taxClass.lowercased() != row.taxClass.lowercased() || first.unit != row.unit {
                    issue(row, "handle", "rows of product \"\(row.handle)\" disagree on name, category, tax class or unit (see line \(first.line))")
                }
            } else {
                productFields[row.handle] = row
            }
        }
        guard issues.isEmpty else {
            throw TillError.importFailed(issues.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
        }

        let now = Date()
        let floorID = try Location.named(db, code: Location.floorCode).id ?? 0
        // Keeping the search index in step row by row costs ten times the import itself: for a big file the
        // index triggers are set aside inside this transaction and the touched products re-indexed at the end.
        let searchTriggers = rows.count >= bulkThreshold ? try suspendSearchTriggers(db) : []
        var summary = ImportSummary(kind: "product", rows: rows.count, dryRun: dryRun)
        var categoryIDs: [String: Int64] = [:]
        var productIDs: [String: Int64] = [:]
        var positions: [String: Int] = [:]
        for (index, row) in rows.enumerated() {
            var categoryID: Int64?
            if let name = row.category {
                if let known = categoryIDs[name.lowercased()] { categoryID = known } else {
                    categoryID = try Category.findOrCreate(db, name: name).id
                    categoryIDs[name.lowercased()] = categoryID
                }
            }
            let taxClassID = taxClasses[row.taxClass.lowercased()] ?? 0
            let existing = try Variant.fetchOne(db.cachedStatement(sql: "SELECT * FROM variant WHERE sku = ? COLLATE NOCASE"),
                                                arguments: [row.sku])
            var productID: Int64
            if let known = productIDs[row.handle] {
                productID = known
            } else if var product = try Product.fetchOne(db.cachedStatement(sql: "SELECT * FROM product WHERE handle = ?"),
                                                         arguments: [row.handle])
                        ?? existing.flatMap({ try Product.fetchOne(db, key: $0.productID) }) {
                let updated = Product(id: product.id, handle: product.handle, name: row.name, categoryID: categoryID,
                                      taxClassID: taxClassID, unit: row.unit, active: product.active)
                if updated != product {
                    product = updated
                    try product.update(db)
                }
                productID = product.id ?? 0
                productIDs[row.handle] = productID
            } else {
                var product = Product(handle: row.handle, name: row.name, categoryID: categoryID,
                                      taxClassID: taxClassID, unit: row.unit, active: true)
                try product.insert(db)
                productID = product.id ?? 0
                productIDs[row.handle] = productID
            }
            let position = positions[row.handle, default: 0]
            positions[row.handle] = position + 1

            var variant = Variant(id: existing?.id, productID: productID, sku: row.sku, option: row.option,
                                  price: row.price, cost: row.cost, reorderPointMilli: row.reorderPoint.milli,
                                  active: row.active, position: position)
            let oldBarcodes = try existing.map {
                try BarcodeRecord.fetchAll(db.cachedStatement(sql: "SELECT * FROM barcode WHERE variant_id = ? ORDER BY rowid"),
                                           arguments: [$0.id])
            } ?? []
            if let existing {
                if existing == variant && oldBarcodes == row.barcodeRecords(variantID: existing.id ?? 0) {
                    summary.unchanged += 1
                } else {
                    try variant.update(db)
                    summary.updated += 1
                }
            } else {
                try variant.insert(db)
                summary.created += 1
            }
            let variantID = variant.id ?? 0
            if row.setsContent, try ContentSize.fetch(db, variantID: variantID) != row.content {
                try db.cachedStatement(sql: "UPDATE variant SET content_milli = ?, content_unit = ? WHERE id = ?")
                    .execute(arguments: [row.content?.milli, row.content?.unit.rawValue, variantID])
                if existing != nil && existing == variant && oldBarcodes == row.barcodeRecords(variantID: variantID) {
                    summary.unchanged -= 1
                    summary.updated += 1
                }
            }
            let newBarcodes = row.barcodeRecords(variantID: variantID)
            if oldBarcodes != newBarcodes {
                try db.execute(sql: "DELETE FROM barcode WHERE variant_id = ?", arguments: [variantID])
                for record in newBarcodes { try record.insert(db) }
            }
            if let stock = row.floorStock {
                try Inventory.setOnHand(db, variantID: variantID, locationID: floorID, to: stock, reason: .import,
                                        staffID: nil, reference: reference, at: now)
            }
            if index % 500 == 0 || index == rows.count - 1 { progress?(index + 1, rows.count) }
        }
        // Products whose every variant is archived are archived too, so lists and search agree.
        for productID in Set(productIDs.values) {
            let anyActive = try Bool.fetchOne(db.cachedStatement(sql: "SELECT MAX(active) FROM variant WHERE product_id = ?"),
                                              arguments: [productID]) ?? false
            try db.cachedStatement(sql: "UPDATE product SET active = ? WHERE id = ? AND active <> ?")
                .execute(arguments: [anyActive, productID, anyActive])
        }
        if !searchTriggers.isEmpty {
            try reindex(db, products: Array(Set(productIDs.values)))
            for trigger in searchTriggers { try db.execute(sql: trigger) }
        }
        return summary
    }

    /// Files at least this long are imported with the search index rebuilt once at the end.
    static let bulkThreshold = 2_000

    /// Drops the triggers that keep `variant_search` in step, returning their SQL to recreate them.
    static func suspendSearchTriggers(_ db: Database) throws -> [String] {
        let triggers = try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'variant_search%'")
        for trigger in triggers { try db.execute(sql: "DROP TRIGGER \(trigger["name"] as String)") }
        return triggers.map { $0["sql"] }
    }

    /// Re-indexes every variant of these products in one pass.
    static func reindex(_ db: Database, products: [Int64]) throws {
        try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS reindex_product(id INTEGER PRIMARY KEY)")
        try db.execute(sql: "DELETE FROM temp.reindex_product")
        let insert = try db.makeStatement(sql: "INSERT INTO temp.reindex_product(id) VALUES (?)")
        for id in products { try insert.execute(arguments: [id]) }
        try db.execute(sql: """
            DELETE FROM variant_search WHERE rowid IN (SELECT id FROM variant WHERE product_id IN (SELECT id FROM temp.reindex_product));
            INSERT INTO variant_search(rowid, sku, name, option, barcodes, category)
            SELECT id, sku, name, option, barcodes, category FROM variant_search_source
            WHERE id IN (SELECT id FROM variant WHERE product_id IN (SELECT id FROM temp.reindex_product));
            DELETE FROM temp.reindex_product;
            """)
    }
}

public enum ProductFileFormat: String, Sendable, CaseIterable {
    case native
    case shopify
}
