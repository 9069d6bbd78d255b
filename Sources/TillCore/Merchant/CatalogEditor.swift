import Foundation
import GRDB

/// A product as the edit form (or `till product add|edit`) holds it: one sellable SKU and its product's fields.
public struct ProductDraft: Equatable, Sendable, Encodable {
    public var sku: String
    public var name: String
    public var option: String
    /// The item's own barcodes, as typed or shown (any GTIN form; kept as GTIN-14).
    public var barcodes: [String]
    /// Codes on its cases, each standing for a number of units.
    public var caseBarcodes: [CaseBarcode]
    public var category: String?
    public var price: Int64
    public var cost: Int64?
    public var taxClass: String
    public var unit: SaleUnit
    public var reorderPoint: Quantity
    public var active: Bool
    /// Groups variants into one product; defaults to the SKU.
    public var handle: String?
    /// How much the pack holds (0.75 l, 500 g), for the unit price on its shelf label; nil for none.
    public var content: ContentSize?

    public init(sku: String, name: String, option: String = "", barcodes: [String] = [], category: String? = nil,
                price: Int64, cost: Int64? = nil, taxClass: String = "standard", unit: SaleUnit = .each,
                reorderPoint: Quantity = .zero, active: Bool = true, handle: String? = nil, caseBarcodes: [CaseBarcode] = [],
                content: ContentSize? = nil) {
        self.sku = sku
        self.name = name
        self.option = option
        self.barcodes = barcodes
        self.caseBarcodes = caseBarcodes
        self.category = category
        self.price = price
        self.cost = cost
        self.taxClass = taxClass
        self.unit = unit
        self.reorderPoint = reorderPoint
        self.active = active
        self.handle = handle
        self.content = content
    }

    enum CodingKeys: String, CodingKey {
        case sku, name, option, barcodes, category, price, cost, unit, active, handle, content
        case caseBarcodes = "case_barcodes"
        case taxClass = "tax_class"
        case reorderPoint = "reorder_point"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(sku, forKey: .sku)
        try c.encode(name, forKey: .name)
        try c.encode(option, forKey: .option)
        try c.encode(barcodes, forKey: .barcodes)
        if !caseBarcodes.isEmpty { try c.encode(caseBarcodes.map(\.description), forKey: .caseBarcodes) }
        try c.encodeIfPresent(category, forKey: .category)
        try c.encode(price, forKey: .price)
        try c.encodeIfPresent(cost, forKey: .cost)
        try c.encode(taxClass, forKey: .taxClass)
        try c.encode(unit.rawValue, forKey: .unit)
        try c.encode(reorderPoint.description, forKey: .reorderPoint)
        try c.encode(active, forKey: .active)
        try c.encodeIfPresent(handle, forKey: .handle)
        try c.encodeIfPresent(content?.storageValue, forKey: .content)
    }
}

/// A problem with one field of a draft, shown next to that field. Warnings do not stop a save.
public struct FieldIssue: Equatable, Sendable, CustomStringConvertible {
    public var field: String
    public var message: String
    public var isWarning: Bool

    public var description: String { "\(field): \(message)" }
}

/// A price change for many SKUs at once: a signed percentage (basis points) or a signed amount.
public enum BulkPriceChange: Equatable, Sendable {
    case percent(Int64)
    case amount(Int64)

    /// `5%`, `-10%`, `+2.5%`, `0.20`, `-0.50` as people type a price change.
    public static func parse(_ text: String, currency: Currency) throws -> BulkPriceChange {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let negative = trimmed.hasPrefix("-") || trimmed.hasPrefix("−")
        let body = negative || trimmed.hasPrefix("+") ? String(trimmed.dropFirst()) : trimmed
        let sign: Int64 = negative ? -1 : 1
        if body.hasSuffix("%") {
            return .percent(sign * (try TaxClass.parseRate(String(body.dropLast()))) / 100)
        }
        return .amount(sign * (try MoneyParser(currency: currency).parse(body).minorUnits))
    }

