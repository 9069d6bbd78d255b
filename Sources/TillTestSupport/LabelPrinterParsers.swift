import Foundation

// Readers of printer bytes written for these tests from the printers' own command references, sharing no code
// with Till's encoders: they walk the bytes command by command, refuse anything the reference does not define (or
// a parameter outside its range), and give back the text and the barcodes a printer would print.

/// ESC/POS as Epson's command reference defines it. The commands and ranges below are the ones the reference
/// gives for the TM series (as reproduced in, e.g., the Epson TM-T88 "Commands" chapter,
/// https://www.easymanua.ls/epson/tm-t88/manual?p=64 for GS V; the TM-T60/T80 manual,
/// https://manualsdump.com/en/manuals/epson-tm-t60-t60p-tm-t80-t80p/156062/53 for GS h and GS H; the bar code table
/// of `GS k` — function A `GS k m d1…dk NUL` with 0 ≤ m ≤ 6, function B `GS k m n d1…dn` with 65 ≤ m ≤ 73, UPC-A
/// 11 ≤ n ≤ 12, EAN13 12 ≤ n ≤ 13, EAN8 7 ≤ n ≤ 8, CODE128 2 ≤ n ≤ 255 with 0 ≤ d ≤ 127, each digit 48 ≤ d ≤ 57 — as
/// in https://manualshive.com/en/manual/ithaca/pcos-series-80plus/2095564?page=109; CODE128 data beginning with a
/// code set selection `{A`, `{B` or `{C` and a brace sent as `{{`, https://manualsdump.com/en/manuals/cbm_america-cbm1000/148772/139;
/// `GS w` 2 ≤ n ≤ 6, https://manualshive.com/en/manual/kashino-technology/csn-a1k/3570580?page=45; `GS v 0 m xL xH yL yH
/// d1…dk` with 0 ≤ m ≤ 3 or 48 ≤ m ≤ 51 and k = (xL + xH × 256) × (yL + yH × 256),
/// https://www.easymanua.ls/hprt/tp80k/manual/868416?p=53).
public struct EscPosDocument {
    public enum Element: Equatable {
        case text([UInt8])
        case lineFeed
        case initialize
        case codePage(UInt8)
        case justification(UInt8)
        case emphasis(Bool)
        case characterSize(width: Int, height: Int)
        case feedLines(Int)
        case barcodeHeight(Int)
        case barcodeModule(Int)
        case hriPosition(Int)
        case hriFont(Int)
        case barcode(system: UInt8, data: [UInt8])
        case raster(bytesPerRow: Int, rows: Int, data: [UInt8])
        case cut(mode: UInt8, feed: UInt8?)
    }

    public struct ParseError: Error, CustomStringConvertible {
        public var offset: Int
        public var reason: String
        public var description: String { "ESC/POS byte \(offset): \(reason)" }
    }

    public var elements: [Element] = []

