import Foundation
import GRDB

/// Suppliers and what they supply: each change one audited write transaction, `edit_catalog` to make it.
public struct Suppliers: Sendable {
    public let store: StoreDatabase

    public init(store: StoreDatabase) { self.store = store }

    /// The fields of a supplier a change may set; nil leaves one as it is.
    public struct Changes: Equatable, Sendable {
        public var name: String?
        public var contact: String?
        public var email: String?
        public var phone: String?
        public var leadTimeDays: Int?
        public var terms: String?
        public var active: Bool?

        public init(name: String? = nil, contact: String? = nil, email: String? = nil, phone: String? = nil,
                    leadTimeDays: Int? = nil, terms: String? = nil, active: Bool? = nil) {
            self.name = name
            self.contact = contact
            self.email = email
            self.phone = phone
            self.leadTimeDays = leadTimeDays
            self.terms = terms
            self.active = active
        }

        var isEmpty: Bool { self == Changes() }

        func apply(to supplier: inout Supplier) throws {
            if let name {
                let trimmed = name.trimmingCharacters(in: .whitespaces)
                guard !trimmed.isEmpty else { throw TillError.invalid("a supplier needs a name") }
                supplier.name = trimmed
            }
            if let contact { supplier.contact = contact.trimmingCharacters(in: .whitespaces) }
            if let email { supplier.email = email.trimmingCharacters(in: .whitespaces) }
            if let phone { supplier.phone = phone.trimmingCharacters(in: .whitespaces) }
            if let terms { supplier.terms = terms.trimmingCharacters(in: .whitespaces) }
            if let leadTimeDays {
                guard (0...365).contains(leadTimeDays) else {
                    throw TillError.invalid("lead time \(leadTimeDays) days: give 0 to 365 days")
                }
                supplier.leadTimeDays = leadTimeDays
            }
            if let active { supplier.active = active }
            for (field, value) in [("name", supplier.name), ("contact", supplier.contact), ("email", supplier.email),
                                   ("phone", supplier.phone), ("terms", supplier.terms)] {
                try CardNumberGuard.check(value, field: "the supplier's \(field)")
            }
        }
    }

    /// A new supplier. The code is one word (`ACME`, `bakery-2`), unique without regard to case.
    @discardableResult
    public func add(code: String, changes: Changes, _ ctx: TillContext) throws -> Supplier {
        let code = code.trimmingCharacters(in: .whitespaces)
        guard !code.isEmpty, !code.contains(where: \.isWhitespace) else {
            throw TillError.invalid("a supplier code is one word, e.g. ACME (got \"\(code)\")")
        }
        guard changes.name != nil else { throw TillError.invalid("a supplier needs a name (--name)") }
        try CardNumberGuard.check(code, field: "the supplier code")
        return try store.write { db in
            try Permissions.requireIfSignedIn(db, .editCatalog, staffID: ctx.staffID)
            if let existing = try Supplier.filter(Supplier.Columns.code.collating(.nocase) == code).fetchOne(db) {
                throw TillError.duplicate("supplier \(existing.code) (\(existing.name))")
            }
            var supplier = Supplier(code: code, name: "-", createdAt: ctx.now)
            try changes.apply(to: &supplier)
            try supplier.insert(db)
            try AuditLog.record(db, action: "supplier.add", entity: "supplier", entityID: supplier.id, before: nil,
                                after: Suppliers.auditFields(supplier), staffID: ctx.staffID, note: nil, at: ctx.now)
            return supplier
        }
    }

    @discardableResult
    public func edit(code: String, changes: Changes, _ ctx: TillContext) throws -> Supplier {
        guard !changes.isEmpty else { throw TillError.invalid("nothing to change: give --name, --contact, --email, --phone, --lead-time, --terms or --active/--inactive") }
        return try store.write { db in
            try Permissions.requireIfSignedIn(db, .editCatalog, staffID: ctx.staffID)
            var supplier = try Supplier.named(db, code: code)
            let before = Suppliers.auditFields(supplier)
            try changes.apply(to: &supplier)
            try supplier.update(db)
            try AuditLog.record(db, action: "supplier.edit", entity: "supplier", entityID: supplier.id, before: before,
                                after: Suppliers.auditFields(supplier), staffID: ctx.staffID, note: nil, at: ctx.now)
            return supplier
        }
    }

