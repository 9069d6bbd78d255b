import Foundation
import GRDB

/// Shop-wide settings, one row per key in `store_setting`.
public struct StoreSettings: Equatable, Sendable {
    public var name: String
    public var currency: Currency
    /// EU/UK style: shelf prices include tax. US style (false): tax is added at the till.
    public var taxInclusive: Bool
    /// Cash totals are rounded to a multiple of this many minor units (1 = none; 5 for 0.05 in CHF, say).
    public var cashRoundingIncrement: Int64
    public var createdAt: Date
    /// How GS1 variable-measure labels (EAN-13 starting 20–29) are read: weight in grams, price, or not at all.
    public var variableMeasure: VariableMeasureBarcode.Mode = .weight
    /// Whether a sale may take shop-floor stock below zero. Real shops allow it (the shelf had it even if the
    /// books did not) and flag it; a store can refuse instead.
    public var allowNegativeStock = true
    /// The biggest discount (percent of what it applies to) a role without `discount_above_limit` may give alone.
    public var discountLimitPercent: Int64 = 20
    /// Minutes without a key before the TUI locks and asks for a PIN again (0: never).
    public var idleLockMinutes: Int64 = 5
    /// The hour (local, 0–23) a business day starts: a sale at 01:30 with the default 4 belongs to the day
    /// before, so a bar open past midnight is one day.
    public var businessDayStartHour: Int = 4
    /// The store's time zone (IANA name); nil means the machine's. Times are stored in UTC and shown in this.
    public var timeZoneIdentifier: String?
    /// Cash (taken, refunded, paid in or out) needs an open shift on the register it happens at.
    public var cashRequiresShift = true
    /// A cashier closing a shift counts the drawer without seeing the expected figure first.
    public var blindClose = true

    /// The zone times are shown in and business days are cut in.
    public var timeZone: TimeZone { timeZoneIdentifier.flatMap(TimeZone.init(identifier:)) ?? .current }