    public init(parsing bytes: [UInt8]) throws {
        var i = 0
        func need(_ count: Int, _ what: String) throws {
            guard i + count <= bytes.count else { throw ParseError(offset: i, reason: "\(what) is cut short") }
        }
        func check(_ ok: Bool, _ reason: @autoclosure () -> String) throws {
            if !ok { throw ParseError(offset: i, reason: reason()) }
        }
        var text: [UInt8] = []
        func flush() {
            if !text.isEmpty { elements.append(.text(text)); text = [] }
        }
        while i < bytes.count {
            let byte = bytes[i]
            if (0x20...0x7E).contains(byte) || byte >= 0x80 {
                text.append(byte)
                i += 1
                continue
            }
            flush()
            switch byte {
            case 0x0A:
                elements.append(.lineFeed)
                i += 1
            case 0x1B:
                try need(2, "ESC")
                let command = bytes[i + 1]
                switch command {
                case 0x40:  // ESC @
                    elements.append(.initialize); i += 2
                case 0x74:  // ESC t n: select character code table
                    try need(3, "ESC t")
                    let n = bytes[i + 2]
                    try check((0...5).contains(n) || (16...19).contains(n) || n == 254 || n == 255, "ESC t \(n): no such code table")
                    elements.append(.codePage(n)); i += 3
                case 0x61:  // ESC a n: justification
                    try need(3, "ESC a")
                    let n = bytes[i + 2]
                    try check([0, 1, 2, 48, 49, 50].contains(n), "ESC a \(n) is out of range")
                    elements.append(.justification(n % 48)); i += 3
                case 0x45:  // ESC E n: emphasized, the least significant bit
                    try need(3, "ESC E")
                    elements.append(.emphasis(bytes[i + 2] & 1 == 1)); i += 3
                case 0x64:  // ESC d n: print and feed n lines
                    try need(3, "ESC d")
                    elements.append(.feedLines(Int(bytes[i + 2]))); i += 3
                default:
                    throw ParseError(offset: i, reason: "unknown command ESC 0x\(String(command, radix: 16))")
                }
            case 0x1D:
                try need(2, "GS")
                let command = bytes[i + 1]
                switch command {
                case 0x21:  // GS ! n: bits 0–3 height, 4–7 width, each 0–7 (×1 to ×8)
                    try need(3, "GS !")
                    let n = bytes[i + 2]
                    try check(n & 0x0F <= 7 && n >> 4 <= 7, "GS ! 0x\(String(n, radix: 16)) is out of range")
                    elements.append(.characterSize(width: Int(n >> 4) + 1, height: Int(n & 0x0F) + 1)); i += 3
                case 0x68:  // GS h n: bar code height, 1–255 dots
                    try need(3, "GS h")
                    try check(bytes[i + 2] >= 1, "GS h 0")
                    elements.append(.barcodeHeight(Int(bytes[i + 2]))); i += 3
                case 0x77:  // GS w n: module width 2–6
                    try need(3, "GS w")
                    try check((2...6).contains(bytes[i + 2]), "GS w \(bytes[i + 2]) is out of range 2–6")
                    elements.append(.barcodeModule(Int(bytes[i + 2]))); i += 3
                case 0x48:  // GS H n: HRI position 0–3 or 48–51
                    try need(3, "GS H")
                    let n = bytes[i + 2]
                    try check((0...3).contains(n) || (48...51).contains(n), "GS H \(n) is out of range")
                    elements.append(.hriPosition(Int(n % 48))); i += 3
                case 0x66:  // GS f n: HRI font 0, 1, 48, 49
                    try need(3, "GS f")
                    let n = bytes[i + 2]
                    try check([0, 1, 48, 49].contains(n), "GS f \(n) is out of range")
                    elements.append(.hriFont(Int(n % 48))); i += 3
                case 0x6B:  // GS k
                    try need(3, "GS k")
                    let m = bytes[i + 2]
                    if m <= 6 {
                        guard let end = bytes[(i + 3)...].firstIndex(of: 0) else { throw ParseError(offset: i, reason: "GS k function A without its NUL") }
                        let data = Array(bytes[(i + 3)..<end])
                        try Self.checkBarcode(system: m + 65, data: data, at: i)
                        elements.append(.barcode(system: m + 65, data: data)); i = end + 1
                    } else {
                        try check((65...73).contains(m), "GS k m = \(m) is no bar code system")
                        try need(4, "GS k function B")
                        let n = Int(bytes[i + 3])
                        try need(4 + n, "GS k data")
                        let data = Array(bytes[(i + 4)..<(i + 4 + n)])
                        try Self.checkBarcode(system: m, data: data, at: i)
                        elements.append(.barcode(system: m, data: data)); i += 4 + n
                    }
                case 0x56:  // GS V m [n]: cut
                    try need(3, "GS V")
                    let m = bytes[i + 2]
                    if [0, 1, 48, 49].contains(m) {
                        elements.append(.cut(mode: m, feed: nil)); i += 3
                    } else {
                        try check([65, 66].contains(m), "GS V \(m) is no cut mode")
                        try need(4, "GS V m n")
                        elements.append(.cut(mode: m, feed: bytes[i + 3])); i += 4
                    }
                case 0x76:  // GS v 0 m xL xH yL yH d1…dk
                    try need(8, "GS v 0")
                    try check(bytes[i + 2] == 0x30, "GS v \(bytes[i + 2]) is not GS v 0")
                    let m = bytes[i + 3]
                    try check((0...3).contains(m) || (48...51).contains(m), "GS v 0 m = \(m) is out of range")
                    let x = Int(bytes[i + 4]) + Int(bytes[i + 5]) * 256, y = Int(bytes[i + 6]) + Int(bytes[i + 7]) * 256
                    try check(x * y > 0, "GS v 0 with no image (k = 0)")
                    try need(8 + x * y, "GS v 0 image data")
                    elements.append(.raster(bytesPerRow: x, rows: y, data: Array(bytes[(i + 8)..<(i + 8 + x * y)])))
                    i += 8 + x * y
                default:
                    throw ParseError(offset: i, reason: "unknown command GS 0x\(String(command, radix: 16))")
                }
            default:
                throw ParseError(offset: i, reason: "control byte 0x\(String(byte, radix: 16)) is no command")
            }
        }
        flush()
    }

