/// Bar charts and sparklines drawn with Unicode block characters, or plain ASCII when the theme asks.
enum Charts {
    static let eighths: [Character] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    static let horizontalEighths: [Character] = [" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"]
    static let asciiLevels: [Character] = [" ", ".", ":", "-", "=", "+", "*", "#", "@"]

    /// One character per value, scaled to the largest.
    static func sparkline(_ values: [Int64], ascii: Bool) -> String {
        let top = max(1, values.max() ?? 1)
        let levels = ascii ? asciiLevels : eighths
        return String(values.map { value in
            value <= 0 ? levels[0] : levels[max(1, Int((value * 8 + top - 1) / top))]
        })
    }

    /// A horizontal bar `width` cells long at most, in eighths of a cell.
    static func bar(_ value: Int64, of top: Int64, width: Int, ascii: Bool) -> String {
        guard top > 0, value > 0, width > 0 else { return "" }
        let eighthsLong = Int((value * Int64(width) * 8 + top - 1) / top)
        if ascii { return String(repeating: "#", count: max(1, (eighthsLong + 4) / 8)) }
        let full = eighthsLong / 8
        let rest = eighthsLong % 8
        return String(repeating: "█", count: full) + (rest > 0 ? String(horizontalEighths[rest]) : "")
    }

    /// Vertical bars, one column per value, `height` rows tall, bottom-aligned in eighths of a row.
    static func columns(_ values: [Int64], height: Int, ascii: Bool) -> [String] {
        let top = max(1, values.max() ?? 1)
        let cells = values.map { Int(($0 * Int64(height) * 8 + top - 1) / top) }
        return (0..<height).map { row in
            let floor = (height - 1 - row) * 8
            return String(cells.map { filled in
                let inRow = min(8, max(0, filled - floor))
                if ascii { return inRow >= 4 ? "#" : " " }
                return eighths[inRow]
            })
        }
    }
}
