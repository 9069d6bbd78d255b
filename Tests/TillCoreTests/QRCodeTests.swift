import Foundation
import Testing
@testable import TillCore

/// The encoder is checked against an independent reader, zbarimg (Debian's zbar-tools), rather than against
/// itself: a symbol passes only if zbar decodes it back to exactly the bytes that went in. Without zbarimg these
/// tests fail, telling you to install zbar-tools; they never skip.
@Suite struct QRCodeTests {
    static let levels: [QRCode.Correction] = [.low, .medium, .quartile, .high]

    /// Byte-mode capacities from the standard's table 7, for versions 1–5, 7, 10, 14, 20, 25, 27, 32 and 40.
    static let standardCapacities: [Int: [Int]] = [
        1: [17, 14, 11, 7], 2: [32, 26, 20, 14], 3: [53, 42, 32, 24], 4: [78, 62, 46, 34], 5: [106, 84, 60, 44],
        7: [154, 122, 86, 64], 10: [271, 213, 151, 119], 14: [458, 362, 258, 194], 20: [858, 666, 482, 382],
        25: [1273, 997, 715, 535], 27: [1465, 1125, 805, 625], 32: [1952, 1538, 1112, 842],
        40: [2953, 2331, 1663, 1273],
    ]

    @Test func theSmallestVersionThatHoldsThePayloadIsChosen() throws {
        for (version, capacities) in Self.standardCapacities {
            for (level, capacity) in zip(Self.levels, capacities) {
                #expect(QRCode.capacity(version: version, correction: level) == capacity, "version \(version) \(level)")
                // Encoding the large ones too would only repeat `capacity` at a cost.
                guard version <= 14 else { continue }
                let full = try QRCode.encode([UInt8](repeating: 0x41, count: capacity), correction: level)
                #expect(full.version == version && full.size == 17 + 4 * version, "\(capacity) bytes at \(level)")
                let oneMore = try QRCode.encode([UInt8](repeating: 0x41, count: capacity + 1), correction: level)
                #expect(oneMore.version == version + 1, "\(capacity + 1) bytes at \(level)")
            }
        }
        #expect(try QRCode.encode("").version == 1)
    }

    /// Every level at the full capacity of versions 1–10, every third version to 25, and 40, in three kinds of
    /// payload: ASCII text, UTF-8 text with € and other non-ASCII letters, and printable bytes in a scrambled order.
    @Test func payloadsOfEveryLevelFromVersionOneToFortyDecode() throws {
        var cases: [Sample] = []
        for (levelIndex, level) in Self.levels.enumerated() {
            for version in Array(1...10) + [13, 16, 19, 22, 25, 40] {
                let length = QRCode.capacity(version: version, correction: level)
                let label = "version \(version) \(level), \(length) bytes"
                let sample: Sample
                switch (version + levelIndex) % 3 {
                case 0:
                    let text = Self.asciiText(byteCount: length)
                    sample = Sample(label: "ASCII " + label, code: try QRCode.encode(text, correction: level), payload: Array(text.utf8))
                case 1:
                    let text = Self.europeanText(byteCount: length)
                    sample = Sample(label: "UTF-8 " + label, code: try QRCode.encode(text, correction: level), payload: Array(text.utf8))
                default:
                    let bytes = (0..<length).map { UInt8(0x21 + ($0 * 37 + version) % 94) }
                    sample = Sample(label: "bytes " + label, code: try QRCode.encode(bytes, correction: level), payload: bytes)
                }
                #expect(sample.version == version, "\(label)")
                cases.append(sample)
            }
        }
        try expectZbarDecodes(cases)
    }