    static func checkBarcode(system: UInt8, data: [UInt8], at offset: Int) throws {
        func fail(_ reason: String) -> ParseError { ParseError(offset: offset, reason: "GS k \(system): \(reason)") }
        let digits = data.allSatisfy { (48...57).contains($0) }
        switch system {
        case 65: guard digits, (11...12).contains(data.count) else { throw fail("UPC-A takes 11 or 12 digits") }
        case 67: guard digits, (12...13).contains(data.count) else { throw fail("EAN13 takes 12 or 13 digits") }
        case 68: guard digits, (7...8).contains(data.count) else { throw fail("EAN8 takes 7 or 8 digits") }
        case 73:
            guard (2...255).contains(data.count), data.allSatisfy({ $0 <= 127 }) else { throw fail("CODE128 takes 2–255 bytes of 0–127") }
            guard data[0] == 0x7B, [0x41, 0x42, 0x43].contains(data[1]) else { throw fail("CODE128 data starts with a code set, {A {B or {C") }
        default: throw fail("a bar code system these labels do not use")
        }
    }

    /// The printed lines: text between line feeds (a barcode or image ends a line too), decoded as code page 858
    /// by Python's codec.
    public func lines() throws -> [String] {
        var result: [String] = []
        var current: [UInt8] = []
        var open = false
        for element in elements {
            switch element {
            case let .text(bytes): current += bytes; open = true
            case .lineFeed, .feedLines, .cut:
                if open || !current.isEmpty { result.append(try CP858.decode(current)) }
                current = []; open = false
            default: break
            }
        }
        if !current.isEmpty { result.append(try CP858.decode(current)) }
        return result
    }

    /// Each `GS k` barcode: its system (m of function B) and data.
    public var barcodes: [(system: UInt8, data: String)] {
        elements.compactMap {
            if case let .barcode(system, data) = $0 { return (system, String(decoding: data, as: UTF8.self)) }
            return nil
        }
    }

    public var rasters: [(bytesPerRow: Int, rows: Int, data: [UInt8])] {
        elements.compactMap {
            if case let .raster(x, y, data) = $0 { return (x, y, data) }
            return nil
        }
    }

    public var cuts: Int { elements.filter { if case .cut = $0 { return true }; return false }.count }
}

/// Code page 858 as Python's own codec decodes it (0x00–0x7F ASCII, the upper half from `cp858`).
public enum CP858 {
    nonisolated(unsafe) static var upper: [Character]?

    public static func decode(_ bytes: [UInt8]) throws -> String {
        if upper == nil {
            let result = try TillProcess.runTool("/usr/bin/env", [
                "python3", "-c", "import sys; sys.stdout.buffer.write(bytes(range(0x80, 0x100)).decode('cp858').encode('utf-8'))",
            ])
            guard result.status == 0 else { throw TillTestError("python3 is needed to decode code page 858: \(result.stderr)") }
            upper = Array(result.stdout)
        }
        let table = upper ?? []
        return String(bytes.map { $0 < 0x80 ? Character(Unicode.Scalar($0)) : table[Int($0) - 0x80] })
    }
}

