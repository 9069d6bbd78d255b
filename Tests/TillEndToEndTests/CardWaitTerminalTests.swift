import Foundation
import GRDB
import Testing
import TillCore
import TillFakeStripe
import TillTestSupport

/// The real run loop in a real terminal: the simulated reader waits for the customer — played by the cashier with
/// 1–5 — and is drawn with its progress while it waits; Esc reaches it before the card is charged; a decline
/// reads in plain words and leaves the sale open.
@Suite(.serialized) struct CardWaitTerminalTests {
    let db = TestStores.temporaryPath()

    @Test(.tmux) func theCardWaitIsDrawnAndEscCancelsItBeforeTheCardIsCharged() throws {
        try TmuxSession.requireAvailable()
        #expect(try TillProcess.run(["init", "--db", db]).status == 0)
        try TillProcess.openShift(db: db)
        let demo = try charges()
        let binary = try #require(TillProcess.binary).path
        let session = try TmuxSession(command: "'\(binary)'", width: 80, height: 24,
                                      environment: ["TILL_DB": db, "TERM": "xterm-256color", "TILL_USER": "ana",
                                                    "TILL_PIN": "1111"])
        try session.waitFor("Scan or type")
        try session.type("COF-002")
        try session.press("Enter")
        try session.waitFor("Added Espresso Roast 250 g.")
        try session.press("F12")
        try session.waitFor("Card reader: sim-main (simulated)")
        try session.press("F2")
        // Drawn while the reader waits: nothing else is typed, so only the effect's own wake can bring it.
        let waiting = try session.waitFor("waits for the customer", timeout: 3)
        #expect(waiting.contains("1 approve") && waiting.contains("Esc"))
        try session.press("Escape")
        try session.waitFor("card payment cancelled before the card was charged", timeout: 3)

        // The customer's card is declined: said in plain words, nothing taken, the sale still open.
        try session.press("F2")
        try session.waitFor("waits for the customer", timeout: 3)
        try session.type("3")
        try session.waitFor("insufficient funds", timeout: 5)
        #expect(try charges() == demo)

        // Tried again, the customer taps and is approved: the sale completes.
        try session.press("F2")
        try session.waitFor("waits for the customer", timeout: 3)
        try session.type("1")
        try session.waitFor("Sale #", timeout: 15)
        let receipt = try session.waitFor("Contactless", timeout: 5)
        #expect(!receipt.contains("4242424242"))
        try session.press("C-q")
        try session.waitFor("EXIT=0")

        let payments = try StoreDatabase.open(path: db).read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM payment WHERE method = 'card' AND status = 'captured'") ?? -1
        }
        // Exactly one charge at the "processor" — the cancelled attempt made none — and it is a sale's payment.
        #expect(try charges() == demo + 1)
        #expect(payments >= 1)
    }

    /// The app on a Stripe reader (the fake Stripe): the wait is drawn, a decline reads in plain words, the next
    /// card is approved, and the receipt carries the card fields — one charge at Stripe, one payment in Till.
    @Test(.tmux) func aCardOnAStripeReaderInTheApp() throws {
        try TmuxSession.requireAvailable()
        let fake = try FakeStripe.start(apiKey: "sk_test_TmuxReaderKey")
        defer { fake.stop() }
        fake.addReader(id: "tmr_fake_1", label: "Front till")
        #expect(try TillProcess.run(["init", "--db", db]).status == 0)
        try TillProcess.openShift(db: db)
        #expect(try TillProcess.run(["terminal", "pair", "main", "tmr_fake_1", "--stripe", "--db", db]).status == 0)
        let binary = try #require(TillProcess.binary).path
        let session = try TmuxSession(command: "'\(binary)'", width: 100, height: 30,
                                      environment: ["TILL_DB": db, "TERM": "xterm-256color", "TILL_USER": "ana", "TILL_PIN": "1111",
                                                    "TILL_STRIPE_SECRET_KEY": "sk_test_TmuxReaderKey", "TILL_STRIPE_API_BASE": fake.baseURL])
        try session.waitFor("Scan or type")
        try session.type("COF-002")
        try session.press("Enter")
        try session.waitFor("Added Espresso Roast 250 g.")
        try session.press("F12")
        try session.waitFor("Card reader: tmr_fake_1 (stripe)")
        fake.updateFaults { $0.autoPresent = .init(.decline("insufficient_funds"), afterMilliseconds: 1500) }
        try session.press("F2")
        try session.waitFor("present card on reader tmr_fake_1", timeout: 5)
        try session.waitFor("insufficient funds", timeout: 10)
        fake.updateFaults { $0.autoPresent = .init(.approve, afterMilliseconds: 500) }
        try session.press("F2")
        try session.waitFor("Sale #", timeout: 15)
        let receipt = try session.waitFor("Contactless", timeout: 5)
        #expect(receipt.contains("AID A0000000031010"))
        try session.press("C-q")
        try session.waitFor("EXIT=0")
        #expect(fake.allCharges.filter { $0.status == "succeeded" }.count == 1)
        let payments = try StoreDatabase.open(path: db).read { db in
            try String.fetchAll(db, sql: "SELECT card_reader FROM payment WHERE method = 'card' AND card_reader LIKE 'stripe:%'")
        }
        #expect(payments == ["stripe:tmr_fake_1"])
    }

    private func charges() throws -> Int {
        try StoreDatabase.open(path: db).read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sim_card_payment WHERE status = 'captured'") ?? -1
        }
    }
}
