import Foundation
import GRDB
import Testing
import TillCore
import TillTestSupport

/// `till supplier` and `till po` from the real binary: a supplier, a draft from the reorder list, the documents
/// sent, a delivery scanned in (case codes and unit barcodes) in two parts, closed with its back-order cancelled.
@Suite(.serialized) struct PurchaseOrderCommandTests {
    let db = TestStores.temporaryPath()
    /// The manager: purchasing needs `adjust_stock` and `edit_catalog`.
    let manager = ["TILL_USER": "max", "TILL_PIN": "2222"]

    func till(_ arguments: [String], input: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let result = try TillProcess.run(arguments + ["--db", db], environment: manager, input: input)
        #expect(result.status == 0, "till \(arguments.joined(separator: " ")): \(result.stderr)", sourceLocation: sourceLocation)
        return result.stdout
    }

    /// Units of `sku` in the store, read from the file the binary wrote.
    func onHand(_ sku: String) throws -> Int64 {
        let store = try StoreDatabase.open(path: db)
        return try #require(try Catalog(store: store).lookup(code: sku)).onHand.milli / 1000
    }

    @Test func fromTheReorderListToAClosedOrder() throws {
        #expect(try TillProcess.run(["init", "--db", db]).status == 0)
        let caseCode = "1400094929134" + String(Barcode.checkDigit(forBody: "1400094929134"))
        _ = try till(["product", "edit", "COF-002", "--case-barcode", "\(caseCode)=6", "--reorder-point", "200"])
        _ = try till(["supplier", "add", "ACME", "--name", "Acme Coffee Traders", "--lead-time", "5", "--terms", "Net 30",
                      "--email", "orders@acme.example"])
        _ = try till(["supplier", "item", "ACME", "COF-002", "--code", "AC-2", "--case", "6", "--cost", "10.00"])
        let list = try till(["supplier", "list"])
        #expect(list.contains("ACME"))
        #expect(list.contains("Acme Coffee Traders"))

        let suggest = try till(["po", "suggest", "--supplier", "ACME"])
        #expect(suggest.contains("COF-002"))
        let drafted = try till(["po", "draft", "--supplier", "ACME"])
        #expect(drafted.hasPrefix("drafted PO-1001 for ACME: 1 line"), "\(drafted)")
        let shown = try till(["po", "show", "PO-1001"])
        #expect(shown.contains("draft"))

        let folder = TestStores.temporaryDirectory().path
        let sent = try till(["po", "send", "1001", "--out", folder])
        #expect(sent.contains("PO-1001 sent to ACME (orders@acme.example)"))
        let csv = try CSVFile.read(path: folder + "/PO-1001.csv")
        let record = try #require(csv.records.first)
        let ordered = try #require(Int(record["quantity"]))
        #expect(ordered % 6 == 0)
        #expect(csv.records.first?["supplier_item_code"] == "AC-2")
        let document = try String(contentsOfFile: folder + "/PO-1001.txt", encoding: .utf8)
        #expect(document.contains("PURCHASE ORDER PO-1001"))
        #expect(document.contains("Acme Coffee Traders [ACME]"))

        // The first part of the delivery, scanned: one case code and two unit barcodes, one per line as a scanner types.
        let before = try onHand("COF-002")
        let first = try till(["po", "receive", "1001", "--scan", "--delivery-note", "DN-1"], input: "\(caseCode)\n4000949291343\n4000949291343\n")
        #expect(first.contains("PO-1001 is partial"), "\(first)")
        #expect(try onHand("COF-002") == before + 8)

        // Something not on the order is refused, naming it; nothing is booked.
        let refused = try TillProcess.run(["po", "receive", "1001", "COF-001=2", "--db", db], environment: manager)
        #expect(refused.status == 1)
        #expect(refused.stderr == "till: COF-001 (COF-001) is not on PO-1001 from ACME: refuse it, or keep it with --add-reason \"why\"\n")
        let again = try TillProcess.run(["po", "receive", "1001", "COF-002=1", "--delivery-note", "DN-1", "--db", db], environment: manager)
        #expect(again.stderr == "till: delivery note DN-1 against PO-1001 was already received; to book it again, add --again\n")
        #expect(try onHand("COF-002") == before + 8)

        let closed = try till(["po", "close", "1001"])
        #expect(closed.contains("PO-1001 closed; back-orders cancelled: COF-002 \(ordered - 8)"))
        let open = try till(["po", "list"])
        #expect(open.contains("no purchase orders open"))
        #expect(try till(["po", "list", "--all"]).contains("closed"))
        #expect(try TillProcess.run(["doctor", "--db", db]).status == 0)
    }

    @Test func mistakesAreOneLineEach() throws {
        #expect(try TillProcess.run(["init", "--db", db]).status == 0)
        let cases: [([String], String)] = [
            (["po", "show", "PO-x"], "till: \"PO-x\" is not a purchase-order number (PO-1001 or 1001)\n"),
            (["po", "show", "77"], "till: purchase order PO-77 (till po list shows them) not found\n"),
            (["po", "draft", "COF-001=2"], "till: a purchase order by hand needs --supplier CODE\n"),
            (["supplier", "item", "NOPE", "COF-001"], "till: supplier NOPE (till supplier list shows them) not found\n"),
            (["supplier", "add", "X"], "till: a supplier needs a name (--name)\n"),
        ]
        for (arguments, message) in cases {
            let result = try TillProcess.run(arguments + ["--db", db], environment: manager)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderr == message, "\(arguments)")
        }
        // A cashier may not add suppliers.
        let cashier = try TillProcess.run(["supplier", "add", "X", "--name", "X", "--db", db], environment: TillProcess.demoCashier)
        #expect(cashier.status != 0)
    }
}