/// ZPL II as Zebra's programming guide defines it (ZPL II Programming Guide 45541L-004, "ZPL Commands"; the pages
/// cited: ^BE p. 63 — field data exactly 12 characters; ^BU p. 97 — exactly 11; ^B8 p. 35 — exactly 7; ^BC p. 47–52
/// — Code 128 with the Start Code `>:` for subset B and `^ > ~` by invocation codes; ^BY p. 103 — module width 1 to
/// 10; ^FH p. 141 — hexadecimal indicator `_` followed by two hex digits; ^A p. 12 — font, orientation N/R/I/B,
/// height and width 10 to 32000; ^PQ p. 244 — quantity 1 to 99,999,999; https://docs.zebra.com/us/en/printers/
/// software/zpl-pg/ for ^CI 28 = UTF-8, ^PW, ^LL, ^FO and ^FB).
public struct ZPLDocument {
    public struct Field: Equatable {
        public var x: Int
        public var y: Int
        /// `A0` text, or the barcode command (`BE`, `BU`, `B8`, `BC`).
        public var kind: String
        /// Text decoded from ^FH escapes (UTF-8), or the barcode's data with Code 128 invocation codes resolved.
        public var data: String
        public var height: Int
        public var block: (width: Int, lines: Int, justification: String)?
        public var module: Int?

        public static func == (a: Field, b: Field) -> Bool {
            a.x == b.x && a.y == b.y && a.kind == b.kind && a.data == b.data && a.height == b.height && a.module == b.module
        }
    }

    public struct Label {
        public var commands: [String] = []
        public var fields: [Field] = []
        public var quantity = 1
        public var width: Int?
        public var length: Int?
        public var encoding: Int?
        public var texts: [String] { fields.filter { $0.kind == "A0" }.map(\.data) }
        public var barcodes: [Field] { fields.filter { $0.kind != "A0" } }
    }

    public struct ParseError: Error, CustomStringConvertible {
        public var reason: String
        public var description: String { "ZPL: \(reason)" }
    }

    public var labels: [Label] = []

