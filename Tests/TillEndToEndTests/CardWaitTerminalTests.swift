import Foundation
import GRDB
import Testing
import TillCore
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

    private func charges() throws -> Int {
        try StoreDatabase.open(path: db).read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sim_card_payment WHERE status = 'captured'") ?? -1
        }
    }
}