    /// A forced mask exercises each mask pattern and its format information at every level, in a symbol with
    /// version information (7) and one without (2), which the penalty rules alone might never choose.
    @Test func everyMaskAndItsFormatInformationDecode() throws {
        var cases: [Sample] = []
        for version in [2, 7] {
            for mask in 0..<8 {
                let level = Self.levels[mask % 4]
                let text = version == 2 ? "m\(mask) 12,50 €" : "mask \(mask), version \(version), \(level): Grüße, 12,50 €"
                let payload = Array(text.utf8)
                let code = QRCode(bytes: payload, version: version, correction: level, mask: mask)
                #expect(code.mask == mask)
                cases.append(Sample(label: "mask \(mask) version \(version) \(level)", code: code, payload: payload))
            }
        }
        try expectZbarDecodes(cases)
        // Pinned: the lowest of the eight penalties; re-implementing the rules over python-qrcode's eight symbols
        // for these bytes chose the same mask.
        #expect(try QRCode.encode("https://till.example/r/2024-0001").mask == 3)
    }

    /// A decoder never looks at the pad bytes after the data, nor at which mask was chosen, so those are pinned by
    /// a reference: python-qrcode 8.2's symbol for the same bytes with mask 7 forced. (Left to itself it picks
    /// mask 2, because its rule 3 ignores finder-like patterns that run into the quiet zone, which counts as light.)
    @Test func aSmallSymbolMatchesAReferenceEncoderModuleForModule() throws {
        let reference = [
            "#######..#.##.#######",
            "#.....#.##.#..#.....#",
            "#.###.#.##..#.#.###.#",
            "#.###.#..#.#..#.###.#",
            "#.###.#.#...#.#.###.#",
            "#.....#.#..##.#.....#",
            "#######.#.#.#.#######",
            "........#####........",
            "##.#..##.##...###.##.",
            "...###..##...#.#.#..#",
            "...######.#.##..#..##",
            "###.#..###.#.#.##...#",
            "..#.######..#...#...#",
            "........####.###..###",
            "#######.#......#.##..",
            "#.....#..#####.#.#...",
            "#.###.#...##.##..#.#.",
            "#.###.#.##.#...###.##",
            "#.###.#..##.#...###.#",
            "#.....#.##...#####...",
            "#######.#####...#..#.",
        ]
        let code = try QRCode.encode("12,50 €", correction: .low)
        #expect(code.version == 1 && code.mask == 7)
        let drawn = (0..<code.size).map { y in String((0..<code.size).map { code.isDark(x: $0, y: y) ? "#" : "." }) }
        #expect(drawn == reference)
    }

    /// A reader needs only one good copy of the format and version information, so zbar would not notice a
    /// broken second copy: both are read here and compared with the standard's tables (annexes C and D).
    @Test func bothCopiesOfFormatAndVersionInformationMatchTheStandardsTables() {
        let formatTable: [QRCode.Correction: [String]] = [
            .low: ["111011111000100", "111001011110011", "111110110101010", "111100010011101",
                   "110011000101111", "110001100011000", "110110001000001", "110100101110110"],
            .medium: ["101010000010010", "101000100100101", "101111001111100", "101101101001011",
                      "100010111111001", "100000011001110", "100111110010111", "100101010100000"],
            .quartile: ["011010101011111", "011000001101000", "011111100110001", "011101000000110",
                        "010010010110100", "010000110000011", "010111011011010", "010101111101101"],
            .high: ["001011010001001", "001001110111110", "001110011100111", "001100111010000",
                    "000011101100010", "000001001010101", "000110100001100", "000100000111011"],
        ]
        func bits(_ modules: [(Int, Int)], in code: QRCode) -> String {
            String(modules.map { code.isDark(x: $0.0, y: $0.1) ? "1" : "0" })
        }
        for (level, table) in formatTable {
            for mask in 0..<8 {
                let code = QRCode(bytes: Array("F".utf8), version: 1, correction: level, mask: mask)
                let last = code.size - 1
                // Most significant bit first: along row 8 then up column 8 by the top-left finder; up column 8
                // from the bottom, then along row 8 to the right edge, for the other copy.
                let first = [(0, 8), (1, 8), (2, 8), (3, 8), (4, 8), (5, 8), (7, 8), (8, 8), (8, 7), (8, 5), (8, 4), (8, 3), (8, 2), (8, 1), (8, 0)]
                let second = (0..<7).map { (8, last - $0) } + (0..<8).map { (last - 7 + $0, 8) }
                #expect(bits(first, in: code) == table[mask], "\(level) mask \(mask), first copy")
                #expect(bits(second, in: code) == table[mask], "\(level) mask \(mask), second copy")
                #expect(code.isDark(x: 8, y: code.size - 8), "the dark module")
            }
        }
        for (version, information) in [(7, 0x07C94), (8, 0x085BC), (10, 0x0A4D3), (21, 0x15683), (40, 0x28C69)] {
            let code = QRCode(bytes: Array("V".utf8), version: version, correction: .medium, mask: 0)
            let expected = String((0..<18).reversed().map { (information >> $0) & 1 == 1 ? "1" : "0" })
            // Bit 0 is at the block's corner nearest the symbol's origin; the two blocks are transposes.
            let topRight = (0..<18).reversed().map { (code.size - 11 + $0 % 3, $0 / 3) }
            #expect(bits(topRight, in: code) == expected, "version \(version), top right")
            #expect(bits(topRight.map { ($0.1, $0.0) }, in: code) == expected, "version \(version), bottom left")
        }
    }