    public init(parsing text: String) throws {
        let scalars = Array(text.unicodeScalars)
        var i = 0
        var label: Label?
        // Field state between ^FO and ^FS.
        var origin: (Int, Int)?
        var pending: (kind: String, height: Int, module: Int?)?
        var block: (width: Int, lines: Int, justification: String)?
        var hexIndicator: Unicode.Scalar?
        var module = 2
        func fail(_ reason: String) -> ParseError { ParseError(reason: reason) }
        func int(_ text: String, _ range: ClosedRange<Int>, _ what: String) throws -> Int {
            guard let value = Int(text), range.contains(value) else { throw fail("\(what) \"\(text)\" is not in \(range)") }
            return value
        }
        func orientation(_ text: String, _ command: String) throws {
            guard ["N", "R", "I", "B"].contains(text) else { throw fail("^\(command) orientation \"\(text)\" is not N, R, I or B") }
        }
        func flag(_ text: String, _ what: String) throws {
            guard text == "Y" || text == "N" else { throw fail("\(what) \"\(text)\" is not Y or N") }
        }
        while i < scalars.count {
            let c = scalars[i]
            if c == " " || c == "\n" || c == "\r" || c == "\t" { i += 1; continue }
            guard c == "^" else { throw fail("\"\(c)\" outside a command") }
            guard i + 2 < scalars.count else { throw fail("a command cut short") }
            let name = String(String.UnicodeScalarView(scalars[(i + 1)..<min(i + 3, scalars.count)])).uppercased()
            i += 3
            // Parameters run to the next ^ (field data has its own end, ^FS).
            func parameters() -> [String] {
                var end = i
                while end < scalars.count && scalars[end] != "^" { end += 1 }
                let raw = String(String.UnicodeScalarView(scalars[i..<end])).trimmingCharacters(in: .whitespacesAndNewlines)
                i = end
                return raw.isEmpty ? [] : raw.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            }
            if name != "XA" && label == nil { throw fail("^\(name) before ^XA") }
            label?.commands.append(name)
            switch name {
            case "XA":
                guard label == nil else { throw fail("^XA inside a label") }
                label = Label(commands: ["XA"])
            case "XZ":
                guard let done = label else { throw fail("^XZ without ^XA") }
                guard origin == nil else { throw fail("a field left open at ^XZ") }
                labels.append(done)
                label = nil
            case "CI":
                let p = parameters()
                label?.encoding = try int(p.first ?? "", 0...36, "^CI")
            case "PW":
                label?.width = try int(parameters().first ?? "", 2...32000, "^PW width")
            case "LL":
                label?.length = try int(parameters().first ?? "", 1...32000, "^LL length")
            case "PQ":
                let p = parameters()
                label?.quantity = try int(p.first ?? "", 1...99_999_999, "^PQ quantity")
                if p.count > 1, !p[1].isEmpty { _ = try int(p[1], 0...99_999_999, "^PQ pause") }
                if p.count > 2, !p[2].isEmpty { _ = try int(p[2], 0...99_999_999, "^PQ replicates") }
                if p.count > 3 { try flag(p[3], "^PQ override") }
            case "FO":
                let p = parameters()
                guard p.count >= 2 else { throw fail("^FO needs x,y") }
                origin = (try int(p[0], 0...32000, "^FO x"), try int(p[1], 0...32000, "^FO y"))
                block = nil; pending = nil; hexIndicator = nil
            case "BY":
                let p = parameters()
                module = try int(p.first ?? "", 1...10, "^BY module width")
                if p.count > 1, !p[1].isEmpty {
                    guard let ratio = Double(p[1]), ratio >= 2.0, ratio <= 3.0 else { throw fail("^BY ratio \(p[1])") }
                }
            case "FB":
                let p = parameters()
                guard p.count >= 4 else { throw fail("^FB needs width,lines,spacing,justification") }
                guard ["L", "C", "R", "J"].contains(p[3]) else { throw fail("^FB justification \(p[3])") }
                block = (try int(p[0], 0...32000, "^FB width"), try int(p[1], 1...9999, "^FB lines"), p[3])
                _ = try int(p[2], -9999...9999, "^FB line spacing")
            case "FH":
                let p = parameters()
                hexIndicator = p.first.flatMap { $0.unicodeScalars.first } ?? "_"
                guard hexIndicator != "^" && hexIndicator != "~" else { throw fail("^FH indicator cannot be ^ or ~") }
            case "BE", "BU", "B8", "BC":
                let p = parameters()
                guard let first = p.first else { throw fail("^\(name) without orientation") }
                try orientation(first, name)
                let height = try int(p.count > 1 ? p[1] : "", 1...(name == "BU" ? 9999 : 32000), "^\(name) height")
                for (index, value) in p.dropFirst(2).enumerated() where !value.isEmpty {
                    if name == "BC" && index == 3 {
                        guard ["N", "U", "A", "D"].contains(value) else { throw fail("^BC mode \(value)") }
                    } else {
                        try flag(value, "^\(name) parameter \(index + 3)")
                    }
                }
                pending = (name, height, module)
            default:
                if name.hasPrefix("A") && name != "A@" {
                    // ^Afo,h,w: the font is the character after A; orientation follows it directly.
                    let font = name.dropFirst()
                    guard font.count == 1, font.allSatisfy({ $0.isLetter || $0.isNumber }) else { throw fail("^A font \(font)") }
                    var p = parameters()
                    guard !p.isEmpty, !p[0].isEmpty else { throw fail("^A\(font) without orientation") }
                    try orientation(p[0], "A")
                    p.removeFirst()
                    let height = try int(p.first ?? "", 10...32000, "^A height")
                    if p.count > 1 { _ = try int(p[1], 10...32000, "^A width") }
                    pending = ("A" + font, height, nil)
                } else if name == "FD" {
                    guard let (x, y) = origin, let field = pending else { throw fail("^FD without ^FO and a font or bar code") }
                    // Field data runs to ^FS.
                    var end = i
                    while end < scalars.count && scalars[end] != "^" { end += 1 }
                    let raw = Array(scalars[i..<end])
                    i = end
                    guard i + 2 < scalars.count, String(String.UnicodeScalarView(scalars[i..<(i + 3)])).uppercased() == "^FS" else {
                        throw fail("^FD not ended by ^FS")
                    }
                    i += 3
                    label?.commands.append("FS")
                    var data: String
                    if let indicator = hexIndicator {
                        var bytes: [UInt8] = []
                        var k = 0
                        while k < raw.count {
                            if raw[k] == indicator {
                                guard k + 2 < raw.count, let value = UInt8(String(String.UnicodeScalarView(raw[(k + 1)...(k + 2)])), radix: 16) else {
                                    throw fail("^FH escape without two hex digits")
                                }
                                bytes.append(value)
                                k += 3
                            } else {
                                bytes += Array(String(raw[k]).utf8)
                                k += 1
                            }
                        }
                        guard let decoded = String(bytes: bytes, encoding: .utf8) else { throw fail("^FD bytes are not UTF-8") }
                        data = decoded
                    } else {
                        data = String(String.UnicodeScalarView(raw))
                    }
                    switch field.kind {
                    case "BE": guard data.count == 12, data.allSatisfy(\.isNumber) else { throw fail("^BE data is exactly 12 digits, not \(data)") }
                    case "BU": guard data.count == 11, data.allSatisfy(\.isNumber) else { throw fail("^BU data is exactly 11 digits, not \(data)") }
                    case "B8": guard data.count == 7, data.allSatisfy(\.isNumber) else { throw fail("^B8 data is exactly 7 digits, not \(data)") }
                    case "BC": data = try Self.code128SubsetB(data)
                    default: break
                    }
                    label?.fields.append(Field(x: x, y: y, kind: field.kind, data: data, height: field.height, block: block,
                                               module: field.module))
                    origin = nil; pending = nil; block = nil; hexIndicator = nil
                } else {
                    throw fail("unknown command ^\(name)")
                }
            }
        }
        guard label == nil else { throw fail("a label without ^XZ") }
    }

