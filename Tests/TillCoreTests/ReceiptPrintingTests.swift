import Foundation
import GRDB
import Testing
import TillSampleData
import TillTestSupport
@testable import TillCore

@Suite struct CodePage858Tests {
    func bytes(_ text: String) -> [UInt8] { CodePage858.encode(text) }

    /// Python's own cp858 codec decodes bytes 0x80–0xFF; each character must encode back to its byte. Fails (does
    /// not skip) when python3 is missing.
    @Test func everyUpperHalfCharacterRoundTripsAgainstPythonsCodec() throws {
        let result = try TillProcess.runTool("/usr/bin/env", [
            "python3", "-c", "import sys; sys.stdout.buffer.write(bytes(range(0x80, 0x100)).decode('cp858').encode('utf-8'))",
        ])
        #expect(result.status == 0, "python3 is needed for this test: \(result.stderr)")
        let scalars = Array(result.stdout.unicodeScalars)
        #expect(scalars.count == 128)
        for (index, scalar) in scalars.enumerated() {
            let byte = UInt8(0x80 + index)
            #expect(CodePage858.byte(for: scalar) == byte, "U+\(String(scalar.value, radix: 16)) should be 0x\(String(byte, radix: 16))")
            #expect(bytes(String(scalar)) == [byte], "U+\(String(scalar.value, radix: 16))")
        }
    }