    func apply(to price: Int64) throws -> Int64 {
        switch self {
        case let .percent(basisPoints): return price + (try scaleRoundingHalfAwayFromZero(price, times: basisPoints, over: 10_000))
        case let .amount(units): return try checkedAdd(price, units, "new price")
        }
    }
}

public struct PriceChangeRow: Equatable, Sendable {
    public var sku: String
    public var name: String
    public var oldPrice: Int64
    public var newPrice: Int64
}

/// Adding, editing and archiving products, categories and prices; every rule checked here, every change
/// audited (who, when, before → after).
public struct CatalogEditor: Sendable {
    public let store: StoreDatabase

    public init(store: StoreDatabase) { self.store = store }

    /// The draft for an existing SKU, to edit.
    public func draft(sku: String) throws -> ProductDraft {
        try store.read { db in try CatalogEditor.draft(db, sku: sku) }
    }

    public func validate(_ draft: ProductDraft, editing original: String? = nil) throws -> [FieldIssue] {
        try store.read { db in try CatalogEditor.validate(db, draft, editing: original) }
    }

    /// Adds a new SKU (and its product when the handle is new). Refused with every error when any field is bad.
    @discardableResult
    public func add(_ draft: ProductDraft, _ ctx: TillContext) throws -> CatalogItem {
        let staffID = ctx.staffID, date = ctx.now
        return try store.write { db in
            try Permissions.requireIfSignedIn(db, .editCatalog, staffID: staffID)
            try ChainStore.refuseLocalEdit(db, of: "the catalog")
            try CatalogEditor.requireValid(try CatalogEditor.validate(db, draft, editing: nil))
            let item = try CatalogEditor.save(db, draft, staffID: staffID, at: date)
            try AuditLog.record(db, action: "product.add", entity: "variant", entityID: item.variantID, before: nil,
                                after: draft, staffID: staffID, at: date)
            return item
        }
    }

    /// Replaces an SKU's fields with the draft's (the SKU itself may change).
    @discardableResult
    public func edit(sku: String, _ draft: ProductDraft, _ ctx: TillContext) throws -> CatalogItem {
        let staffID = ctx.staffID, date = ctx.now
        return try store.write { db in
            try Permissions.requireIfSignedIn(db, .editCatalog, staffID: staffID)
            try ChainStore.refuseLocalEdit(db, of: "the catalog")
            let before = try CatalogEditor.draft(db, sku: sku)
            try CatalogEditor.requireValid(try CatalogEditor.validate(db, draft, editing: sku))
            if before.sku.lowercased() != draft.sku.lowercased() || before.sku != draft.sku {
                try db.execute(sql: "UPDATE variant SET sku = ? WHERE sku = ? COLLATE NOCASE", arguments: [draft.sku, sku])
            }
            var updated = draft
            updated.handle = draft.handle ?? before.handle
            let item = try CatalogEditor.save(db, updated, staffID: staffID, at: date)
            try AuditLog.record(db, action: "product.edit", entity: "variant", entityID: item.variantID, before: before,
                                after: updated, staffID: staffID, at: date)
            return item
        }
    }

    /// Archives (or brings back) an SKU: kept with its history, no longer sold.
    public func setActive(sku: String, _ active: Bool, _ ctx: TillContext) throws {
        let staffID = ctx.staffID, date = ctx.now
        try store.write { db in
            try Permissions.requireIfSignedIn(db, .editCatalog, staffID: staffID)
            try ChainStore.refuseLocalEdit(db, of: "the catalog")
            var draft = try CatalogEditor.draft(db, sku: sku)
            let before = draft
            draft.active = active
            _ = try CatalogEditor.save(db, draft, staffID: staffID, at: date)
            try AuditLog.record(db, action: active ? "product.unarchive" : "product.archive", entity: "variant",
                                entityID: try StockOperations.variant(db, sku: sku).id, before: before, after: draft,
                                staffID: staffID, at: date)
        }
    }

