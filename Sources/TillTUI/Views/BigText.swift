import TillCore

/// Figures three rows tall, drawn with block characters, for what must be read from a step away (the change to
/// hand back). Digits and separators are large; anything else (a currency sign or code) is drawn at normal size
/// on the middle row, so every currency format still reads.
enum BigText {
    static let rows = 3

    private static let glyphs: [Character: [String]] = [
        "0": ["█▀█", "█ █", "▀▀▀"],
        "1": ["▀█ ", " █ ", "▀▀▀"],
        "2": ["▀▀█", "█▀▀", "▀▀▀"],
        "3": ["▀▀█", " ▀█", "▀▀▀"],
        "4": ["█ █", "▀▀█", "  ▀"],
        "5": ["█▀▀", "▀▀█", "▀▀▀"],
        "6": ["█▀▀", "█▀█", "▀▀▀"],
        "7": ["▀▀█", "  █", "  ▀"],
        "8": ["█▀█", "█▀█", "▀▀▀"],
        "9": ["█▀█", "▀▀█", "▀▀▀"],
        ".": [" ", " ", "▀"],
        ",": [" ", " ", "█"],
        "-": ["   ", "▀▀▀", "   "],
    ]

    /// The three rows for `text`, each of the same display width.
    static func render(_ text: String) -> [String] {
        var lines = Array(repeating: "", count: rows)
        for character in text {
            let glyph = glyphs[character] ?? [" ", String(character), " "].map { $0.padded(toWidth: DisplayWidth.of(String(character))) }
            for row in 0..<rows { lines[row] += glyph[row] + " " }
        }
        return lines.map { String($0.dropLast()) }
    }

    static func width(_ text: String) -> Int { render(text).first.map { DisplayWidth.of($0) } ?? 0 }
}