    /// Code 128 field data in subset B: it must start with the Start Code `>:`; `><` is ^, `>0` is >, `>=` is ~.
    static func code128SubsetB(_ data: String) throws -> String {
        let characters = Array(data)
        guard characters.count >= 2, characters[0] == ">", characters[1] == ":" else {
            throw ParseError(reason: "^BC data \(data) does not start with >: (subset B)")
        }
        var out = ""
        var k = 2
        while k < characters.count {
            if characters[k] == ">" {
                guard k + 1 < characters.count else { throw ParseError(reason: "^BC data ends in >") }
                switch characters[k + 1] {
                case "<": out.append("^")
                case "0": out.append(">")
                case "=": out.append("~")
                default: throw ParseError(reason: "^BC invocation >\(characters[k + 1]) is not a character")
                }
                k += 2
            } else {
                guard let ascii = characters[k].asciiValue, (32...126).contains(ascii) else {
                    throw ParseError(reason: "^BC subset B has no \(characters[k])")
                }
                out.append(characters[k])
                k += 1
            }
        }
        return out
    }
}

/// The GS1 check digit computed here (weights 3, 1, 3 … from the right of the body), not by Till.
public func gs1CheckDigit(_ body: String) -> Int {
    let digits = body.compactMap(\.wholeNumberValue)
    var sum = 0
    for (offset, digit) in digits.reversed().enumerated() { sum += offset % 2 == 0 ? 3 * digit : digit }
    return (10 - sum % 10) % 10
}

/// Bars in a raster image read by zbarimg (Debian's zbar-tools), never by Till's own code.
public enum BarcodeImages {
    /// A raster (`GS v 0` rows, MSB leftmost, 1 black) as a PGM with a white margin, each dot `scale` pixels.
    public static func pgm(bytesPerRow: Int, rows: Int, data: [UInt8], scale: Int = 2, margin: Int = 40) -> [UInt8] {
        let width = bytesPerRow * 8 * scale + 2 * margin, height = rows * scale + 2 * margin
        var out = Array("P5\n\(width) \(height)\n255\n".utf8)
        for y in 0..<height {
            for x in 0..<width {
                let dy = (y - margin), dx = (x - margin)
                var dark = false
                if dy >= 0, dx >= 0, dy < rows * scale, dx < bytesPerRow * 8 * scale {
                    let row = dy / scale, column = dx / scale
                    dark = (data[row * bytesPerRow + column / 8] >> UInt8(7 - column % 8)) & 1 == 1
                }
                out.append(dark ? 0 : 255)
            }
        }
        return out
    }

    /// zbarimg's reading: `SYMBOLOGY:DATA` per symbol found. Fails, naming the package, without zbarimg.
    public static func decode(_ pgm: [UInt8]) throws -> [String] {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"
        guard let zbarimg = path.split(separator: ":").map({ "\($0)/zbarimg" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw TillTestError("zbarimg was not found: apt-get install zbar-tools (the label tests decode the bars with it)")
        }
        let file = TestStores.temporaryDirectory().appendingPathComponent("bars.pgm")
        try Data(pgm).write(to: file)
        let result = try TillProcess.runTool(zbarimg, ["-q", file.path])
        guard result.status == 0 else { throw TillTestError("zbarimg read no barcode in \(file.path) (status \(result.status)): \(result.stderr)") }
        return result.stdout.split(separator: "\n").map(String.init)
    }
}
