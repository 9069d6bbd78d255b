import Foundation
import GRDB
import Testing
import TillCore
import TillTestSupport

/// A barcode scanner types its 13 digits and Enter in one burst, and a busy cashier scans the next customer's
/// first item while the last receipt is still on screen. Not one digit may be lost.
@Suite(.serialized) struct ScannerBurstTests {
    let db = TestStores.temporaryPath()

    @Test(.tmux) func thirtySalesBackToBackArriveWhole() throws {
        try TmuxSession.requireAvailable()
        #expect(try TillProcess.run(["init", "--db", db]).status == 0)
        try TillProcess.openShift(db: db)
        // Items sold by the piece with an EAN-13 barcode (stored as GTIN-14 with a leading 0), cycled through.
        let (items, lastNumber) = try StoreDatabase.open(path: db).read { db -> ([(code: String, sku: String)], Int64) in
            let rows = try Row.fetchAll(db, sql: """
                SELECT substr(b.code, 2) AS code, v.sku FROM barcode b JOIN variant v ON v.id = b.variant_id
                JOIN product p ON p.id = v.product_id
                WHERE p.unit = 'each' AND v.active AND p.active
                  AND length(b.code) = 14 AND b.code GLOB '0[013-9]*'  -- stored as GTIN-14; no 2… scale labels
                ORDER BY v.sku LIMIT 10
                """)
            return (rows.map { (code: $0["code"], sku: $0["sku"]) },
                    try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(number), 0) FROM orders") ?? 0)
        }
        try #require(items.count >= 5, "the demo store has EAN-13 barcodes to scan")
        let session = try TmuxSession(command: "'\(try TillProcess.binary.map(\.path) ?? "till")'", width: 80, height: 24,
                                      environment: ["TILL_DB": db, "TERM": "xterm-256color", "TILL_USER": "ana", "TILL_PIN": "1111"])
        try session.waitFor("Scan or type")
        var expected: [String] = []
        for sale in 0..<30 {
            let item = items[sale % items.count]
            expected.append(item.sku)
            // The digits and Enter in one send, straight after the previous sale's Enter: no pause for the receipt.
            try session.press(item.code, "Enter")
            // As a cashier does, look for the line before paying. "Added …" is said only by a scan that landed (the
            // tender screen and the receipt say other things), so an old screen cannot pass for it.
            try session.waitFor("Added ")
            try session.press("F12")
            try session.waitFor("Enter cash (exact)")
            try session.press("Enter")
        }
        try session.waitFor("Sale #\(lastNumber + 30) completed")
        let sold = try StoreDatabase.open(path: db).read { db in
            try Row.fetchAll(db, sql: """
                SELECT o.number, group_concat(l.sku) AS skus FROM orders o JOIN order_line l ON l.order_id = o.id
                WHERE o.number > ? GROUP BY o.id ORDER BY o.number
                """, arguments: [lastNumber]).map { row -> String in row["skus"] }
        }
        #expect(sold.count == 30)
        #expect(sold == expected)
    }
}
