import Foundation
import GRDB
import Testing
import TillTestSupport
@testable import TillCore

/// Issue 13: a phone number matches in national and international form, at the till and in every search.
@Suite struct PhoneNumberTests {
    static let forms = ["030 450 0373", "0304500373", "+49 30 4500373", "0049 30 4500373"]

    /// The demo store with Ben's number written `stored`, and one order of his.
    func store(ben stored: String, countryCode: String?) throws -> (StoreDatabase, Int64) {
        let store = try TestStores.demoStore()
        if let countryCode { try StoreSettingsEditor(store: store).set("phone_country_code", to: countryCode, TillContext()) }
        let ben = try #require(try store.read { db in
            try Customer.filter(sql: "name = 'Ben Svensson'").fetchOne(db)
        })
        try store.write { db in
            var updated = Customer(id: ben.id, name: ben.name, email: ben.email, phone: stored, notes: ben.notes)
            try updated.update(db)
            // A different person abroad with the same local digits must not be found for Ben's number.
            var other = Customer(name: "Olivia Abroad", phone: "+44 30 4500373")
            try other.insert(db)
        }
        let number = try #require(try store.read { db in
            try Int64.fetchOne(db, sql: "SELECT number FROM orders WHERE customer_id = ? ORDER BY number LIMIT 1", arguments: [ben.id])
        })
        return (store, number)
    }

    @Test(arguments: forms, forms)
    func everyFormFindsEveryOtherWithTheStoreCountryCode(stored: String, typed: String) throws {
        let (store, number) = try store(ben: stored, countryCode: "49")
        #expect(try Customers(store: store).find(typed).map(\.name) == ["Ben Svensson"], "\(stored) ← \(typed)")
        #expect(try Orders(store: store).search(OrderQuery(text: typed), limit: 500).map(\.number).contains(number))
        #expect(try Orders(store: store).search(OrderQuery(phone: typed), limit: 500).map(\.number).contains(number))
    }

    @Test(arguments: forms)
    func withoutACountryCodeTheDigitsStillMatch(typed: String) throws {
        // The demo store is in EUR (many countries): no default country code; national forms match on their digits.
        let (store, number) = try store(ben: "+49 30 4500373", countryCode: nil)
        #expect(try store.read { db in try StoreSettings.load(db).phoneCountryCode } == "")
        #expect(try Customers(store: store).find(typed).map(\.name).contains("Ben Svensson"))
        #expect(try Orders(store: store).search(OrderQuery(text: typed), limit: 500).map(\.number).contains(number))
    }

    @Test func anotherCountrysNumberIsNotAHomeNumber() throws {
        let (store, number) = try store(ben: "030 450 0373", countryCode: "49")
        #expect(try Customers(store: store).find("+44 30 4500373").map(\.name) == ["Olivia Abroad"])
        #expect(try !Orders(store: store).search(OrderQuery(phone: "+44 30 4500373"), limit: 500).map(\.number).contains(number))
        #expect(try Orders(store: store).search(OrderQuery(phone: "+49 30 4500373"), limit: 500).map(\.number).contains(number))
        // A local number without its area code still finds him.
        #expect(try Orders(store: store).search(OrderQuery(phone: "450 0373"), limit: 500).map(\.number).contains(number))
        #expect(try Customers(store: store).find("4500373").map(\.name) == ["Ben Svensson", "Olivia Abroad"])
        #expect(try Customers(store: store).find("0044 30 4500373").map(\.name) == ["Olivia Abroad"])
        #expect(try Customers(store: store).find("+49 30 4500373").map(\.name) == ["Ben Svensson"])
    }

    @Test func theCountryCodeSettingDefaultsFromTheCurrencyAndIsChecked() throws {
        #expect(try TestStores.emptyStore(currency: "GBP").read { db in try StoreSettings.load(db).phoneCountryCode } == "44")
        #expect(try TestStores.emptyStore(currency: "EUR").read { db in try StoreSettings.load(db).phoneCountryCode } == "")
        let store = try TestStores.demoStore()
        let editor = StoreSettingsEditor(store: store)
        try editor.set("phone_country_code", to: "+49", TillContext())
        #expect(try editor.show().first { $0.0 == "phone_country_code" }?.1 == "49")
        #expect(throws: TillError.invalid("phone_country_code takes a country calling code of 1 to 3 digits (e.g. 49 or +49), or nothing, not \"4a\"")) {
            try editor.set("phone_country_code", to: "4a", TillContext())
        }
        try editor.set("phone_country_code", to: "", TillContext())
        #expect(try store.read { db in try StoreSettings.load(db).phoneCountryCode } == "")
    }

    @Test func aPhoneLookupUsesTheTailIndex() throws {
        let store = try TestStores.demoStore()
        try StoreSettingsEditor(store: store).set("phone_country_code", to: "49", TillContext())
        let condition = try #require(PhoneNumber.condition(column: "phone_digits", text: "030 450 0373", countryCode: "49"))
        let plan = try store.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT id FROM customer WHERE " + condition.sql,
                             arguments: condition.arguments).map { $0["detail"] as String }
        }
        #expect(plan.contains { $0.contains("USING INDEX customer_phone") }, "\(plan)")
    }
}
