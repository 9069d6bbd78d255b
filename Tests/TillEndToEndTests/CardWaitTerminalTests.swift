import Foundation
import GRDB
import Testing
import TillCore
import TillTestSupport

/// The real run loop in a real terminal: a card that waits for the customer is drawn with its progress while it
/// waits (the loop is woken by the effect, not by a key), and Esc reaches the charge before it is made.
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
                                                    "TILL_PIN": "1111", "TILL_SIM_CARD_DELAY_MS": "4000"])
        try session.waitFor("Scan or type")
        try session.type("COF-002")
        try session.press("Enter")
        try session.waitFor("Added Espresso Roast 250 g.")
        try session.press("F12")
        try session.press("F2")
        try session.waitFor("Card for")
        try session.press("Enter")
        // Drawn while the charge runs: nothing else is typed, so only the effect's own wake can bring it.
        let waiting = try session.waitFor("Card: present card on the reader — Esc cancels", timeout: 3)
        #expect(waiting.contains("Esc"))
        try session.press("Escape")
        try session.waitFor("card payment cancelled before the card was charged", timeout: 3)

        // Tried again, the customer "presents" the card after four seconds and the sale completes on its own.
        try session.press("Enter")
        try session.waitFor("Card: present card on the reader", timeout: 3)
        try session.waitFor("Sale #", timeout: 15)
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
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sim_gateway_charge") ?? -1
        }
    }
}
