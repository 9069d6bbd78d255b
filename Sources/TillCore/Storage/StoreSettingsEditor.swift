import Foundation
import GRDB

/// Changing store settings after `till init`, one key at a time, checked and audited.
public struct StoreSettingsEditor: Sendable {
    public let store: StoreDatabase

    /// The keys a person may change, with what they take.
    public static let keys: [(key: String, takes: String)] = [
        ("name", "the shop's name"),
        ("tax_inclusive", "true (shelf prices include tax) or false"),
        ("cash_rounding", "an amount, e.g. 0.05 (0.01 for none)"),
        ("gs1_variable_measure", "off, weight or price"),
        ("allow_negative_stock", "true or false"),
        ("discount_limit_percent", "0–100: the biggest discount a cashier gives without a manager"),
        ("idle_lock_minutes", "minutes without a key before the till locks (0: never)"),
        ("business_day_start_hour", "0–23: the local hour a business day starts (default 4)"),
        ("time_zone", "an IANA zone such as Europe/Berlin, or empty for the machine's"),
        ("cash_requires_shift", "true or false: cash needs an open shift on the register"),
        ("blind_close", "true or false: the drawer is counted without seeing the expected figure"),
        ("phone_country_code", "the country calling code of phone numbers written without +, e.g. 49 (empty: none)"),
        ("misc_sku", "the SKU open-price items (*4.50 Gift wrap at the till) are sold as (empty: none)"),
        ("card_capture", "automatic (cards are charged at the reader) or manual (authorized, captured when the sale is saved)"),
        ("offline_credit_per_card", "chain stores: what one gift card may pay here while HQ is unreachable (0: nothing, the default)"),
        ("offline_credit_per_store", "chain stores: the most all gift cards may pay here offline before HQ has the redemptions"),
    ]

    public init(store: StoreDatabase) { self.store = store }

    /// Every setting as `key = value` lines.
    public func show() throws -> [(String, String)] {
        let settings = try store.read { db in try StoreSettings.load(db) }
        return [("name", settings.name), ("currency", settings.currency.code),
                ("tax_inclusive", String(settings.taxInclusive)),
                ("cash_rounding", Money(minorUnits: settings.cashRoundingIncrement, currency: settings.currency).decimalString),
                ("gs1_variable_measure", settings.variableMeasure.rawValue),
                ("allow_negative_stock", String(settings.allowNegativeStock)),
                ("discount_limit_percent", String(settings.discountLimitPercent)),
                ("idle_lock_minutes", String(settings.idleLockMinutes)),
                ("business_day_start_hour", String(settings.businessDayStartHour)),
                ("time_zone", settings.timeZoneIdentifier ?? "\(TimeZone.current.identifier) (the machine's)"),
                ("cash_requires_shift", String(settings.cashRequiresShift)),
                ("blind_close", String(settings.blindClose)),
                ("phone_country_code", settings.phoneCountryCode), ("misc_sku", settings.miscSKU ?? ""),
                ("card_capture", settings.cardCaptureManually ? "manual" : "automatic"),
                ("offline_credit_per_card", try StoreSettingsEditor.value(of: "offline_credit_per_card", in: settings)),
                ("offline_credit_per_store", try StoreSettingsEditor.value(of: "offline_credit_per_store", in: settings))]
    }

