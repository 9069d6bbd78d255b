import Foundation
import Testing
import TillCore
import TillTestSupport

/// A receipt's signed code read as an outsider would: the printed ESC/POS bytes and the screen form turned into
/// images and decoded by zbarimg, the signature checked by openssl and Python's cryptography with the key
/// `till journal key` exports; and an auditor's export checked by its own verify.py and by openssl.
@Suite(.serialized) struct JournalReceiptCodeTests {
    let db = TestStores.temporaryPath()
    let folder = TestStores.temporaryDirectory()

    func till(_ arguments: [String], _ environment: [String: String] = [:]) throws -> TillProcess.Output {
        let result = try TillProcess.run(arguments + ["--db", db], environment: TillProcess.demoCashier.merging(environment) { $1 })
        try #require(result.status == 0, "till \(arguments.joined(separator: " ")): \(result.stderr)")
        return result
    }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    func write(_ data: Data, _ name: String) throws -> String {
        try data.write(to: URL(fileURLWithPath: path(name)))
        return path(name)
    }

    /// Sells one item to a printer file and returns the sale's number and the printer's bytes.
    func sale(_ item: String, printer: String, _ environment: [String: String] = [:]) throws -> (Int64, [UInt8]) {
        let sold = try till(["sell", "--item", item, "--pay", "cash", "--printer", path(printer)], environment)
        let number = try #require(sold.stdout.firstMatch(of: /#(\d+)/).flatMap { Int64($0.1) }, "no order number in: \(sold.stdout)")
        return (number, Array(try Data(contentsOf: URL(fileURLWithPath: path(printer)))))
    }

