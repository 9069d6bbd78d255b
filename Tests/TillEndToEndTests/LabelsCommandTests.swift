import Foundation
import Testing
import TillCore
import TillTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `till labels` and `till promotion` through the real binary, as a merchant runs them; the printers' bytes read
/// back by the test-side ESC/POS and ZPL readers.
@Suite(.serialized) struct LabelsCommandTests {
    let db = TestStores.temporaryPath()

    init() throws {
        let created = try TillProcess.run(["init", "--db", db])
        guard created.status == 0 else { throw TillTestError("till init failed: \(created.stderr)") }
    }

    func till(_ arguments: [String], environment: [String: String] = [:]) throws -> TillProcess.Output {
        try TillProcess.run(arguments + ["--db", db], environment: environment)
    }

    struct Queued: Decodable {
        var sku, name, price, regularPrice, reason, queuedAt: String
        var promotion, unitPrice, barcode: String?
    }

    func queue(environment: [String: String] = [:]) throws -> [Queued] {
        let result = try till(["labels", "queue", "--format", "json"], environment: environment)
        guard result.status == 0 else { throw TillTestError("till labels queue failed: \(result.stderr)") }
        return try JSONDecoder().decode([Queued].self, from: Data(result.stdout.utf8))
    }

    /// The journey: raise a category's prices by 5 %, list the shelf labels that changed, print them.
    @Test func aCategoryUpFivePercentThenItsShelfLabels() throws {
        let preview = try till(["product", "price", "--category", "Coffee & Tea", "--percent", "5"])
        #expect(preview.status == 0 && preview.stdout.contains("preview only"))
        #expect(try queue().isEmpty, "a preview queues nothing")
        let applied = try till(["product", "price", "--category", "Coffee & Tea", "--percent", "5", "--apply"])
        #expect(applied.status == 0, "\(applied.stderr)")
        // 5 % of every demo price is at least half a cent: every row changed.
        let changed = applied.stdout.split(separator: "\n").filter { $0.contains("→") }
        let waiting = try queue()
        #expect(waiting.count == changed.count && waiting.count > 10)
        #expect(waiting.allSatisfy { $0.reason == "price" })
        let table = try till(["labels", "queue"])
        #expect(table.stdout.contains("COF-002") && table.stdout.contains("\(waiting.count) labels to print"))

        let printed = try till(["labels", "print", "--format", "zpl"])
        #expect(printed.status == 0, "\(printed.stderr)")
        #expect(printed.stderr.contains("printed \(waiting.count) labels (zpl), \(waiting.count) off the queue"))
        let document = try ZPLDocument(parsing: printed.stdout)
        #expect(document.labels.count == waiting.count)
        for (label, entry) in zip(document.labels, waiting) {
            #expect(label.texts.contains("€" + entry.price), "\(entry.sku): \(label.texts)")
            #expect(label.texts.contains(entry.sku))
            let bar = try #require(label.barcodes.first)
            let value = bar.kind == "BC" ? bar.data : bar.data + String(gs1CheckDigit(bar.data))
            #expect(entry.barcode?.hasSuffix(" " + value) == true, "\(entry.sku): \(value) vs \(entry.barcode ?? "none")")
        }
        #expect(try till(["labels", "queue"]).stdout == "no labels to print\n")
    }

    @Test func printingToAFileAsEscPosWithTheUnitPrice() throws {
        #expect(try till(["product", "edit", "DRK-003", "--content", "330ml"]).status == 0)
        #expect(try till(["labels", "add", "DRK-003", "4070700253460"]).stdout == "queued DRK-003, SNK-001\n")
        let file = TestStores.temporaryPath("labels.bin")
        let printed = try till(["labels", "print", "--printer", file, "--copies", "2", "--width", "32"])
        #expect(printed.status == 0, "\(printed.stderr)")
        let document = try EscPosDocument(parsing: Array(try Data(contentsOf: URL(fileURLWithPath: file))))
        #expect(document.cuts == 4)
        let lines = try document.lines()
        #expect(lines.contains("Cola 330 ml") && lines.contains("330 ml (1 l = €23.30)"), "\(lines)")  // 7.69 for 0.33 l
        #expect(lines.contains("* Cola: 3 for 20.00 *"))
        #expect(Set(document.barcodes.map(\.data)) == ["4099642477208", "4070700253460"])
        #expect(try queue().isEmpty)
        // Printing again appends, as a spooler would; --sku prints without the queue.
        #expect(try till(["labels", "print", "--printer", file, "--sku", "DRK-003", "--kind", "item", "--raster"]).status == 0)
        let again = try EscPosDocument(parsing: Array(try Data(contentsOf: URL(fileURLWithPath: file))))
        #expect(again.cuts == 5 && again.rasters.count == 1)
        let image = try #require(again.rasters.first)
        #expect(try BarcodeImages.decode(BarcodeImages.pgm(bytesPerRow: image.bytesPerRow, rows: image.rows, data: image.data)) == ["EAN-13:4099642477208"])
    }