    /// The SKUs a bulk change would touch, with old and new prices; written only with `apply`.
    public func changePrices(skus: [String] = [], category: String? = nil, change: BulkPriceChange, apply: Bool,
                             _ ctx: TillContext) throws -> [PriceChangeRow] {
        let staffID = ctx.staffID, date = ctx.now
        guard !skus.isEmpty || category != nil else { throw TillError.invalid("choose SKUs or a category for a price change") }
        return try store.write { db in
            try Permissions.requireIfSignedIn(db, .editCatalog, staffID: staffID)
            try ChainStore.refuseLocalEdit(db, of: "the catalog")
            var rows: [PriceChangeRow] = []
            var targets: [CatalogItem] = []
            if let category {
                targets = try CatalogItem.fetchAll(db, sql: CatalogItem.selectSQL + " WHERE c.name = ? COLLATE NOCASE ORDER BY v.sku",
                                                   arguments: [category])
                if targets.isEmpty { throw TillError.notFound("products in category \"\(category)\"") }
            }
            for sku in skus {
                guard let item = try Catalog.lookup(db, code: sku) else { throw TillError.notFound("SKU \(sku)") }
                targets.append(item)
            }
            for item in targets {
                let newPrice = try change.apply(to: item.price)
                guard newPrice >= 0 else { throw TillError.invalid("\(item.sku) would cost less than nothing") }
                rows.append(PriceChangeRow(sku: item.sku, name: item.displayName, oldPrice: item.price, newPrice: newPrice))
                if apply && newPrice != item.price {
                    try db.execute(sql: "UPDATE variant SET price = ? WHERE id = ?", arguments: [newPrice, item.variantID])
                    try AuditLog.record(db, action: "product.price", entity: "variant", entityID: item.variantID,
                                        before: ["sku": item.sku, "price": String(item.price)],
                                        after: ["sku": item.sku, "price": String(newPrice)], staffID: staffID, at: date)
                }
            }
            return rows
        }
    }

