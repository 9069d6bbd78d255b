import Foundation
import Testing
import TillCore
import TillTestSupport

/// `till display` in one terminal, the till in another and `till sell` from a script, all on one store file:
/// the customer sees each scan, the total, the change due and the thank-you as the cashier works.
@Suite(.serialized) struct DisplayTerminalTests {
    let db = TestStores.temporaryPath()

    @Test(.tmux) func theDisplayFollowsTheRegistersSales() throws {
        try TmuxSession.requireAvailable()
        let binary = try #require(TillProcess.binary).path
        #expect(try TillProcess.run(["init", "--db", db]).status == 0)
        try TillProcess.openShift(db: db)
        let display = try TmuxSession(command: "'\(binary)' display --register main", width: 80, height: 24,
                                      environment: ["TILL_DB": db, "TERM": "xterm-256color"])
        try display.waitFor("Welcome")
        #expect(try display.screen().contains("Corner Store Demo"))

        // The cashier scans at the till: the line and the total show on the customer's screen.
        let till = try TmuxSession(command: "'\(binary)'", width: 100, height: 30,
                                   environment: ["TILL_DB": db, "TERM": "xterm-256color", "TILL_USER": "ana", "TILL_PIN": "1111"])
        try till.waitFor("Scan or type")
        try till.type("COF-002")
        try till.press("Enter")
        try till.waitFor("Added Espresso Roast")
        let scanned = try display.waitFor("Espresso Roast 250 g")
        #expect(scanned.contains("TOTAL") && scanned.contains("1 item"))
        try till.press("F12")
        try till.waitFor("Enter cash")
        try till.press("Enter")  // exact cash
        try till.waitFor("completed")
        let thanked = try display.waitFor("Thank you!")
        #expect(thanked.contains("€15.09") && !thanked.contains("Change due"))

        // A scripted sale with change to give: the change due, large, and the thank-you.
        let sale = try TillProcess.run(["sell", "--item", "COF-002", "--pay", "cash:20", "--db", db], environment: TillProcess.demoCashier)
        #expect(sale.status == 0, "\(sale.stderr)")
        let change = try display.waitFor("Change due")
        #expect(change.contains("Thank you!") && change.contains("Total") && change.contains("€15.09"))
        #expect(!change.contains(" ana "))

        try display.press("q")
        try display.waitFor("EXIT=0")
        try till.press("C-q")
        try till.waitFor("EXIT=0")

        // A register the store does not have is refused, naming the ones it has.
        let wrong = try TmuxSession(command: "'\(binary)' display --register frnt", environment: ["TILL_DB": db, "TERM": "xterm-256color"])
        let refused = try wrong.waitFor("EXIT=")
        #expect(refused.contains("till: this store has no register \"frnt\" (it has history, main)") && refused.contains("EXIT=1"), "\(refused)")
    }
}