    /// An ESC/POS label printer on the network is asked its status as a receipt printer is: out of paper, nothing
    /// is sent and the labels stay queued; loaded, they print (`GS k` with the GTIN) and leave the queue.
    @Test func anEscPosPrinterOutOfPaperKeepsTheLabelsQueued() throws {
        let printer = try FakeReceiptPrinter()
        defer { printer.stop() }
        #expect(try till(["labels", "add", "SNK-001"]).status == 0)
        printer.state = .paperOut
        let refused = try till(["labels", "print", "--format", "escpos", "--printer", printer.address])
        #expect(refused.status == 1)
        #expect(refused.stderr == "till: label printer \(printer.address): paper out; nothing printed, the labels stay queued\n", "\(refused.stderr)")
        #expect(printer.received.isEmpty)
        #expect(try queue().map(\.sku) == ["SNK-001"])
        printer.state = .ready
        let printed = try till(["labels", "print", "--format", "escpos", "--printer", printer.address])
        #expect(printed.status == 0, "\(printed.stderr)")
        let document = try EscPosDocument(parsing: printer.received)
        #expect(document.barcodes.count == 1)
        #expect(try queue().isEmpty)
    }

    @Test func aNetworkPrinterGetsEveryByteAndOneThatIsDownKeepsTheQueue() throws {
        #expect(try till(["labels", "add", "SNK-001"]).status == 0)
        let server = try OneShotServer()
        let printed = try till(["labels", "print", "--format", "zpl", "--printer", "tcp://127.0.0.1:\(server.port)"])
        #expect(printed.status == 0, "\(printed.stderr)")
        let received = String(decoding: server.received(), as: UTF8.self)
        let document = try ZPLDocument(parsing: received)
        #expect(document.labels.count == 1 && document.labels[0].texts.contains("Sea Salt Crisps"))
        #expect(try queue().isEmpty)

        #expect(try till(["labels", "add", "SNK-001"]).status == 0)
        let closed = try OneShotServer.unusedPort()
        let down = try till(["labels", "print", "--format", "zpl", "--printer", "tcp://127.0.0.1:\(closed)", "--timeout", "2"])
        #expect(down.status == 1)
        #expect(down.stderr.hasPrefix("till: the label printer tcp://127.0.0.1:\(closed) cannot be reached"), "\(down.stderr)")
        #expect(try queue().map(\.sku) == ["SNK-001"], "nothing printed, nothing cleared")
    }

