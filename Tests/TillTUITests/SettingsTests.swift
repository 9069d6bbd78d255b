import Foundation
import Testing
import TillCore
import TillTestSupport
@testable import TillTUI

/// The settings overlay (Ctrl-O): an admin manages tax classes and dated rates through TillCore's rules.
@Suite struct SettingsOverlayTests {
    @Test func anAdminSeesTheClassesAndSchedulesARate() throws {
        let app = try TestApp.demo(width: 132, height: 43, staff: "ada (admin)", signedIn: "ada")
        app.press(.function(2), .control("o"))
        let settings = try #require(app.state.settings)
        #expect(settings.classes.map(\.code) == ["reduced", "standard", "zero"])
        #expect(settings.classes.map(\.current.ratePPM) == [70_000, 190_000, 0])
        TestApp.expectScreen(app, "settings-132x43")

        app.press(.character("s"))
        #expect(app.state.settings?.prompt == .setRate(code: "reduced"))
        app.type("10 2099-01-01")
        app.press(.enter)
        #expect(app.state.message == .info("reduced: 10% from 2099-01-01."))
        let day = try TaxRates.parseDay("2099-01-01")
        #expect(app.state.settings?.classes.first?.scheduled == [DatedTaxRate(ratePPM: 100_000, effectiveFrom: day)])
        #expect(app.screen.contains("10% from 2099-01-01"))
        #expect(try AuditLog.entries(app.store, entity: "tax_class").first?.action == "tax.rate")
        app.press(.escape)
        #expect(app.state.settings == nil && app.state.pane == .catalog)
        // Locking the till closes the overlay: the next person to sign in does not find an admin's screen.
        app.press(.control("o"))
        #expect(app.state.settings?.classes.count == 3)
        app.press(.control("l"))
        #expect(app.state.settings == nil && app.state.signIn != nil)
    }

    @Test func itFitsTheSmallestTerminal() throws {
        let app = try TestApp.demo(staff: "ada (admin)", signedIn: "ada")
        app.press(.control("o"))
        app.press(.character("s"))
        app.type("21 2099-01-01")
        app.press(.enter)
        TestApp.expectScreen(app, "settings-80x24")
    }

    @Test func addArchiveAndARefusalFromTheCore() throws {
        let app = try TestApp.demo(width: 132, height: 43, staff: "ada (admin)", signedIn: "ada")
        app.press(.control("o"))
        app.press(.character("a"))
        app.type("books 5 Books and papers")
        app.press(.enter)
        #expect(app.state.message == .info("Added books at 5%."))
        #expect(app.state.settings?.classes.first?.name == "Books and papers")
        app.press(.character("x"))
        #expect(app.state.settings?.prompt == .confirmArchive(code: "books"))
        app.press(.character("y"))  // only Enter confirms
        #expect(app.state.settings?.input == "")
        app.press(.enter)
        #expect(app.state.message == .info("Archived books."))
        #expect(app.state.settings?.classes.last.map { "\($0.code) \($0.active)" } == "books false")
        // reduced is now first; products use it, and the core's refusal is what the user reads.
        let used = try app.store.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM product p JOIN tax_class t ON t.id = p.tax_class_id WHERE t.code = 'reduced'")
        }
        app.press(.character("x"), .enter)
        #expect(app.state.message == .error("tax class reduced is used by \(used ?? -1) products; move them to another class before archiving it"))
        app.press(.character("s"))
        app.type("abc")
        app.press(.enter)
        #expect(app.state.message == .error("invalid tax rate \"abc\": expected a percentage such as 19 or 8.875"))
        app.press(.character("?"))
        #expect(app.screen.contains("Settings") && app.screen.contains("archive the selected class"))
    }

    @Test func aCashierIsToldWhyAndChangesNothing() throws {
        let app = try TestApp.demo(signedIn: "ana")
        app.press(.control("o"))
        #expect(app.state.settings?.problem == "Settings: not allowed: ana (cashier) may not change store settings; only an admin may")
        #expect(app.screen.contains("ana (cashier) may not change store settings"))
        app.press(.character("a"))
        #expect(app.state.settings?.prompt == nil)
        #expect(try AuditLog.entries(app.store, entity: "tax_class").isEmpty)
    }
}