    /// The GS v 0 raster is parsed back into an image, as a printer would print it, and that must decode.
    @Test func printedRasterDecodes() throws {
        var cases: [Sample] = []
        for (text, level, dots) in [("Receipt 0042 · total 12,50 €", QRCode.Correction.medium, 6),
                                    (Self.asciiText(byteCount: 200), .high, 3), (Self.europeanText(byteCount: 900), .low, 2)] {
            let code = try QRCode.encode(text, correction: level)
            let raster = EscPos.qrRaster(code, dotsPerModule: dots)
            let width = (code.size + 8) * dots
            let bytesPerRow = (width + 7) / 8
            #expect(Array(raster.prefix(4)) == [0x1D, 0x76, 0x30, 0x00])
            #expect(Int(raster[4]) + Int(raster[5]) * 256 == bytesPerRow)
            #expect(Int(raster[6]) + Int(raster[7]) * 256 == width)
            #expect(raster.count == 8 + bytesPerRow * width)
            let image = try #require(Self.pgm(fromRaster: raster))
            cases.append(Sample(label: "raster version \(code.version), \(dots) dots", image: image, payload: Array(text.utf8)))
        }
        try expectZbarDecodes(cases)
    }

    @Test func printerQRCodeIsTheDocumentedGSParenKSequence() {
        let payload = Array("https://till.example/r/1".utf8)
        let expected: [UInt8] = [0x1D, 0x28, 0x6B, 4, 0, 49, 65, 50, 0]   // fn 165: model 2
            + [0x1D, 0x28, 0x6B, 3, 0, 49, 67, 5]                           // fn 167: 5-dot modules
            + [0x1D, 0x28, 0x6B, 3, 0, 49, 69, 50]                          // fn 169: level Q
            + [0x1D, 0x28, 0x6B, UInt8(payload.count + 3), 0, 49, 80, 48] + payload   // fn 180: store
            + [0x1D, 0x28, 0x6B, 3, 0, 49, 81, 48]                          // fn 181: print
        #expect(EscPos.qrCode(payload, moduleSize: 5, correction: .quartile) == expected)

        // A store longer than 252 bytes needs pH: 300 + 3 = 0x012F.
        let long = [UInt8](repeating: 0x41, count: 300)
        let store = EscPos.qrCode(long)[25...]
        #expect(Array(store.prefix(8)) == [0x1D, 0x28, 0x6B, 0x2F, 0x01, 49, 80, 48])
        #expect(Array(store.dropFirst(8).prefix(300)) == long)

        let levels = Self.levels.map { EscPos.qrCode([], correction: $0)[24] }
        #expect(levels == [48, 49, 50, 51])
        #expect(EscPos.qrCode([], moduleSize: 0)[16] == 1)     // out-of-range sizes are clamped to 1–16
        #expect(EscPos.qrCode([], moduleSize: 40)[16] == 16)
    }