    @Test func promotionsQueueLabelsAtTheirStartAndEnd() throws {
        let now = Date()
        func local(_ date: Date) -> String {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = .current
            formatter.dateFormat = "yyyy-MM-dd HH:mm"
            return formatter.string(from: date)
        }
        func clock(_ date: Date) -> [String: String] { ["TILL_CLOCK": ISO8601DateFormatter().string(from: date)] }
        let start = now.addingTimeInterval(86_400), end = now.addingTimeInterval(2 * 86_400)
        let added = try till(["promotion", "add", "Crisps: buy 1 get 1", "--sku", "SNK-001", "--buy", "1", "--free", "1",
                              "--from", local(start), "--until", local(end)])
        #expect(added.status == 0 && added.stdout.contains("(scheduled)"), "\(added.stderr)")
        #expect(try till(["promotion", "list"]).stdout.contains("buy 1 get 1 free"))
        #expect(try queue(environment: clock(now)).isEmpty)
        let during = try queue(environment: clock(start.addingTimeInterval(120)))
        #expect(during.map(\.sku) == ["SNK-001"] && during.first?.reason == "promotion_start")
        #expect(during.first?.promotion == "Crisps: buy 1 get 1")
        #expect(try till(["labels", "print", "--format", "zpl"], environment: clock(start.addingTimeInterval(180))).status == 0)
        let after = try queue(environment: clock(end.addingTimeInterval(60)))
        #expect(after.map(\.sku) == ["SNK-001"] && after.first?.reason == "promotion_end" && after.first?.promotion != "Crisps: buy 1 get 1")
        // The register sells at the promotion only within its window.
        let sale = try till(["sell", "--item", "SNK-001*2", "--pay", "card", "--json"],
                            environment: TillProcess.demoCashier.merging(clock(start.addingTimeInterval(300))) { $1 })
        #expect(sale.status == 0, "\(sale.stderr)")
        #expect(sale.stdout.contains("\"discount_total\" : \"3.29\""), "one of two free: \(sale.stdout)")
        let later = try till(["sell", "--item", "SNK-001*2", "--pay", "card", "--json"],
                             environment: TillProcess.demoCashier.merging(clock(end.addingTimeInterval(300))) { $1 })
        #expect(later.status == 0 && later.stdout.contains("\"discount_total\" : \"0.00\""), "over: \(later.stdout)")
    }

    @Test func aNewItemsFirstDeliveryQueuesItsLabelAndOnlyTheCatalogRightPrints() throws {
        let added = try till(["product", "add", "NEW-1", "--name", "Oat Drink", "--price", "2.19", "--barcode", "4006381333931",
                              "--category", "Drinks", "--content", "1l"])
        #expect(added.status == 0, "\(added.stderr)")
        #expect(try queue().isEmpty)
        #expect(try till(["stock", "receive", "--ref", "DN-77", "NEW-1=12@0.90"]).status == 0)
        let waiting = try queue()
        #expect(waiting.map(\.sku) == ["NEW-1"] && waiting.first?.reason == "new_item")
        #expect(waiting.first?.unitPrice == "1 l (1 l = €2.19)")
        let refused = try till(["labels", "print"], environment: TillProcess.demoCashier)
        #expect(refused.status == 1 && refused.stderr.contains("not allowed"))
        let listed = try till(["labels", "queue"], environment: TillProcess.demoCashier)
        #expect(listed.status == 0 && listed.stdout.contains("NEW-1"))
        let cleared = try till(["labels", "clear"], environment: ["TILL_USER": "max", "TILL_PIN": "2222"])
        #expect(cleared.stdout == "cleared 1 label\n")
        let doctor = try till(["doctor"])
        #expect(doctor.status == 0, "\(doctor.stdout)")
    }
}

/// A printer's raw port for one job: accepts one connection on 127.0.0.1 and keeps what arrives until it closes.
final class OneShotServer: @unchecked Sendable {
    let port: UInt16
    private let listener: Int32
    private var data: [UInt8] = []
    private let done = DispatchSemaphore(value: 0)

    init() throws {
        (listener, port) = try OneShotServer.listen()
        let fd = listener
        DispatchQueue.global().async { [self] in
            let client = accept(fd, nil, nil)
            if client >= 0 {
                var buffer = [UInt8](repeating: 0, count: 65_536)
                while true {
                    let count = read(client, &buffer, buffer.count)
                    if count <= 0 { break }
                    data += buffer[0..<count]
                }
                close(client)
            }
            done.signal()
        }
    }

    deinit { close(listener) }

    func received() -> [UInt8] {
        _ = done.wait(timeout: .now() + 10)
        return data
    }

    static func listen() throws -> (Int32, UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard fd >= 0, bound == 0, Glibc.listen(fd, 1) == 0 else { throw TillTestError("cannot listen on 127.0.0.1") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, UInt16(bigEndian: address.sin_port))
    }

    /// A port nothing listens on: bound and closed again.
    static func unusedPort() throws -> UInt16 {
        let (fd, port) = try listen()
        close(fd)
        return port
    }
}
