import Foundation
import TillCore

/// Changing reference data at HQ. Each call publishes one chain version (`hq.publish`), which stores fetch and
/// apply atomically between sales. The product file formats and their checks are the store's own
/// (`NativeProductCSV`, `ShopifyProductCSV`), so a file HQ takes is a file a store would take.
public enum HQCatalog {
    public static func currency(_ hq: HQConnection) throws -> Currency {
        guard let code = try hq.query("SELECT currency FROM hq.settings WHERE id = 1").first?["currency"] ?? nil else {
            throw HQError.invalid("this database has no HQ yet: run `till hq init --postgres URL` first")
        }
        return try Currency.named(code)
    }

    /// Publishes `changes` as one version; returns its number.
    @discardableResult
    public static func publish(_ hq: HQConnection, _ changes: [ReferenceChange], note: String,
                               minStoreSchema: Int = ReferenceChanges.schemaVersion) throws -> Int64 {
        guard !changes.isEmpty else { throw HQError.invalid("nothing to publish") }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(changes), as: UTF8.self)
        guard let version = try hq.query("SELECT hq.publish($1::jsonb, $2, $3::int)::text AS v",
                                         [json, note, String(minStoreSchema)]).first?["v"] ?? nil,
              let number = Int64(version) else {
            throw HQError.invalid("head office did not number the new version")
        }
        return number
    }

    public struct ImportResult: Sendable {
        public var version: Int64
        public var products: Int
        public var unchanged: Int
    }

    /// Imports a product file into HQ's catalog. Rows are checked as a store checks them — and against HQ's
    /// tax classes — and a file with any bad row changes nothing, naming each row.
    public static func importProducts(_ hq: HQConnection, path: String, format: ProductFileFormat = .native) throws -> ImportResult {
        let currency = try currency(hq)
        let file = try CSVFile.read(path: path, exactHeader: format == .shopify)
        var parsed: (rows: [ProductRow], issues: [ImportIssue])
        switch format {
        case .native:
            parsed = NativeProductCSV.rows(from: file, currency: currency)
        case .shopify:
            let result = ShopifyProductCSV.rows(from: file, currency: currency, dropBadBarcodes: false)
            parsed = (result.rows, result.issues)
        }
        var issues = parsed.issues
        let taxClasses = Set(try hq.query("SELECT key FROM hq.reference WHERE kind = 'tax_class' AND (data->>'active')::boolean IS NOT FALSE")
            .compactMap { $0["key"]?.lowercased() })
        var seen: [String: Int] = [:]
        for row in parsed.rows {
            if !taxClasses.contains(row.taxClass.lowercased()) {
                let known = taxClasses.sorted().joined(separator: ", ")
                issues.append(ImportIssue(file: file.name, line: row.line, column: "tax_class",
                                          reason: "HQ has no tax class \"\(row.taxClass)\" (known: \(known.isEmpty ? "none yet — add one with `till hq tax add`" : known))"))
            }
            if let first = seen[row.sku.lowercased()] {
                issues.append(ImportIssue(file: file.name, line: row.line, column: "sku", reason: "\(row.sku) appears twice (first on line \(first))"))
            } else {
                seen[row.sku.lowercased()] = row.line
            }
        }
        guard issues.isEmpty else { throw TillError.importFailed(issues.sorted { ($0.line, $0.column) < ($1.line, $1.column) }) }
        // Only what differs from HQ's current catalog goes into the version: stores apply less.
        let current = try currentProducts(hq)
        var changes: [ReferenceChange] = []
        for category in Set(parsed.rows.compactMap(\.category)).sorted() where try !hasCategory(hq, category) {
            changes.append(ReferenceChange(kind: "category", key: category, data: ReferenceData()))
        }
        var unchanged = 0
        for row in parsed.rows {
            let change = ReferenceChanges.change(product: row)
            if current[row.sku] == change.data { unchanged += 1 } else { changes.append(change) }
        }
        guard !changes.isEmpty else { return ImportResult(version: try chainVersion(hq), products: 0, unchanged: unchanged) }
        let version = try publish(hq, changes, note: "import \(file.name)")
        return ImportResult(version: version, products: changes.filter { $0.kind == "product" }.count, unchanged: unchanged)
    }

    /// A new price for one SKU, in the chain's currency ("4.20").
    @discardableResult
    ///
    /// With `effectiveFrom` ("2026-12-07 06:00", each store's own wall clock) the price is a schedule instead:
    /// every store gets it now and changes its shelf at that moment, online or not, and lists the label to change.
    public static func setPrice(_ hq: HQConnection, sku: String, price: String, effectiveFrom: String? = nil,
                                now: Date = Date()) throws -> Int64 {
        let currency = try currency(hq)
        let money = try MoneyParser(currency: currency).parse(price)
        guard !money.isNegative else { throw HQError.invalid("a price cannot be negative") }
        var product = try product(hq, sku: sku)
        guard let effectiveFrom else {
            product.data.price = money.minorUnits
            return try publish(hq, [product], note: "price \(product.key) \(money.decimalString)")
        }
        let moment = try wallClock(effectiveFrom)
        let phase = schedulePhase(moment, now: now)
        if phase == .inEffect {
            throw HQError.invalid("\(moment.replacingOccurrences(of: "T", with: " ")) has already passed on every store's clock: publish the price now with `till hq catalog price \(product.key) \(price)`")
        }
        let schedules = try priceSchedules(hq).filter { $0.sku.lowercased() == product.key.lowercased() }
        if schedules.contains(where: { $0.newPrice == money.minorUnits && $0.effectiveFrom == moment }) {
            throw HQError.invalid("\(product.key) is already scheduled at \(money.decimalString) from \(moment.replacingOccurrences(of: "T", with: " "))")
        }
        if schedules.isEmpty, product.data.price == money.minorUnits {
            throw HQError.invalid("\(product.key) is already \(money.decimalString) in HQ's catalog: nothing to schedule")
        }
        var data = ReferenceData()
        data.price = money.minorUnits
        data.effectiveFrom = moment
        return try publish(hq, [ReferenceChange(kind: "price_schedule", key: product.key, data: data)],
                           note: "price \(product.key) \(money.decimalString) from \(moment.replacingOccurrences(of: "T", with: " "))",
                           minStoreSchema: 3)
    }

    /// A moment as people write it ("2026-12-07 06:00" or "2026-12-07T06:00"), checked and written as stores read it.
    static func wallClock(_ text: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.isLenient = false
        for format in ["yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: trimmed) {
                formatter.dateFormat = "yyyy-MM-dd'T'HH:mm"
                return formatter.string(from: date)
            }
        }
        throw HQError.invalid("--from \"\(text)\" is not a time: write it as YYYY-MM-DD HH:MM (each store's own clock), e.g. 2026-12-07 06:00")
    }

    /// Where a schedule stands by HQ's clock. Each store reads the moment on its own clock, and clocks on earth
    /// run from UTC−12 to UTC+14: before the moment in the easternmost zone it is upcoming everywhere, after it in
    /// the westernmost it is in effect everywhere, and in between it is taking effect store by store.
    public enum SchedulePhase: String, Sendable {
        case upcoming
        case takingEffect = "taking effect"
        case inEffect = "in effect"
    }

    public static func schedulePhase(_ moment: String, now: Date) -> SchedulePhase {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm"
        guard let asUTC = formatter.date(from: moment) else { return .upcoming }
        if asUTC.addingTimeInterval(-14 * 3600) > now { return .upcoming }
        if asUTC.addingTimeInterval(12 * 3600) < now { return .inEffect }
        return .takingEffect
    }

    /// A price HQ scheduled, and the stores that stock the SKU (their shelf labels to change).
    public struct PriceSchedule: Sendable, Equatable {
        public var version: Int64
        public var sku: String
        public var name: String
        /// HQ's catalog price, which each store sells at until the moment.
        public var currentPrice: Int64
        public var newPrice: Int64
        /// Each store's wall clock: "2026-12-07T06:00".
        public var effectiveFrom: String
        /// Stores that have reported stock of the SKU: the ones with a label to change.
        public var stores: [String]

        public func phase(now: Date = Date()) -> SchedulePhase { HQCatalog.schedulePhase(effectiveFrom, now: now) }
    }

    /// Every price schedule, newest version first; `store` keeps those for SKUs that store has stock of.
    public static func priceSchedules(_ hq: HQConnection, store: String? = nil) throws -> [PriceSchedule] {
        try hq.query("""
            SELECT c.version::text AS version, c.key AS sku, COALESCE(r.data->>'name', c.key) AS name,
                   COALESCE(r.data->>'price', '0') AS current, c.data->>'price' AS price, c.data->>'effective_from' AS moment,
                   COALESCE((SELECT string_agg(DISTINCT l.store, ',' ORDER BY l.store) FROM hq.stock_level l
                             WHERE lower(l.sku) = lower(c.key) AND ($1::text IS NULL OR l.store = upper($1::text))), '') AS stores
            FROM hq.chain_change c LEFT JOIN hq.reference r ON r.kind = 'product' AND lower(r.key) = lower(c.key)
            WHERE c.kind = 'price_schedule'
            ORDER BY c.version DESC, c.key
            """, [store]).compactMap { row in
            guard let version = row["version"].flatMap({ Int64($0) }), let sku = row["sku"] else { return nil }
            let stores = (row["stores"] ?? "").split(separator: ",").map(String.init)
            if store != nil, stores.isEmpty { return nil }
            return PriceSchedule(version: version, sku: sku, name: row["name"] ?? sku,
                                 currentPrice: Int64(row["current"] ?? "") ?? 0, newPrice: Int64(row["price"] ?? "") ?? 0,
                                 effectiveFrom: row["moment"] ?? "", stores: stores)
        }
    }

    /// Archives or brings back a SKU chain-wide.
    @discardableResult
    public static func setActive(_ hq: HQConnection, sku: String, active: Bool) throws -> Int64 {
        var product = try product(hq, sku: sku)
        product.data.active = active
        return try publish(hq, [product], note: "\(active ? "activate" : "archive") \(product.key)")
    }

    public static func product(_ hq: HQConnection, sku: String) throws -> ReferenceChange {
        guard let row = try hq.query("""
            SELECT key, data::text AS data FROM hq.reference WHERE kind = 'product' AND lower(key) = lower($1)
            """, [sku]).first, let key = row["key"], let data = row["data"] else {
            throw HQError.invalid("SKU \(sku) is not in HQ's catalog")
        }
        return ReferenceChange(kind: "product", key: key, data: try JSONDecoder().decode(ReferenceData.self, from: Data(data.utf8)))
    }

    /// A tax class for the whole chain, or a new rate for one (from the moment stores apply it).
    @discardableResult
    public static func setTaxClass(_ hq: HQConnection, code: String, name: String?, rate: String) throws -> Int64 {
        let code = code.trimmingCharacters(in: .whitespaces)
        guard !code.isEmpty, code.count <= 32,
              code.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" }) else {
            throw HQError.invalid("invalid tax class code \"\(code)\": use up to 32 letters, digits, - or _")
        }
        var data = ReferenceData()
        let existing = try hq.query("SELECT data->>'name' AS name FROM hq.reference WHERE kind = 'tax_class' AND key = $1", [code]).first
        data.name = name ?? existing?["name"] ?? code
        data.ratePPM = try TaxClass.parseRate(rate)
        data.active = true
        return try publish(hq, [ReferenceChange(kind: "tax_class", key: code, data: data)], note: "tax class \(code) \(rate)")
    }

    /// A staff member for every store: the PIN is hashed here, and only its hash travels and is kept.
    @discardableResult
    public static func setStaff(_ hq: HQConnection, username: String, name: String, role: StaffRole, pin: String,
                                hasher: PinHasher = PinHasher()) throws -> Int64 {
        try PinHasher.validate(pin)
        try CardNumberGuard.check(name, field: "the staff name")
        let username = username.trimmingCharacters(in: .whitespaces).lowercased()
        guard !username.isEmpty, username.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) || $0 == "." || $0 == "-" || $0 == "_" }) else {
            throw HQError.invalid("invalid user name \"\(username)\": letters, digits, . - _")
        }
        var data = ReferenceData()
        data.name = name
        data.role = role.rawValue
        data.pinHash = try hasher.hash(pin)
        data.active = true
        return try publish(hq, [ReferenceChange(kind: "staff", key: username, data: data)], note: "staff \(username)")
    }

    public static func chainVersion(_ hq: HQConnection) throws -> Int64 {
        Int64(try hq.query("SELECT COALESCE(max(version), 0)::text AS v FROM hq.chain_version").first?["v"] ?? "0") ?? 0
    }

    static func currentProducts(_ hq: HQConnection) throws -> [String: ReferenceData] {
        var products: [String: ReferenceData] = [:]
        let decoder = JSONDecoder()
        for row in try hq.query("SELECT key, data::text AS data FROM hq.reference WHERE kind = 'product'") {
            guard let key = row["key"], let data = row["data"] else { continue }
            products[key] = try decoder.decode(ReferenceData.self, from: Data(data.utf8))
        }
        return products
    }

    static func hasCategory(_ hq: HQConnection, _ name: String) throws -> Bool {
        try !hq.query("SELECT 1 FROM hq.reference WHERE kind = 'category' AND lower(key) = lower($1)", [name]).isEmpty
    }
}