    /// Every supplier (inactive ones too when asked), by code.
    public func list(includeInactive: Bool = false) throws -> [SupplierRow] {
        try store.read { db in
            try Row.fetchAll(db, sql: """
                SELECT s.*, (SELECT COUNT(*) FROM supplier_item WHERE supplier_id = s.id) AS items,
                       (SELECT COUNT(*) FROM purchase_order WHERE supplier_id = s.id AND status IN ('draft', 'sent', 'partial')) AS open_orders
                FROM supplier s WHERE s.active OR ? ORDER BY s.code COLLATE NOCASE
                """, arguments: [includeInactive]).map { row in
                SupplierRow(supplier: try Supplier(row: row), items: row["items"], openOrders: row["open_orders"])
            }
        }
    }

    public func supplier(code: String) throws -> Supplier {
        try store.read { db in try Supplier.named(db, code: code) }
    }

    /// What a supplier supplies, by SKU.
    public func items(code: String) throws -> [SupplierItemRow] {
        try store.read { db in
            let supplier = try Supplier.named(db, code: code)
            return try Row.fetchAll(db, sql: """
                SELECT si.*, v.sku, p.name || CASE WHEN v.option <> '' THEN ' — ' || v.option ELSE '' END AS name
                FROM supplier_item si JOIN variant v ON v.id = si.variant_id JOIN product p ON p.id = v.product_id
                WHERE si.supplier_id = ? ORDER BY v.sku
                """, arguments: [supplier.id]).map { row in
                SupplierItemRow(sku: row["sku"], name: row["name"], item: try SupplierItem(row: row))
            }
        }
    }

    /// Says that `supplier` supplies `sku` (or changes how): their item code, the case size it is ordered in,
    /// its cost. Fields left nil keep what was there (or the defaults: no code, a case of one, no cost).
    public func setItem(supplier code: String, sku: String, itemCode: String? = nil, caseSize: Quantity? = nil,
                        cost: Int64? = nil, _ ctx: TillContext) throws {
        if let caseSize, caseSize.milli <= 0 { throw TillError.invalidQuantity(caseSize.description, reason: "a case holds at least one unit") }
        if let cost, cost < 0 { throw TillError.invalid("\(sku): a cost cannot be negative") }
        try CardNumberGuard.check(itemCode, field: "the supplier's item code")
        try store.write { db in
            try Permissions.requireIfSignedIn(db, .editCatalog, staffID: ctx.staffID)
            let supplier = try Supplier.named(db, code: code)
            let variant = try StockOperations.variant(db, sku: sku)
            if let caseSize { try StockOperations.requireUnit(db, variant, caseSize) }
            let existing = try SupplierItem.fetchOne(db, key: ["supplier_id": supplier.id, "variant_id": variant.id])
            var item = existing ?? SupplierItem(supplierID: supplier.id ?? 0, variantID: variant.id ?? 0)
            if let itemCode { item.itemCode = itemCode.trimmingCharacters(in: .whitespaces) }
            if let caseSize { item.caseSizeMilli = caseSize.milli }
            if let cost { item.lastCost = cost }
            try item.save(db)
            try AuditLog.record(db, action: "supplier.item", entity: "supplier", entityID: supplier.id,
                                before: existing.map { Suppliers.auditFields($0, sku: variant.sku) },
                                after: Suppliers.auditFields(item, sku: variant.sku), staffID: ctx.staffID, note: nil, at: ctx.now)
        }
    }

    public func removeItem(supplier code: String, sku: String, _ ctx: TillContext) throws {
        try store.write { db in
            try Permissions.requireIfSignedIn(db, .editCatalog, staffID: ctx.staffID)
            let supplier = try Supplier.named(db, code: code)
            let variant = try StockOperations.variant(db, sku: sku)
            guard let item = try SupplierItem.fetchOne(db, key: ["supplier_id": supplier.id, "variant_id": variant.id]) else {
                throw TillError.notFound("\(variant.sku) in what \(supplier.code) supplies")
            }
            try item.delete(db)
            try AuditLog.record(db, action: "supplier.item.remove", entity: "supplier", entityID: supplier.id,
                                before: Suppliers.auditFields(item, sku: variant.sku), after: nil,
                                staffID: ctx.staffID, note: nil, at: ctx.now)
        }
    }

    static func auditFields(_ supplier: Supplier) -> [String: String] {
        ["code": supplier.code, "name": supplier.name, "contact": supplier.contact, "email": supplier.email,
         "phone": supplier.phone, "lead_time_days": String(supplier.leadTimeDays), "terms": supplier.terms,
         "active": supplier.active ? "1" : "0"]
    }

    static func auditFields(_ item: SupplierItem, sku: String) -> [String: String] {
        ["sku": sku, "item_code": item.itemCode, "case_size": item.caseSize.description,
         "last_cost": item.lastCost.map(String.init) ?? ""]
    }
}