    public func addCategory(_ name: String, _ ctx: TillContext) throws {
        let staffID = ctx.staffID, date = ctx.now
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw TillError.invalid("a category needs a name") }
        try CardNumberGuard.check(trimmed, field: "the category name")
        try store.write { db in
            try Permissions.requireIfSignedIn(db, .editCatalog, staffID: staffID)
            try ChainStore.refuseLocalEdit(db, of: "the catalog")
            if try Category.filter(sql: "name = ? COLLATE NOCASE", arguments: [trimmed]).fetchCount(db) > 0 {
                throw TillError.duplicate("category \"\(trimmed)\"")
            }
            var category = Category(name: trimmed)
            try category.insert(db)
            try AuditLog.record(db, action: "category.add", entity: "category", entityID: category.id, before: nil,
                                after: ["name": trimmed], staffID: staffID, at: date)
        }
    }

    public func renameCategory(_ name: String, to newName: String, _ ctx: TillContext) throws {
        let staffID = ctx.staffID, date = ctx.now
        let trimmed = newName.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw TillError.invalid("a category needs a name") }
        try CardNumberGuard.check(trimmed, field: "the category name")
        try store.write { db in
            try Permissions.requireIfSignedIn(db, .editCatalog, staffID: staffID)
            try ChainStore.refuseLocalEdit(db, of: "the catalog")
            guard let category = try Category.filter(sql: "name = ? COLLATE NOCASE", arguments: [name]).fetchOne(db) else {
                throw TillError.notFound("category \"\(name)\"")
            }
            if trimmed.lowercased() != name.lowercased(),
               try Category.filter(sql: "name = ? COLLATE NOCASE", arguments: [trimmed]).fetchCount(db) > 0 {
                throw TillError.duplicate("category \"\(trimmed)\"")
            }
            try db.execute(sql: "UPDATE category SET name = ? WHERE id = ?", arguments: [trimmed, category.id])
            try AuditLog.record(db, action: "category.rename", entity: "category", entityID: category.id,
                                before: ["name": category.name], after: ["name": trimmed], staffID: staffID, at: date)
        }
    }

    /// Moves the products of these SKUs into a category (created when new).
    public func moveToCategory(skus: [String], category: String, _ ctx: TillContext) throws {
        let staffID = ctx.staffID, date = ctx.now
        try CardNumberGuard.check(category, field: "the category name")
        try store.write { db in
            try Permissions.requireIfSignedIn(db, .editCatalog, staffID: staffID)
            try ChainStore.refuseLocalEdit(db, of: "the catalog")
            let target = try Category.findOrCreate(db, name: category)
            for sku in skus {
                let variant = try StockOperations.variant(db, sku: sku)
                let before = try String.fetchOne(db, sql: """
                    SELECT c.name FROM product p LEFT JOIN category c ON c.id = p.category_id WHERE p.id = ?
                    """, arguments: [variant.productID])
                try db.execute(sql: "UPDATE product SET category_id = ? WHERE id = ?", arguments: [target.id, variant.productID])
                try AuditLog.record(db, action: "product.category", entity: "variant", entityID: variant.id,
                                    before: ["sku": variant.sku, "category": before ?? ""],
                                    after: ["sku": variant.sku, "category": target.name], staffID: staffID, at: date)
            }
        }
    }

    // MARK: - Shared steps

    static func draft(_ db: Database, sku: String) throws -> ProductDraft {
        guard let item = try CatalogItem.fetchOne(db, sql: CatalogItem.selectSQL + " WHERE v.sku = ? COLLATE NOCASE", arguments: [sku]) else {
            throw TillError.notFound("SKU \(sku)")
        }
        let handle = try String.fetchOne(db, sql: "SELECT handle FROM product WHERE id = ?", arguments: [item.productID])
        let active = try Bool.fetchOne(db, sql: "SELECT active FROM variant WHERE id = ?", arguments: [item.variantID]) ?? true
        let barcodes = try Catalog.barcodes(db, variantID: item.variantID)
        return ProductDraft(sku: item.sku, name: item.productName, option: item.option, barcodes: barcodes.units, category: item.category,
                            price: item.price, cost: item.cost, taxClass: item.taxClassCode, unit: item.unit,
                            reorderPoint: Quantity(milli: item.reorderPointMilli), active: active, handle: handle,
                            caseBarcodes: barcodes.cases, content: try ContentSize.fetch(db, variantID: item.variantID))
    }

    static func validate(_ db: Database, _ draft: ProductDraft, editing original: String?) throws -> [FieldIssue] {
        var issues: [FieldIssue] = []
        func error(_ field: String, _ message: String) { issues.append(FieldIssue(field: field, message: message, isWarning: false)) }
        // A card number in any text field is refused before anything else is said about that field, so no other
        // message repeats it.
        let texts = [("sku", draft.sku), ("name", draft.name), ("option", draft.option), ("category", draft.category ?? ""),
                     ("handle", draft.handle ?? "")] + draft.barcodes.map { ("barcode", $0) }
        let cardFields = Set(texts.filter { CardNumberGuard.containsCardNumber($0.1) }.map { $0.0 })
        for field in ["sku", "name", "option", "category", "handle", "barcode"] where cardFields.contains(field) {
            error(field, CardNumberGuard.reason)
        }
        let sku = draft.sku.trimmingCharacters(in: .whitespaces)
        if sku.isEmpty { error("sku", "required") }
        if sku.contains(where: \.isWhitespace), !cardFields.contains("sku") { error("sku", "no spaces in a SKU") }
        if !sku.isEmpty, !cardFields.contains("sku"), sku.lowercased() != original?.lowercased(),
           try Variant.filter(sql: "sku = ? COLLATE NOCASE", arguments: [sku]).fetchCount(db) > 0 {
            error("sku", "\(sku) already exists")
        }
        if draft.name.trimmingCharacters(in: .whitespaces).isEmpty { error("name", "required") }
        if draft.price < 0 { error("price", "cannot be negative") }
        if let cost = draft.cost {
            if cost < 0 { error("cost", "cannot be negative") }
            // Below cost is judged on the net price (`Margin`): a tax-inclusive shelf price's tax is not the shop's.
            let inclusive = try StoreSettings.load(db).taxInclusive
            let rate = try TaxRates.rate(db, classCode: draft.taxClass, at: Date()) ?? 0
            if draft.price >= 0, cost >= 0,
               try Margin.ofShelfPrice(draft.price, cost: cost, taxRatePPM: rate, taxInclusive: inclusive).amount < 0 {
                issues.append(FieldIssue(field: "price", message: inclusive && cost <= draft.price ? "below cost once tax is taken out" : "below cost",
                                         isWarning: true))
            }
        }
        if draft.reorderPoint.milli < 0 { error("reorder_point", "cannot be negative") }
        if let content = draft.content {
            if draft.unit == .kg { error("content", "goods sold by weight need none: their price is per kg") }
            if content.milli <= 0 || content.milli > ContentSize.maximumMilli { error("content", "\(content) is out of range") }
        }
        if draft.unit == .each && !draft.reorderPoint.isWhole { error("reorder_point", "whole units for items sold each") }
        if try TaxRates.taxClass(db, code: draft.taxClass, includingArchived: false) == nil {
            let archived = try TaxRates.taxClass(db, code: draft.taxClass, includingArchived: true) != nil
            error("tax_class", "\(archived ? "archived" : "unknown") tax class \"\(draft.taxClass)\" (known: \(try TaxRates.knownCodes(db)))")
        }
        // One GTIN, one item: every form of a code is compared as its GTIN-14, against this draft's other codes
        // (item and case codes alike) and against every other SKU's.
        var seen: [String: String] = [:]
        let codes = draft.barcodes.map { (typed: $0, field: "barcode", pack: Int64(1)) }
            + draft.caseBarcodes.map { (typed: Barcode.display($0.code), field: "case_barcodes", pack: $0.quantity) }
        for (typed, field, pack) in codes where !CardNumberGuard.containsCardNumber(typed) {
            let code: String
            switch Barcode.canonical(typed) {
            case let .success(gtin): code = gtin
            case let .failure(problem):
                error(field, "\(typed): \(problem)")
                continue
            }
            if field == "case_barcodes" {
                if draft.unit != .each { error(field, "\(typed): case codes are for items sold each") }
                if pack < 2 || pack > CaseBarcode.maximumQuantity {
                    error(field, "\(typed): the pack quantity is a whole number of units from 2 to \(CaseBarcode.maximumQuantity)")
                }
            }
            if let first = seen[code] {
                error("barcode", first == typed ? "\(typed) is listed twice" : "\(typed) is listed twice (as \(first) too)")
            } else {
                seen[code] = typed
            }
            if let owner = try String.fetchOne(db.cachedStatement(sql: """
                SELECT v.sku FROM barcode b JOIN variant v ON v.id = b.variant_id WHERE b.code = ?
                """), arguments: [code]), owner.lowercased() != (original ?? sku).lowercased() {
                error(field, "\(typed) already belongs to \(owner)")
            }
        }
        return issues
    }

    static func requireValid(_ issues: [FieldIssue]) throws {
        let errors = issues.filter { !$0.isWarning }
        guard errors.isEmpty else { throw TillError.invalid(errors.map(\.description).joined(separator: "; ")) }
    }

    /// Writes a draft through the importer's write path, so editing and importing share one set of rules.
    static func save(_ db: Database, _ draft: ProductDraft, staffID: Int64?, at date: Date) throws -> CatalogItem {
        let row = ProductRow(line: 0, handle: draft.handle ?? draft.sku.lowercased(), name: draft.name, sku: draft.sku,
                             option: draft.option, barcodes: try draft.barcodes.map(Barcode.gtin14),
                             caseBarcodes: try draft.caseBarcodes.map { CaseBarcode(code: try Barcode.gtin14($0.code), quantity: $0.quantity) },
                             price: draft.price, cost: draft.cost,
                             category: draft.category, taxClass: draft.taxClass, unit: draft.unit,
                             reorderPoint: draft.reorderPoint, active: draft.active, floorStock: nil,
                             content: draft.content, setsContent: true)
        _ = try ProductImporter.apply(db, rows: [row], file: "edit", earlierIssues: [], dryRun: false,
                                      reference: "edit", progress: nil)
        guard let item = try Catalog.lookup(db, code: draft.sku) else { throw TillError.storage("the product was not saved") }
        return item
    }
}