    /// Parses the glyphs back into modules: ink is light, a space is dark.
    @Test func halfBlockLinesMapBackToTheModules() throws {
        for text in ["1", "https://till.example/r/2024-0001", Self.europeanText(byteCount: 300)] {
            let code = try QRCode.encode(text)
            for margin in [0, 1, 2, 4] {
                let lines = code.halfBlockLines(quietZone: margin)
                let span = code.size + 2 * margin
                #expect(lines.count == (span + 1) / 2)
                for (row, line) in lines.enumerated() {
                    let glyphs = Array(line)
                    #expect(glyphs.count == span, "line \(row) of a version \(code.version) symbol, margin \(margin)")
                    for (x, glyph) in glyphs.prefix(span).enumerated() {
                        let ink: (top: Bool, bottom: Bool)
                        switch glyph {
                        case "\u{2588}": ink = (true, true)
                        case "\u{2580}": ink = (true, false)
                        case "\u{2584}": ink = (false, true)
                        case " ": ink = (false, false)
                        default: Issue.record("unexpected glyph \(glyph)"); continue
                        }
                        for (y, isInk) in [(2 * row, ink.top), (2 * row + 1, ink.bottom)] {
                            // The row below the last is background (no ink), not quiet zone.
                            let expected = y < span && !code.isDark(x: x - margin, y: y - margin)
                            #expect(isInk == expected, "module (\(x - margin), \(y - margin)), margin \(margin)")
                        }
                    }
                }
            }
        }
    }

    @Test func theImageIsABinaryPGMWithItsQuietZone() throws {
        let code = try QRCode.encode("PGM")
        let image = code.pgm(scale: 3, quietZone: 2)
        let width = (code.size + 4) * 3
        let header = Array("P5\n\(width) \(width)\n255\n".utf8)
        #expect(Array(image.prefix(header.count)) == header)
        #expect(image.count == header.count + width * width)
        #expect(image[header.count] == 255)                                   // quiet zone is light
        #expect(image[header.count + 6 * width + 6] == 0)                     // finder's corner is dark
        #expect(!code.isDark(x: -1, y: 0) && !code.isDark(x: 0, y: code.size))
    }

