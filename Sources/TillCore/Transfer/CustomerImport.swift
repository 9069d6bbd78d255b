import Foundation
import GRDB

/// Native customer CSV: `name,email,phone,notes`. A row whose email is already known updates that customer;
/// others are added.
public struct CustomerImporter: Sendable {
    public static let columns = ["name", "email", "phone", "notes"]
    public let store: StoreDatabase

    public init(store: StoreDatabase) { self.store = store }

    public func importFile(path: String, dryRun: Bool = false, progress: ProgressHandler? = nil) throws -> ImportSummary {
        let file = try CSVFile.read(path: path)
        var issues = file.missingColumns(["name"])
        var seenEmails: [String: Int] = [:]
        for record in file.records {
            if record["name"].isEmpty {
                issues.append(ImportIssue(file: file.name, line: record.line, column: "name", reason: "empty"))
            }
            let email = record["email"].lowercased()
            if !email.isEmpty {
                if !email.contains("@") || email.contains(" ") {
                    issues.append(ImportIssue(file: file.name, line: record.line, column: "email",
                                              reason: "\"\(record["email"])\" is not an email address"))
                }
                if let first = seenEmails[email] {
                    issues.append(ImportIssue(file: file.name, line: record.line, column: "email",
                                              reason: "\(email) appears twice (first on line \(first))"))
                }
                seenEmails[email] = seenEmails[email] ?? record.line
            }
        }
        guard issues.isEmpty else { throw TillError.importFailed(issues) }
        return try store.pool.writeWithoutTransaction { db in
            var summary = ImportSummary(kind: "customer", rows: file.records.count, dryRun: dryRun)
            do {
                try db.inTransaction {
                    for (index, record) in file.records.enumerated() {
                        var customer = Customer(name: record["name"], email: record["email"], phone: record["phone"],
                                                notes: record["notes"])
                        if let email = customer.email,
                           let existing = try Customer.filter(sql: "email = ? COLLATE NOCASE", arguments: [email]).fetchOne(db) {
                            customer.id = existing.id
                            if existing == customer { summary.unchanged += 1 } else {
                                try customer.update(db)
                                summary.updated += 1
                            }
                        } else {
                            try customer.insert(db)
                            summary.created += 1
                        }
                        if index % 500 == 0 || index == file.records.count - 1 { progress?(index + 1, file.records.count) }
                    }
                    return dryRun ? .rollback : .commit
                }
            } catch let error as DatabaseError {
                throw StoreDatabase.describe(error, path: store.path)
            }
            return summary
        }
    }
}

/// Native stock CSV: `sku,location,on_hand`. Each row sets on-hand at that location by recording the difference
/// in the ledger (reason `import`), so history stays whole.
public struct StockImporter: Sendable {
    public static let columns = ["sku", "location", "on_hand"]
    public let store: StoreDatabase

    public init(store: StoreDatabase) { self.store = store }

    /// Sets on-hand from the file by writing the differences to the ledger, as the context's member (stock work
    /// needs `adjust_stock`; nobody signed in is the store file's owner at a shell).
    public func importFile(path: String, dryRun: Bool = false, progress: ProgressHandler? = nil,
                           _ ctx: TillContext) throws -> ImportSummary {
        let file = try CSVFile.read(path: path)
        return try importRecords(file, dryRun: dryRun, reason: .import, reference: "import:\(file.name)",
                                 staffID: ctx.staffID, at: ctx.now, progress: progress)
    }

    func importRecords(_ file: CSVFile, dryRun: Bool, reason: StockReason, reference: String, staffID: Int64?,
                       at date: Date, progress: ProgressHandler?) throws -> ImportSummary {
        try store.pool.writeWithoutTransaction { db in
            var summary = ImportSummary(kind: "stock", rows: file.records.count, dryRun: dryRun)
            do {
                try db.inTransaction {
                    summary = try StockImporter.apply(db, file: file, dryRun: dryRun, reason: reason,
                                                      reference: reference, staffID: staffID, at: date,
                                                      progress: progress)
                    return dryRun ? .rollback : .commit
                }
            } catch let error as DatabaseError {
                throw StoreDatabase.describe(error, path: store.path)
            }
            return summary
        }
    }

    static func apply(_ db: Database, file: CSVFile, dryRun: Bool, reason: StockReason, reference: String,
                      staffID: Int64?, at date: Date, progress: ProgressHandler?) throws -> ImportSummary {
        var issues = file.missingColumns(columns)
        guard issues.isEmpty else { throw TillError.importFailed(issues) }
        var locations: [String: Int64] = [:]
        for location in try Location.fetchAll(db) { locations[location.code.lowercased()] = location.id }
        var planned: [(variantID: Int64, locationID: Int64, quantity: Quantity)] = []
        var seen: [String: Int] = [:]
        for record in file.records {
            func issue(_ column: String, _ reason: String) {
                issues.append(ImportIssue(file: file.name, line: record.line, column: column, reason: reason))
            }
            let variant = try Variant.filter(sql: "sku = ? COLLATE NOCASE", arguments: [record["sku"]]).fetchOne(db)
            if variant == nil { issue("sku", record["sku"].isEmpty ? "empty" : "unknown SKU \(record["sku"])") }
            let locationID = locations[record["location"].lowercased()]
            if locationID == nil {
                issue("location", "unknown location \"\(record["location"])\" (known: \(locations.keys.sorted().joined(separator: ", ")))")
            }
            var quantity = Quantity.zero
            do { quantity = try Quantity.parse(record["on_hand"]) } catch { issue("on_hand", "\(error)") }
            let key = record["sku"].lowercased() + "@" + record["location"].lowercased()
            if let first = seen[key] {
                issue("sku", "\(record["sku"]) at \(record["location"]) appears twice (first on line \(first))")
            }
            seen[key] = seen[key] ?? record.line
            if let variant, let locationID { planned.append((variant.id ?? 0, locationID, quantity)) }
        }
        guard issues.isEmpty else { throw TillError.importFailed(issues) }
        var summary = ImportSummary(kind: "stock", rows: file.records.count, dryRun: dryRun)
        for (index, entry) in planned.enumerated() {
            let before = try Int64.fetchOne(db, sql: """
                SELECT on_hand_milli FROM stock_level WHERE variant_id = ? AND location_id = ?
                """, arguments: [entry.variantID, entry.locationID]) ?? 0
            if before == entry.quantity.milli { summary.unchanged += 1 } else {
                if before == 0 { summary.created += 1 } else { summary.updated += 1 }
                try Inventory.setOnHand(db, variantID: entry.variantID, locationID: entry.locationID,
                                        to: entry.quantity, reason: reason, staffID: staffID, reference: reference,
                                        at: date)
            }
            if index % 500 == 0 || index == planned.count - 1 { progress?(index + 1, planned.count) }
        }
        return summary
    }
}
