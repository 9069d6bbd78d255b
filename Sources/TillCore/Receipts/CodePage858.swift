import Foundation

/// Text to the bytes of code page 858 (DOS Latin-1 with €), the code page ESC/POS printers select with `ESC t 19`.
///
/// Every character the code page has prints as itself. One it lacks is transliterated when a plain form exists
/// (ł → l, ő → o, “ ” → ", – — → -, … → ...; accented letters lose the accent the code page has no form for),
/// and only then becomes `?`. Each character keeps the columns it takes on screen (a CJK character or emoji
/// becomes `??`), and a line that a longer transliteration (… → ...) would push past the paper's edge gives the
/// room back from its padding (or from before a clipping ellipsis), so the printed columns line up like the saved
/// receipt's.
public enum CodePage858 {
    /// Bytes 0x80–0xFF. From the Unicode Consortium's published CP850 table (MAPPINGS/VENDORS/MICSFT/PC/CP850.TXT,
    /// "cp850_DOSLatin1 to Unicode table", table version 2.00, dated 04/24/96, Lori Brownell and K.D. Chang,
    /// Microsoft), with the one change that makes it 858: 0xD5 is € (U+20AC) instead of dotless ı (U+0131).
    static let upperHalf: [UInt32] = [
        /* 80 */ 0x00C7, 0x00FC, 0x00E9, 0x00E2, 0x00E4, 0x00E0, 0x00E5, 0x00E7,
        /* 88 */ 0x00EA, 0x00EB, 0x00E8, 0x00EF, 0x00EE, 0x00EC, 0x00C4, 0x00C5,
        /* 90 */ 0x00C9, 0x00E6, 0x00C6, 0x00F4, 0x00F6, 0x00F2, 0x00FB, 0x00F9,
        /* 98 */ 0x00FF, 0x00D6, 0x00DC, 0x00F8, 0x00A3, 0x00D8, 0x00D7, 0x0192,
        /* A0 */ 0x00E1, 0x00ED, 0x00F3, 0x00FA, 0x00F1, 0x00D1, 0x00AA, 0x00BA,
        /* A8 */ 0x00BF, 0x00AE, 0x00AC, 0x00BD, 0x00BC, 0x00A1, 0x00AB, 0x00BB,
        /* B0 */ 0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x00C1, 0x00C2, 0x00C0,
        /* B8 */ 0x00A9, 0x2563, 0x2551, 0x2557, 0x255D, 0x00A2, 0x00A5, 0x2510,
        /* C0 */ 0x2514, 0x2534, 0x252C, 0x251C, 0x2500, 0x253C, 0x00E3, 0x00C3,
        /* C8 */ 0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256C, 0x00A4,
        /* D0 */ 0x00F0, 0x00D0, 0x00CA, 0x00CB, 0x00C8, 0x20AC, 0x00CD, 0x00CE,
        /* D8 */ 0x00CF, 0x2518, 0x250C, 0x2588, 0x2584, 0x00A6, 0x00CC, 0x2580,
        /* E0 */ 0x00D3, 0x00DF, 0x00D4, 0x00D2, 0x00F5, 0x00D5, 0x00B5, 0x00FE,
        /* E8 */ 0x00DE, 0x00DA, 0x00DB, 0x00D9, 0x00FD, 0x00DD, 0x00AF, 0x00B4,
        /* F0 */ 0x00AD, 0x00B1, 0x2017, 0x00BE, 0x00B6, 0x00A7, 0x00F7, 0x00B8,
        /* F8 */ 0x00B0, 0x00A8, 0x00B7, 0x00B9, 0x00B3, 0x00B2, 0x25A0, 0x00A0,
    ]

    private static let byScalar: [UInt32: UInt8] = {
        var map: [UInt32: UInt8] = [:]
        for (index, value) in upperHalf.enumerated() { map[value] = UInt8(0x80 + index) }
        return map
    }()

    /// Plain forms for characters the code page lacks and that have no canonical decomposition to one it has.
    static let transliterations: [Character: String] = [
        "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i", "ħ": "h", "Ħ": "H", "ŧ": "t", "Ŧ": "T", "ŀ": "l", "Ŀ": "L",
        "œ": "oe", "Œ": "OE", "ĳ": "ij", "Ĳ": "IJ", "ŉ": "'n", "ſ": "s", "ẞ": "SS",
        "“": "\"", "”": "\"", "„": "\"", "‟": "\"", "″": "\"", "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'",
        "‹": "<", "›": ">", "–": "-", "—": "-", "‒": "-", "―": "-", "−": "-", "‐": "-", "‑": "-",
        "…": "...", "•": "*", "™": "TM", "‰": "%o", "≤": "<=", "≥": ">=", "≠": "!=", "→": "->", "←": "<-",
        "\u{2009}": " ", "\u{202F}": " ", "\u{2007}": " ", "\u{2002}": " ", "\u{2003}": " ", "\t": " ",
    ]

