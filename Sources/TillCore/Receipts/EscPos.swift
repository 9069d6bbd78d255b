/// ESC/POS bytes for a receipt printer: initialise, select code page 858 (Latin-1 with €), print, feed, cut,
/// and kick the cash drawer when cash was taken.
public enum EscPos {
    static let escape: UInt8 = 0x1B
    static let groupSeparator: UInt8 = 0x1D

    public static func encode(_ text: String, openDrawer: Bool) -> [UInt8] {
        var bytes: [UInt8] = [escape, 0x40]          // ESC @: initialise
        bytes += [escape, 0x74, 19]                   // ESC t 19: code page 858
        for scalar in text.unicodeScalars { bytes.append(codePage858(scalar)) }
        bytes += [escape, 0x64, 4]                    // ESC d 4: feed four lines
        bytes += [groupSeparator, 0x56, 66, 0]        // GS V 66 0: feed and partial cut
        if openDrawer { bytes += [escape, 0x70, 0, 25, 250] }  // ESC p 0: pulse drawer pin 2
        return bytes
    }

    /// Code page 858 for the characters shops print; anything else becomes "?".
    static func codePage858(_ scalar: Unicode.Scalar) -> UInt8 {
        if scalar == "\n" { return 0x0A }
        if scalar.value >= 0x20 && scalar.value < 0x7F { return UInt8(scalar.value) }
        return table[scalar] ?? 0x3F
    }

    private static let table: [Unicode.Scalar: UInt8] = [
        "Ç": 0x80, "ü": 0x81, "é": 0x82, "â": 0x83, "ä": 0x84, "à": 0x85, "å": 0x86, "ç": 0x87, "ê": 0x88, "ë": 0x89,
        "è": 0x8A, "ï": 0x8B, "î": 0x8C, "ì": 0x8D, "Ä": 0x8E, "Å": 0x8F, "É": 0x90, "æ": 0x91, "Æ": 0x92, "ô": 0x93,
        "ö": 0x94, "ò": 0x95, "û": 0x96, "ù": 0x97, "ÿ": 0x98, "Ö": 0x99, "Ü": 0x9A, "ø": 0x9B, "£": 0x9C, "Ø": 0x9D,
        "×": 0x9E, "á": 0xA0, "í": 0xA1, "ó": 0xA2, "ú": 0xA3, "ñ": 0xA4, "Ñ": 0xA5, "¿": 0xA8, "¡": 0xAD, "€": 0xD5,
        "Á": 0xB5, "Â": 0xB6, "À": 0xB7, "ß": 0xE1, "Ó": 0xE0, "Ô": 0xE2, "Ò": 0xE3, "Ú": 0xE9, "Û": 0xEA, "Ù": 0xEB,
        "•": 0x2A, "…": 0x2E, "—": 0x2D, "–": 0x2D,
    ]
}