    /// A Gregorian calendar in the store's zone.
    public var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }
    /// The country calling code a phone number without `+CC` is in (`49`), so national and international forms
    /// match (see `PhoneNumber`); by default the country of the store's currency, empty for EUR and other
    /// currencies of many countries.
    public var phoneCountryCode: String = ""
    /// The SKU an open-price line (`*4.50 Gift wrap` at the till) is sold as; nil: the store has none.
    public var miscSKU: String?
    /// Card payments are authorized at the reader and captured once the sale is saved (`manual`), or taken at
    /// once (`automatic`, the default). Manual capture means a sale that cannot be saved releases the hold
    /// instead of refunding — no fee, nothing on the customer's statement.
    public var cardCaptureManually = false
    /// In a chain store, what one gift card or store-credit slip may pay here while head office cannot be
    /// reached (0, the default: nothing — redemption needs HQ's hold). The store takes the risk: HQ holds the
    /// balance, and a card spent offline at two stores can go below zero (an HQ exception, never a silent loss).
    public var offlineCreditPerCard: Int64 = 0
    /// The most this store pays from gift cards and store credit offline, over all cards not yet sent to HQ.
    public var offlineCreditPerStore: Int64 = 0
    /// A chain's loyalty scheme, as HQ publishes it: points per whole currency unit a customer spends (0: no
    /// scheme), and a point's worth in minor units when redeemed.
    public var loyaltyEarnPerUnit: Int64 = 0
    public var loyaltyPointValue: Int64 = 0
    /// Whether the chain lets a customer return goods at any of its stores, not only the one that sold them (HQ
    /// publishes it; see `ChainReturns`).
    public var returnsAnywhere = false

    public init(name: String, currency: Currency, taxInclusive: Bool, cashRoundingIncrement: Int64 = 1,
                createdAt: Date) {
        self.name = name
        self.currency = currency
        self.taxInclusive = taxInclusive
        self.cashRoundingIncrement = cashRoundingIncrement
        self.createdAt = createdAt
        self.phoneCountryCode = PhoneNumber.defaultCountryCode(currency: currency.code)
    }

    enum Key {
        static let name = "name"
        static let currency = "currency"
        static let taxInclusive = "tax_inclusive"
        static let cashRounding = "cash_rounding_increment"
        static let createdAt = "created_at"
        static let variableMeasure = "gs1_variable_measure"
        static let allowNegativeStock = "allow_negative_stock"
        static let discountLimit = "discount_limit_percent"
        static let idleLock = "idle_lock_minutes"
        static let businessDayStart = "business_day_start_hour"
        static let timeZone = "time_zone"
        static let cashRequiresShift = "cash_requires_shift"
        static let blindClose = "blind_close"
        static let phoneCountryCode = "phone_country_code"
        static let miscSKU = "misc_sku"
        static let cardCapture = "card_capture"
        static let offlineCreditPerCard = "offline_credit_per_card"
        static let offlineCreditPerStore = "offline_credit_per_store"
        static let loyaltyEarnPerUnit = "loyalty_earn_per_unit"
        static let loyaltyPointValue = "loyalty_point_value"
        static let returnsAnywhere = "returns_anywhere"
    }

    public static func load(_ db: Database) throws -> StoreSettings {
        var values: [String: String] = [:]
        let rows = try Row.fetchCursor(db.cachedStatement(sql: "SELECT key, value FROM store_setting"))
        while let row = try rows.next() { values[row["key"]] = row["value"] }
        // A sale reads the settings several times (pricing, the business day, the stock rule): the rows are
        // read every time — so a change is never missed — but made into settings only when they changed.
        if let settings = parsed.settings(for: values) { return settings }
        let settings = try parse(values)
        parsed.remember(settings, for: values)
        return settings
    }

    /// The rows last made into settings, and what they made.
    private static let parsed = ParsedSettings()

    private final class ParsedSettings: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [String: String] = [:]
        private var settings: StoreSettings?

        func settings(for values: [String: String]) -> StoreSettings? {
            lock.lock()
            defer { lock.unlock() }
            return values == self.values ? settings : nil
        }

        func remember(_ settings: StoreSettings, for values: [String: String]) {
            lock.lock()
            defer { lock.unlock() }
            self.values = values
            self.settings = settings
        }
    }

    private static func parse(_ values: [String: String]) throws -> StoreSettings {
        guard let code = values[Key.currency] else {
            throw TillError.storage("the store has no settings yet (create it with `till init`)")
        }
        let created = values[Key.createdAt].flatMap { try? Date($0, strategy: .iso8601) } ?? Date(timeIntervalSince1970: 0)
        var settings = StoreSettings(
            name: values[Key.name] ?? "Till",
            currency: try Currency.named(code),
            taxInclusive: values[Key.taxInclusive] == "true",
            cashRoundingIncrement: Int64(values[Key.cashRounding] ?? "1") ?? 1,
            createdAt: created)
        settings.variableMeasure = values[Key.variableMeasure].flatMap(VariableMeasureBarcode.Mode.init(rawValue:)) ?? .weight
        settings.allowNegativeStock = values[Key.allowNegativeStock] != "false"
        settings.discountLimitPercent = values[Key.discountLimit].flatMap { Int64($0) } ?? 20
        settings.idleLockMinutes = values[Key.idleLock].flatMap { Int64($0) } ?? 5
        settings.businessDayStartHour = values[Key.businessDayStart].flatMap { Int($0) } ?? 4
        settings.timeZoneIdentifier = values[Key.timeZone].flatMap { $0.isEmpty ? nil : $0 }
        settings.cashRequiresShift = values[Key.cashRequiresShift] != "false"
        settings.blindClose = values[Key.blindClose] != "false"
        settings.phoneCountryCode = values[Key.phoneCountryCode] ?? PhoneNumber.defaultCountryCode(currency: code)
        settings.miscSKU = values[Key.miscSKU].flatMap { $0.isEmpty ? nil : $0 }
        settings.cardCaptureManually = values[Key.cardCapture] == "manual"
        settings.offlineCreditPerCard = values[Key.offlineCreditPerCard].flatMap { Int64($0) } ?? 0
        settings.offlineCreditPerStore = values[Key.offlineCreditPerStore].flatMap { Int64($0) } ?? 0
        settings.loyaltyEarnPerUnit = values[Key.loyaltyEarnPerUnit].flatMap { Int64($0) } ?? 0
        settings.loyaltyPointValue = values[Key.loyaltyPointValue].flatMap { Int64($0) } ?? 0
        settings.returnsAnywhere = values[Key.returnsAnywhere] == "1"
        return settings
    }

    public func save(_ db: Database) throws {
        let pairs: [(String, String)] = [
            (Key.name, name), (Key.currency, currency.code), (Key.taxInclusive, taxInclusive ? "true" : "false"),
            (Key.cashRounding, String(cashRoundingIncrement)), (Key.createdAt, createdAt.ISO8601Format()),
            (Key.variableMeasure, variableMeasure.rawValue),
            (Key.allowNegativeStock, allowNegativeStock ? "true" : "false"),
            (Key.discountLimit, String(discountLimitPercent)), (Key.idleLock, String(idleLockMinutes)),
            (Key.businessDayStart, String(businessDayStartHour)), (Key.timeZone, timeZoneIdentifier ?? ""),
            (Key.cashRequiresShift, cashRequiresShift ? "true" : "false"), (Key.blindClose, blindClose ? "true" : "false"),
            (Key.phoneCountryCode, phoneCountryCode), (Key.miscSKU, miscSKU ?? ""),
            (Key.cardCapture, cardCaptureManually ? "manual" : "automatic"),
            (Key.offlineCreditPerCard, String(offlineCreditPerCard)),
            (Key.offlineCreditPerStore, String(offlineCreditPerStore)),
            (Key.loyaltyEarnPerUnit, String(loyaltyEarnPerUnit)), (Key.loyaltyPointValue, String(loyaltyPointValue)),
            (Key.returnsAnywhere, returnsAnywhere ? "1" : "0"),
        ]
        for (key, value) in pairs {
            try db.execute(sql: """
                INSERT INTO store_setting(key, value) VALUES (?, ?)
                ON CONFLICT(key) DO UPDATE SET value = excluded.value
                """, arguments: [key, value])
        }
    }
}