    @Test func charactersThatUsedToBeQuestionMarksPrintAsThemselves() {
        let expected: [(String, UInt8)] = [
            ("ã", 0xC6), ("õ", 0xE4), ("ð", 0xD0), ("þ", 0xE7), ("ý", 0xEC), ("Ê", 0xD2), ("Í", 0xD6), ("Î", 0xD7),
            ("µ", 0xE6), ("½", 0xAB), ("«", 0xAE), ("»", 0xAF), ("©", 0xB8), ("®", 0xA9), ("°", 0xF8), ("±", 0xF1),
            ("§", 0xF5), ("€", 0xD5), ("ß", 0xE1), ("─", 0xC4), ("│", 0xB3), ("┼", 0xC5), ("═", 0xCD), ("╬", 0xCE),
            ("█", 0xDB), ("░", 0xB0), ("\u{00A0}", 0xFF),
        ]
        for (text, byte) in expected { #expect(bytes(text) == [byte], "\(text)") }
        // A decomposed é (e + combining acute) is the same letter.
        #expect(bytes("e\u{301}") == [0x82])
    }

    @Test func missingCharactersAreTransliteratedThenQuestionMarks() {
        #expect(bytes("Łódź") == [0x4C, 0xA2, 0x64, 0x7A])
        #expect(bytes("Győr") == Array("Gyor".utf8))
        #expect(bytes("“quoted” ‘single’") == Array("\"quoted\" 'single'".utf8))
        #expect(bytes("a–b—c") == Array("a-b-c".utf8))
        #expect(bytes("Wait…") == Array("Wait...".utf8))
        #expect(bytes("Ș") == Array("S".utf8))
        #expect(bytes("ﬁne") == Array("fine".utf8))
        // Wide characters keep their two columns on paper; control characters never reach the printer.
        #expect(bytes("日本") == Array("????".utf8))
        #expect(bytes("☕️") == Array("??".utf8))
        #expect(bytes("x\u{1B}@y") == Array("x@y".utf8))
    }

    @Test func aLongerTransliterationTakesItsRoomFromThePadding() {
        let line = "Caffè lungo…" + String(repeating: " ", count: 10) + "€3.00"
        let encoded = CodePage858.encode(line, width: DisplayWidth.of(line))
        #expect(encoded.count == DisplayWidth.of(line))
        #expect(bytes(line).count == DisplayWidth.of(line) + 2)  // without a paper width nothing is squeezed
        #expect(encoded == Array("Caff".utf8) + [0x8A] + Array(" lungo...".utf8) + Array(repeating: 0x20, count: 8) + [0xD5] + Array("3.00".utf8))
    }
}

@Suite struct ReceiptWidthAndFolderTests {
    @Test func wideCharactersAreCountedAsTheScreenCountsThem() throws {
        let store = try TestStores.demoStore()
        let name = "抹茶ラテ 🍵 特大サイズ お持ち帰り用 季節限定 スペシャル"
        var detail = try Orders(store: store).detail(number: 1001)
        try #require(!detail.lines.isEmpty)
        detail.lines[0].name = name
        for width in Receipt.widths {
            let text = Receipt(width: width).text(for: detail, storeName: "東京の店")
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            for line in lines { #expect(DisplayWidth.of(String(line)) <= width, "\(line)") }
            let clipped = try #require(lines.first { $0.hasPrefix("抹茶") })
            #expect(clipped.hasSuffix("…") && DisplayWidth.of(String(clipped)) >= width - 1)
            // The store name is centred by its columns: 8 columns wide.
            #expect(lines.first == Substring(String(repeating: " ", count: (width - 8) / 2) + "東京の店"))
            // Amount lines end exactly at the paper's edge.
            let total = try #require(lines.first { $0.hasPrefix("TOTAL") })
            #expect(DisplayWidth.of(String(total)) == width)
            // On paper too: the wide characters print as ?? and the ellipsis as ... without widening the line.
            let printed = CodePage858.encode(String(clipped), width: width)
            #expect(printed.count <= width)
            #expect(printed.suffix(3) == Array("...".utf8)[...])
            // A priced line whose label was clipped: the amount still ends at the paper's edge.
            let pairLine = "Order discount share on 日本…" + " " + "-€1.00"
            let paid = CodePage858.encode(pairLine, width: DisplayWidth.of(pairLine))
            #expect(paid.count == DisplayWidth.of(pairLine) && paid.suffix(6) == [0x2D, 0xD5] + Array("1.00".utf8))
        }
    }

    @Test func twoStoresInOneFolderKeepTheirOwnReceipts() throws {
        let folder = TestStores.temporaryDirectory()
        var stores: [StoreDatabase] = []
        for name in ["a", "b"] {
            stores.append(try StoreSetup.create(at: folder.appendingPathComponent("\(name).sqlite").path, options: StoreSetupOptions(
                demoData: SampleDataFiles.directory, name: "Shop \(name.uppercased())", pinHasher: TestStores.testHasher,
                now: TestStores.demoCreatedAt)))
        }
        let a = try ReceiptOutput(store: stores[0]).issue(orderNumber: 1001)
        let b = try ReceiptOutput(store: stores[1]).issue(orderNumber: 1001)
        #expect(a.contains("Shop A") && b.contains("Shop B"))
        #expect(ReceiptOutput(store: stores[0]).folder.lastPathComponent == "a.sqlite-receipts")
        for (name, text) in [("a", a), ("b", b)] {
            let receiptFolder = folder.appendingPathComponent("\(name).sqlite-receipts")
            let file = receiptFolder.appendingPathComponent("1001.txt")
            // The saved copy is the screen receipt: the text, then the sale's signed code.
            let saved = try String(contentsOf: file, encoding: .utf8)
            #expect(saved.hasPrefix(text))
            #expect(saved.contains("Journal entry "))
            let folderMode = try FileManager.default.attributesOfItem(atPath: receiptFolder.path)[.posixPermissions] as? Int
            #expect(folderMode == 0o700)
            let fileMode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
            #expect(fileMode == 0o600)
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("receipts").path))
    }

    @Test func anExistingReceiptsFolderIsMadeOwnerOnly() throws {
        let store = try TestStores.demoStore()
        let output = ReceiptOutput(store: store)
        try FileManager.default.createDirectory(at: output.folder, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o755])
        _ = try output.issue(orderNumber: 1001)
        #expect(try FileManager.default.attributesOfItem(atPath: output.folder.path)[.posixPermissions] as? Int == 0o700)
    }
}