    /// The byte for one scalar, if the code page has it (printable ASCII and line feed included).
    public static func byte(for scalar: Unicode.Scalar) -> UInt8? {
        if scalar == "\n" { return 0x0A }
        if scalar.value >= 0x20 && scalar.value < 0x7F { return UInt8(scalar.value) }
        return byScalar[scalar.value]
    }

    /// The bytes for `text`, line by line. With the paper's `width` (in columns), a line that transliteration
    /// made wider than the paper is brought back to it, so the printer never wraps it.
    public static func encode(_ text: String, width: Int? = nil) -> [UInt8] {
        var bytes: [UInt8] = []
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        for (index, line) in lines.enumerated() {
            if index > 0 { bytes.append(0x0A) }
            bytes += encode(line: line, width: width)
        }
        if text.hasSuffix("\n") { bytes.append(0x0A) }
        return bytes
    }

    static func encode(line: Substring, width: Int?) -> [UInt8] {
        var bytes: [UInt8] = []
        for character in line { bytes += encode(character) }
        // Only what transliteration added is taken back: a line already wider than the paper stays as it is.
        if let width {
            let room = max(width, DisplayWidth.of(String(line)))
            if bytes.count > room { squeeze(&bytes, by: bytes.count - room) }
        }
        return bytes
    }

    /// One character: itself, its composed form, a transliteration, its base letters, or a `?` per column.
    static func encode(_ character: Character) -> [UInt8] {
        if character == "\r\n" || character == "\r" { return [] }
        if let bytes = direct(String(character)) { return bytes }
        let composed = String(character).precomposedStringWithCanonicalMapping
        if let bytes = direct(composed) { return bytes }
        let composedCharacter = composed.count == 1 ? composed.first : nil
        if let plain = composedCharacter.flatMap({ transliterations[$0] }) ?? transliterations[character],
           let bytes = direct(plain) {
            return bytes
        }
        // Letters with marks the code page has no form for (ă, č, ș), and compatibility forms (ﬁ, Ａ, ①): the
        // base characters, when everything dropped is a combining mark.
        let decomposed = String(character).decomposedStringWithCompatibilityMapping
        var base: [UInt8] = []
        var usable = true
        for scalar in decomposed.unicodeScalars {
            if let byte = byte(for: scalar) { base.append(byte); continue }
            if scalar.properties.generalCategory == .nonspacingMark { continue }
            if let plain = transliterations[Character(scalar)], let bytes = direct(plain) { base += bytes; continue }
            usable = false
            break
        }
        if usable && !base.isEmpty { return base }
        return Array(repeating: 0x3F, count: DisplayWidth.of(character))
    }

    /// The bytes when every scalar of `text` is in the code page.
    private static func direct(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        for scalar in text.unicodeScalars {
            guard let byte = byte(for: scalar) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }

    /// Where the last "..." in `bytes` starts.
    private static func lastDots(in bytes: [UInt8]) -> Int? {
        guard bytes.count >= 3 else { return nil }
        return (0...(bytes.count - 3)).last { bytes[$0] == 0x2E && bytes[$0 + 1] == 0x2E && bytes[$0 + 2] == 0x2E }
    }

    /// Takes `excess` spaces out of the line's widest run of two or more (the padding between a label and its
    /// amount), so the amount still ends at the paper's edge.
    static func squeeze(_ bytes: inout [UInt8], by excess: Int) {
        var remaining = excess
        while remaining > 0 {
            var best: (start: Int, length: Int)?
            var index = 0
            while index < bytes.count {
                guard bytes[index] == 0x20 else { index += 1; continue }
                var end = index
                while end < bytes.count && bytes[end] == 0x20 { end += 1 }
                if end - index >= 2 && end < bytes.count && index > 0 && end - index > (best?.length ?? 0) {
                    best = (index, end - index)
                }
                index = end
            }
            guard let run = best else {
                // No padding to take from (a name clipped to the paper's width): the characters before the last
                // "..." (the clipping ellipsis) give way instead, so the line still does not wrap.
                if let dots = lastDots(in: bytes), dots >= remaining {
                    bytes.removeSubrange((dots - remaining)..<dots)
                }
                return
            }
            let cut = min(remaining, run.length - 1)
            bytes.removeSubrange(run.start..<(run.start + cut))
            remaining -= cut
        }
    }
}