    @Test func payloadsBeyondVersionFortyThrow() {
        for (level, limit) in zip(Self.levels, Self.standardCapacities[40]!) {
            #expect(throws: QRCode.TooLong(byteCount: limit + 1, limit: limit, correction: level)) {
                try QRCode.encode([UInt8](repeating: 0x41, count: limit + 1), correction: level)
            }
        }
        // Text is measured in UTF-8 bytes: 985 euro signs are 2955 bytes.
        do {
            _ = try QRCode.encode(String(repeating: "€", count: 985), correction: .low)
            Issue.record("2955 bytes should not fit")
        } catch let error as QRCode.TooLong {
            #expect(error.description.contains("2955") && error.description.contains("2953"), "\(error)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}

// MARK: - Payloads and images

extension QRCodeTests {
    struct Sample {
        var label: String
        var image: [UInt8]
        var payload: [UInt8]
        var version: Int?

        init(label: String, image: [UInt8], payload: [UInt8]) {
            self.label = label
            self.image = image
            self.payload = payload
        }

        /// Two pixels a module keeps the images, and zbar's work, small; zbar reads them reliably.
        init(label: String, code: QRCode, payload: [UInt8]) {
            self.init(label: label, image: code.pgm(scale: 2), payload: payload)
            version = code.version
        }
    }

    static func asciiText(byteCount: Int) -> String {
        let words = "https://till.example/receipt/2024-06-01/0042?total=12.50&items=3&shop=Main+Street "
        return String(String(repeating: words, count: byteCount / words.count + 1).prefix(byteCount))
    }

    /// Text of exactly `byteCount` UTF-8 bytes, the multi-byte letters ending where they fit.
    static func europeanText(byteCount: Int) -> String {
        var text = ""
        var bytes = 0
        for character in String(repeating: "Café Grüße: 12,50 € — Smørrebrød, Łódź · ", count: byteCount / 20 + 1) {
            let length = character.utf8.count
            if bytes + length > byteCount { break }
            text.append(character)
            bytes += length
        }
        return text + String(repeating: "x", count: byteCount - bytes)
    }

    /// The GS v 0 bitmap (a row of xL + 256·xH bytes per dot row, MSB leftmost, 1 printing black) as a PGM.
    static func pgm(fromRaster raster: [UInt8]) -> [UInt8]? {
        guard raster.count >= 8 else { return nil }
        let bytesPerRow = Int(raster[4]) + Int(raster[5]) * 256
        let rows = Int(raster[6]) + Int(raster[7]) * 256
        guard raster.count == 8 + bytesPerRow * rows else { return nil }
        var image = Array("P5\n\(bytesPerRow * 8) \(rows)\n255\n".utf8)
        for row in 0..<rows {
            for column in 0..<bytesPerRow * 8 {
                let byte = raster[8 + row * bytesPerRow + column / 8]
                image.append((byte >> UInt8(7 - column % 8)) & 1 == 1 ? 0 : 255)
            }
        }
        return image
    }
}

// MARK: - zbarimg

/// zbarimg from zbar-tools, the independent decoder these tests trust.
///
/// `-Sbinary` makes it print the symbol's bytes as they are: otherwise it guesses a character set, Shift JIS first,
/// and short UTF-8 text such as "12,50 €" comes back as kanji. Many images go to one run, since starting zbarimg
/// costs more than decoding a symbol; it reads them in order and prints each payload with no separator, so the
/// output must be the payloads laid end to end. When it is not, each image is decoded alone to name the culprit.
private func expectZbarDecodes(_ samples: [QRCodeTests.Sample], sourceLocation: SourceLocation = #_sourceLocation) throws {
    let batch = try Zbar.decode(samples.map(\.image))
    if batch.output == samples.flatMap(\.payload) { return }
    var named = false
    for sample in samples {
        let single = try Zbar.decode([sample.image])
        if single.output != sample.payload {
            named = true
            let message = "\(sample.label): zbarimg read \(single.output.count) bytes \(Zbar.show(single.output)) "
                + "instead of \(Zbar.show(sample.payload)) (status \(single.status)) \(single.errors)"
            Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
        }
    }
    if !named {
        let message = "zbarimg's output for \(samples.count) images differs from their payloads laid end to end: "
            + "\(Zbar.show(batch.output)) \(batch.errors)"
        Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
    }
}

private enum Zbar {
    struct Missing: Error, CustomStringConvertible {
        var description: String {
            "zbarimg was not found on PATH: install zbar-tools (apt-get install zbar-tools); the QR code tests "
                + "need it as an independent decoder and fail rather than skip without it"
        }
    }

    static func executable() throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for directory in path.split(separator: ":").map(String.init) {
            let candidate = URL(fileURLWithPath: directory).appendingPathComponent("zbarimg")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw Missing()
    }

    /// Runs `zbarimg --raw -q -Sbinary` on the images, QR codes only (so a stray match of another symbology
    /// cannot add bytes). Its diagnostics go to a file: it writes some for every image, and a full pipe would stall it.
    static func decode(_ images: [[UInt8]]) throws -> (output: [UInt8], status: Int32, errors: String) {
        let zbarimg = try executable()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qrcode-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var files: [String] = []
        for (index, image) in images.enumerated() {
            let file = directory.appendingPathComponent("\(index).pgm")
            try Data(image).write(to: file)
            files.append(file.path)
        }
        let errorsFile = directory.appendingPathComponent("stderr.txt")
        _ = FileManager.default.createFile(atPath: errorsFile.path, contents: nil)
        let errors = try FileHandle(forWritingTo: errorsFile)
        let process = Process()
        process.executableURL = zbarimg
        process.arguments = ["--raw", "-q", "-Sbinary", "-Sdisable", "-Sqrcode.enable"] + files
        let output = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try errors.close()
        let diagnostics = (try? String(contentsOf: errorsFile, encoding: .utf8)) ?? ""
        // D-Bus noise from a build with D-Bus support says nothing about the symbols.
        let relevant = diagnostics.split(separator: "\n").filter { !$0.hasPrefix("Connection ") }.joined(separator: "; ")
        return (Array(data), process.terminationStatus, relevant)
    }

    static func show(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes.prefix(80), as: UTF8.self)
        return "\"\(text)\"" + (bytes.count > 80 ? "…" : "")
    }
}
