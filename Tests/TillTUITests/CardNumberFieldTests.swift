import Foundation
import Testing
import TillCore
import TillTestSupport
@testable import TillTUI

/// Issue 15 in the app: a text field that comes to hold a card number is emptied at once — not kept in the
/// state, not sent in an effect — and the status line says why without the digits. One test per kind of
/// field (search box, prompt, form), and the scan box, where a barcode still arriving waits for Enter.
@Suite struct CardNumberFieldTests {
    /// A test card none of whose first 13–15 digits is card-like itself, so it is refused on its last key and the
    /// field ends empty (a card whose 14 first digits pass Luhn is refused there, and its last digits land in
    /// the emptied field).
    static let card = "4111 1111 1111 1111"

    /// Types `text` a key at a time through the reducer itself, from the app's current state, and returns the
    /// state after it and every effect asked for on the way.
    static func typeThroughReducer(_ app: AppDriver, _ text: String) -> (state: AppState, effects: [Effect], states: [AppState]) {
        var state = app.state
        var effects: [Effect] = []
        var states: [AppState] = []
        for character in text {
            effects += AppReducer.reduce(&state, .key(.character(character)))
            states.append(state)
        }
        return (state, effects, states)
    }

    /// Neither any state on the way nor any effect held a card number.
    static func expectNothingKept(_ run: (state: AppState, effects: [Effect], states: [AppState]),
                                  sourceLocation: SourceLocation = #_sourceLocation) {
        let kept = run.states.flatMap { CardNumberScan.findings(in: String(describing: $0), named: "the state") }
        #expect(kept.isEmpty, "\(kept)", sourceLocation: sourceLocation)
        let sent = CardNumberScan.findings(in: String(describing: run.effects), named: "the effects")
        #expect(sent.isEmpty, "\(sent)", sourceLocation: sourceLocation)
    }

    @Test func aSearchBoxLosesTheCardNumberAndKeepsTheWords() throws {
        let app = try TestApp.demo()
        app.press(.function(2))
        app.type("mug ")
        let run = Self.typeThroughReducer(app, Self.card)
        // The card's digits go — the rest of the number too, as it is still typed — and the words stay.
        #expect(run.state.catalog.search == "mug ")
        #expect(run.state.message == .error(CardNumberGuard.refusal(field: "The search")))
        Self.expectNothingKept(run)
        // Through the driver, the screen says it and the list is the whole catalog again.
        app.type(Self.card)
        #expect(app.state.catalog.search == "mug ")
        #expect(app.screen.contains("The search looks like a card number"))
        #expect(CardNumberScan.findings(in: app.screen, named: "the screen").isEmpty)
        // Ordinary digits are searched as before.
        app.press(.escape)
        app.press(.function(2))
        app.type("4083086271492")
        #expect(app.state.catalog.search == "4083086271492")
    }

    @Test func aPromptLosesTheCardNumberAndNoneIsSaved() throws {
        let app = try TestApp.demo(staff: "sam (support)")
        app.press(.function(4), .enter, .control("n"))
        try #require(app.state.orders.prompt == .note(""))
        let run = Self.typeThroughReducer(app, "paid with " + Self.card)
        #expect(run.state.orders.prompt == .note("paid with "))
        #expect(run.state.message == .error(CardNumberGuard.refusal(field: "The note")))
        Self.expectNothingKept(run)
        app.type("paid with " + Self.card + " ok")
        app.press(.enter)
        let number = try #require(app.state.orders.detail?.order.number)
        let notes = try Orders(store: app.store).detail(number: number).notes.map(\.text)
        #expect(notes.count == 1 && notes.allSatisfy { !CardNumberGuard.containsCardNumber($0) && $0.hasPrefix("paid with") }, "\(notes)")
    }