    func openssl(_ arguments: [String]) throws -> TillProcess.Output {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl") else {
            throw TillTestError("openssl is missing: apt-get install openssl")
        }
        return try TillProcess.runTool("/usr/bin/openssl", arguments)
    }

    @Test func theReceiptCodeDecodesFromPaperAndScreenAndItsSignatureVerifiesWithOpenSSLAndPython() throws {
        try #require(try TillProcess.run(["init", "--db", db]).status == 0)
        try TillProcess.openShift(db: db)
        let (native, nativeBytes) = try sale("COF-002", printer: "native.bin")
        let (raster, rasterBytes) = try sale("PRO-001*0.450", printer: "raster.bin", ["TILL_PRINTER_QR": "raster"])
        let keyFile = try write(Data(try till(["journal", "key"]).stdout.utf8), "key.pem")

        for (number, bytes) in [(native, nativeBytes), (raster, rasterBytes)] {
            let payload = try till(["journal", "code", String(number), "--payload"]).stdout.trimmingCharacters(in: .newlines)
            #expect(payload.hasPrefix("TILLJ1|"))
            let code = try ReceiptCode(payload: payload)
            #expect(code.receipt == String(number))

            // Paper: the printer's own QR command holds the payload; the raster form is decoded as printed.
            if number == native {
                #expect(QRImages.storedQRData(in: bytes) == Array(payload.utf8))
            } else {
                #expect(QRImages.storedQRData(in: bytes) == nil)
                let image = try #require(QRImages.pgm(fromRasterIn: bytes), "no GS v 0 raster in the printer's bytes")
                #expect(try QRImages.decode(image).trimmingCharacters(in: .newlines) == payload)
            }
            // Screen: the half blocks `till journal code` draws, as a phone would see them.
            let screen = try till(["journal", "code", String(number)]).stdout.split(separator: "\n").map(String.init)
            let blocks = screen.filter { line in !line.isEmpty && line.allSatisfy { "█▀▄ ".contains($0) } }
            #expect(try QRImages.decode(QRImages.pgm(halfBlocks: blocks)).trimmingCharacters(in: .newlines) == payload)
            // The saved receipt (the screen receipt) carries the same code.
            let saved = try String(contentsOfFile: db + "-receipts/\(number).txt", encoding: .utf8)
            let savedBlocks = saved.split(separator: "\n").map(String.init).filter { !$0.isEmpty && $0.allSatisfy { "█▀▄ ".contains($0) } }
            #expect(try QRImages.decode(QRImages.pgm(halfBlocks: savedBlocks)).trimmingCharacters(in: .newlines) == payload)

            // openssl: the signature is over the entry's hash.
            let digest = try #require(Data(hexString: code.hash))
            let hashFile = try write(digest, "hash-\(number).bin")
            let signatureFile = try write(try #require(Data(base64Encoded: code.signature)), "sig-\(number).der")
            let checked = try openssl(["pkeyutl", "-verify", "-pubin", "-inkey", keyFile, "-in", hashFile, "-sigfile", signatureFile])
            #expect(checked.stdout.contains("Signature Verified Successfully"), "\(checked.stdout)\(checked.stderr)")
            // A different hash (another receipt's figures) does not verify.
            var forged = digest
            forged[0] ^= 1
            let forgedFile = try write(forged, "forged-\(number).bin")
            #expect(try openssl(["pkeyutl", "-verify", "-pubin", "-inkey", keyFile, "-in", forgedFile, "-sigfile", signatureFile]).status != 0)

            // Python's cryptography, the other independent tool.
            let python = try TillProcess.runTool("/usr/bin/env", ["python3", "-c", """
                import sys
                from cryptography.hazmat.primitives import hashes, serialization
                from cryptography.hazmat.primitives.asymmetric import ec, utils
                key = serialization.load_pem_public_key(open(sys.argv[1], 'rb').read())
                fields = sys.argv[2].split('|')
                key.verify(__import__('base64').b64decode(fields[10]), bytes.fromhex(fields[9]), ec.ECDSA(utils.Prehashed(hashes.SHA256())))
                print('verified', fields[3])
                """, keyFile, payload])
            #expect(python.stdout == "verified \(number)\n", "\(python.stderr)")
        }
    }

    @Test func anAuditorsExportVerifiesWithItsOwnScriptAndWithOpenSSL() throws {
        try #require(try TillProcess.run(["init", "--db", db]).status == 0)
        try TillProcess.openShift(db: db)
        _ = try sale("COF-002*3", printer: "one.bin")
        _ = try sale("COF-002", printer: "two.bin")
        let today = try till(["journal", "show", "--limit", "1000"]).stdout
        #expect(today.contains("journal_start"))
        let day = ISO8601DateFormatter.string(from: Date(), timeZone: TimeZone.current, formatOptions: [.withFullDate])
        let out = path("export")
        // A cashier may not; a manager may.
        let cashier = try TillProcess.run(["journal", "export", "--from", day, "--to", day, "--out", out, "--db", db], environment: TillProcess.demoCashier)
        #expect(cashier.stderr.contains("may not view reports"))
        let manager = ["TILL_USER": "max", "TILL_PIN": "2222"]
        let exported = try till(["journal", "export", "--from", "2020-01-01", "--to", day, "--out", out], manager)
        #expect(exported.stdout.hasPrefix("exported "))
        for file in ["entries.jsonl", "public-key.pem", "README.md", "verify.py"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + file), "\(file) missing")
        }
        let script = try TillProcess.runTool("/usr/bin/env", ["python3", out + "/verify.py", out])
        #expect(script.status == 0, "\(script.stdout)\(script.stderr)")
        #expect(script.stdout.hasPrefix("ok: "))

        // One entry with openssl, as the export's README shows.
        let lines = try String(contentsOfFile: out + "/entries.jsonl", encoding: .utf8).split(separator: "\n")
        let lastLine = try #require(lines.last)
        let last = try #require(try JSONSerialization.jsonObject(with: Data(lastLine.utf8)) as? [String: Any])
        let entryText = try #require(last["bytes"] as? String)
        let signatureText = try #require(last["signature"] as? String)
        let bytesFile = try write(Data(entryText.utf8), "entry.txt")
        let signatureFile = try write(try #require(Data(base64Encoded: signatureText)), "entry.sig")
        let checked = try openssl(["dgst", "-sha256", "-verify", out + "/public-key.pem", "-signature", signatureFile, bytesFile])
        #expect(checked.stdout.contains("Verified OK"), "\(checked.stdout)\(checked.stderr)")

        // The export's README, run as written: its two shell snippets, copied out of the file.
        let readme = try String(contentsOfFile: out + "/README.md", encoding: .utf8)
        let blocks = readme.components(separatedBy: "```\n").enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
        try #require(blocks.count == 2, "the export README should hold two shell snippets")
        let lastSeq = try #require((last["seq"] as? NSNumber)?.stringValue)
        let entrySnippet = blocks[0].replacingOccurrences(of: "' 42\n", with: "' \(lastSeq)\n")
        let entryRun = try TillProcess.runTool("/bin/bash", ["-c", "cd '\(out)' && " + entrySnippet])
        #expect(entryRun.stdout.contains("Verified OK"), "\(entryRun.stdout)\(entryRun.stderr)")
        let number = try #require(exported.stdout.isEmpty ? nil : try query(db: db, "SELECT MAX(number) FROM orders"))
        let code = try till(["journal", "code", number, "--payload"]).stdout.trimmingCharacters(in: .newlines)
        let receiptRun = try TillProcess.runTool("/bin/bash", ["-c", "cd '\(out)' && CODE='\(code)' && " + blocks[1]])
        #expect(receiptRun.stdout.contains("Signature Verified Successfully"), "\(receiptRun.stdout)\(receiptRun.stderr)")

        // An earlier export kept away from the store finds a journal rewritten since: here, entry 2's record.
        let against = try TillProcess.run(["journal", "verify", "--against", out, "--db", db])
        #expect(against.status == 0, "\(against.stdout)\(against.stderr)")
        #expect(against.stdout.contains("are all still in the journal, unchanged"))

        // The script notices an entry changed in the export.
        let tampered = try String(contentsOfFile: out + "/entries.jsonl", encoding: .utf8).replacingOccurrences(of: "gt_net=", with: "gt_net=1")
        try Data(tampered.utf8).write(to: URL(fileURLWithPath: out + "/entries.jsonl"))
        let again = try TillProcess.runTool("/usr/bin/env", ["python3", out + "/verify.py", out])
        #expect(again.status != 0)
        #expect(again.stdout.contains("signature invalid"))

        // A second export into the same folder is refused rather than mixed in.
        let refused = try TillProcess.run(["journal", "export", "--from", day, "--to", day, "--out", out, "--db", db], environment: manager)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("is not empty"))
    }
}

func query(db: String, _ sql: String) throws -> String {
    let result = try TillProcess.runTool("/usr/bin/sqlite3", [db, sql])
    guard result.status == 0 else { throw TillTestError("sqlite3 (apt-get install sqlite3): \(result.stderr)") }
    return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
}

extension Data {
    init?(hexString: String) {
        guard hexString.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        var index = hexString.startIndex
        while index < hexString.endIndex {
            let next = hexString.index(index, offsetBy: 2)
            guard let byte = UInt8(hexString[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        self.init(bytes)
    }
}