    /// Sets one key, checked and audited; the context's member needs `manage_store` (nobody signed in: the store
    /// file's owner at a shell).
    public func set(_ key: String, to value: String, _ ctx: TillContext) throws {
        let staffID = ctx.staffID, date = ctx.now
        try CardNumberGuard.check(value, field: "the value for \(key)")
        try store.write { db in
            try Permissions.requireIfSignedIn(db, .manageStore, staffID: staffID)
            var settings = try StoreSettings.load(db)
            let before = try StoreSettingsEditor.value(of: key, in: settings)
            func flag() throws -> Bool {
                guard let parsed = Bool(value.lowercased()) else { throw TillError.invalid("\(key) takes true or false, not \"\(value)\"") }
                return parsed
            }
            switch key {
            case "name":
                let trimmed = value.trimmingCharacters(in: .whitespaces)
                guard !trimmed.isEmpty else { throw TillError.invalid("the shop needs a name") }
                settings.name = trimmed
            case "tax_inclusive":
                settings.taxInclusive = try flag()
            case "cash_rounding":
                let increment = try MoneyParser(currency: settings.currency).parse(value).minorUnits
                guard increment >= 1 else { throw TillError.invalidAmount(value, reason: "cash rounding must be above zero") }
                settings.cashRoundingIncrement = increment
            case "gs1_variable_measure":
                guard let mode = VariableMeasureBarcode.Mode(rawValue: value.lowercased()) else {
                    throw TillError.invalid("gs1_variable_measure takes off, weight or price, not \"\(value)\"")
                }
                settings.variableMeasure = mode
            case "allow_negative_stock":
                settings.allowNegativeStock = try flag()
            case "discount_limit_percent":
                guard let percent = Int64(value), (0...100).contains(percent) else {
                    throw TillError.invalid("discount_limit_percent takes a whole number from 0 to 100, not \"\(value)\"")
                }
                settings.discountLimitPercent = percent
            case "idle_lock_minutes":
                guard let minutes = Int64(value), (0...1440).contains(minutes) else {
                    throw TillError.invalid("idle_lock_minutes takes a whole number of minutes from 0 to 1440, not \"\(value)\"")
                }
                settings.idleLockMinutes = minutes
            case "business_day_start_hour":
                guard let hour = Int(value), (0...23).contains(hour) else {
                    throw TillError.invalid("business_day_start_hour takes an hour from 0 to 23, not \"\(value)\"")
                }
                settings.businessDayStartHour = hour
            case "time_zone":
                let trimmed = value.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty {
                    settings.timeZoneIdentifier = nil
                } else {
                    guard TimeZone(identifier: trimmed) != nil else {
                        throw TillError.invalid("time_zone \"\(value)\" is not a known time zone (e.g. Europe/Berlin, America/New_York, UTC)")
                    }
                    settings.timeZoneIdentifier = trimmed
                }
            case "cash_requires_shift":
                settings.cashRequiresShift = try flag()
            case "blind_close":
                settings.blindClose = try flag()
            case "phone_country_code":
                let code = value.trimmingCharacters(in: .whitespaces)
                let digits = code.hasPrefix("+") ? String(code.dropFirst()) : code
                guard digits.isEmpty || (digits.count <= 3 && digits.allSatisfy(\.isASCIIDigit) && !digits.hasPrefix("0")) else {
                    throw TillError.invalid("phone_country_code takes a country calling code of 1 to 3 digits (e.g. 49 or +49), or nothing, not \"\(value)\"")
                }
                settings.phoneCountryCode = digits
            case "misc_sku":
                let sku = value.trimmingCharacters(in: .whitespaces)
                if sku.isEmpty {
                    settings.miscSKU = nil
                } else {
                    guard let stored = try String.fetchOne(db, sql: "SELECT sku FROM variant WHERE sku = ?", arguments: [sku]) else {
                        throw TillError.notFound("SKU \(sku) (misc_sku names a product in the catalog)")
                    }
                    settings.miscSKU = stored
                }
            case "card_capture":
                switch value.lowercased() {
                case "automatic": settings.cardCaptureManually = false
                case "manual": settings.cardCaptureManually = true
                default: throw TillError.invalid("card_capture takes automatic or manual, not \"\(value)\"")
                }
            case "offline_credit_per_card", "offline_credit_per_store":
                let amount = try MoneyParser(currency: settings.currency).parse(value).minorUnits
                guard amount >= 0 else { throw TillError.invalidAmount(value, reason: "an offline allowance is 0 or more") }
                if key == "offline_credit_per_card" { settings.offlineCreditPerCard = amount } else { settings.offlineCreditPerStore = amount }
            case "currency":
                throw TillError.invalid("the currency is fixed once a store exists (every price is in it); make a new store with `till init --currency`")
            default:
                throw TillError.invalid("unknown setting \"\(key)\" (settable: \(StoreSettingsEditor.keys.map(\.key).joined(separator: ", ")))")
            }
            try settings.save(db)
            try AuditLog.record(db, action: "settings.set", entity: "store_setting", entityID: nil, before: [key: before],
                                after: [key: try StoreSettingsEditor.value(of: key, in: settings)], staffID: staffID, at: date)
        }
    }

    static func value(of key: String, in settings: StoreSettings) throws -> String {
        switch key {
        case "name": return settings.name
        case "tax_inclusive": return String(settings.taxInclusive)
        case "cash_rounding": return Money(minorUnits: settings.cashRoundingIncrement, currency: settings.currency).decimalString
        case "gs1_variable_measure": return settings.variableMeasure.rawValue
        case "allow_negative_stock": return String(settings.allowNegativeStock)
        case "discount_limit_percent": return String(settings.discountLimitPercent)
        case "idle_lock_minutes": return String(settings.idleLockMinutes)
        case "business_day_start_hour": return String(settings.businessDayStartHour)
        case "time_zone": return settings.timeZoneIdentifier ?? ""
        case "cash_requires_shift": return String(settings.cashRequiresShift)
        case "blind_close": return String(settings.blindClose)
        case "phone_country_code": return settings.phoneCountryCode
        case "misc_sku": return settings.miscSKU ?? ""
        case "card_capture": return settings.cardCaptureManually ? "manual" : "automatic"
        case "offline_credit_per_card": return Money(minorUnits: settings.offlineCreditPerCard, currency: settings.currency).decimalString
        case "offline_credit_per_store": return Money(minorUnits: settings.offlineCreditPerStore, currency: settings.currency).decimalString
        case "currency": return settings.currency.code
        default: throw TillError.invalid("unknown setting \"\(key)\" (settable: \(keys.map(\.key).joined(separator: ", ")))")
        }
    }
}