    @Test func aFormFieldLosesTheCardNumber() throws {
        let app = try TestApp.demo(staff: "max (manager)")
        app.press(.function(2), .control("n"))
        app.type("MUG-9")
        app.press(.tab)  // Name
        let run = Self.typeThroughReducer(app, "Mug 4111-1111-1111-1111")
        #expect(run.state.catalog.form?.text["name"] == "Mug ")
        #expect(run.state.message == .error(CardNumberGuard.refusal(field: "The Name field")))
        Self.expectNothingKept(run)
        #expect(run.state.catalog.form?.text["sku"] == "MUG-9")
    }

    @Test func theSignInNameIsEmptied() throws {
        let app = try TestApp.demo()
        app.press(.control("l"))
        let run = Self.typeThroughReducer(app, "4111111111111111")
        #expect(run.state.signIn?.username == "")
        #expect(run.state.message == .error(CardNumberGuard.refusal(field: "The user name")))
        Self.expectNothingKept(run)
    }

    /// A GTIN-14 whose first 13 digits read as a card (Luhn-valid, GS1 check wrong) for one keystroke.
    static let caseCodeWithACardLikePrefix: String? = (0..<1_000_000).lazy.map { String(1_000_000_000_000 + $0) }
        .first { prefix in
            !Barcode.isValid(prefix) && CardNumberGuard.containsCardNumber(prefix)
        }
        .map { $0 + String(Barcode.checkDigit(forBody: $0)) }

    @Test func theScanBoxLetsABarcodeArriveAndRefusesACardOnEnter() throws {
        let code = try #require(Self.caseCodeWithACardLikePrefix)
        #expect(Barcode.isValid(code) && CardNumberGuard.containsCardNumber(String(code.dropLast())))
        let app = try TestApp.demo(prepare: { store in
            var draft = try CatalogEditor(store: store).draft(sku: "COF-002")
            draft.barcodes.append(code)
            try CatalogEditor(store: store).edit(sku: "COF-002", draft, TillContext())
        })
        // The scanner's digits arrive one by one: the card-like 13 are kept until the 14th makes a barcode.
        app.type(code)
        #expect(app.state.register.input == code)
        app.press(.enter)
        #expect(app.state.register.lines.map(\.sku) == ["COF-002"])
        // A card typed into the scan box is refused on Enter, never looked up.
        let run = Self.typeThroughReducer(app, "4111111111111111")
        #expect(run.state.register.input == "")
        #expect(run.state.message == .error(CardNumberGuard.refusal(field: "The scan")))
        Self.expectNothingKept(run)
        app.type("4222222222222")  // a 13-digit card: could still be a GTIN-14 arriving
        let enter = { () -> (AppState, [Effect]) in
            var state = app.state
            let effects = AppReducer.reduce(&state, .key(.enter))
            return (state, effects)
        }()
        #expect(enter.0.register.input == "")
        #expect(enter.0.message == .error(CardNumberGuard.refusal(field: "The scan")))
        #expect(CardNumberScan.findings(in: String(describing: enter.1), named: "the effects").isEmpty)
        // A name search is sent as it is typed, so it has the whole rule at once.
        app.press(.escape)
        let search = Self.typeThroughReducer(app, "x4222222222222")
        #expect(search.state.register.input == "")
        #expect(search.state.message == .error(CardNumberGuard.refusal(field: "The search")))
    }

    @Test func keysHeldWhileAPaymentIsOnItsWayDropACardButKeepAScan() throws {
        let app = try TestApp.demo(shiftOpen: true)
        app.type("COF-001")
        app.press(.enter, .function(12))
        var state = app.state
        state.register.tender?.paying = true  // as while the answer is on its way
        var effects: [Effect] = []
        for key in "4006381333931".map(Key.character) + [.enter] + "4111111111111111".map(Key.character) {
            effects += AppReducer.reduce(&state, .key(key))
        }
        #expect(RegisterReducer.heldText(state.register.heldKeys) == "4006381333931\n")
        #expect(state.message == .error(CardNumberGuard.refusal(field: "What was typed")))
        #expect(effects.isEmpty)
    }
}
