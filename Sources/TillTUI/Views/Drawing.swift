import TillCore

/// Boxes and tables drawn into a grid; every view builds on these.
extension CellGrid {
    /// A single-line box with an optional title in its top border.
    public mutating func box(x: Int, y: Int, width w: Int, height h: Int, title: String? = nil,
                             border: CellStyle, titleStyle: CellStyle, fill: CellStyle) {
        guard w >= 2, h >= 2 else { return }
        self.fill(x: x, y: y, width: w, height: h, style: fill)
        put("┌" + String(repeating: "─", count: w - 2) + "┐", x: x, y: y, style: border)
        for row in (y + 1)..<(y + h - 1) {
            put("│", x: x, y: row, style: border)
            put("│", x: x + w - 1, y: row, style: border)
        }
        put("└" + String(repeating: "─", count: w - 2) + "┘", x: x, y: y + h - 1, style: border)
        if let title, w > 6 {
            put(" \(title) ".clipped(toWidth: w - 4), x: x + 2, y: y, style: titleStyle)
        }
    }
}

/// A column of a table: a fixed width, or a share of what is left (`flex`).
public struct TableColumn: Sendable {
    public var title: String
    public var width: Int
    public var flex: Bool
    public var alignRight: Bool

    public static func fixed(_ title: String, _ width: Int, right: Bool = false) -> TableColumn {
        TableColumn(title: title, width: width, flex: false, alignRight: right)
    }

    public static func flexible(_ title: String, minimum: Int = 10) -> TableColumn {
        TableColumn(title: title, width: minimum, flex: true, alignRight: false)
    }
}

/// One table cell's text and, optionally, its own role (a low stock figure, say).
public struct TableCell: Sendable {
    public var text: String
    public var role: ThemeRole?

    public init(_ text: String, role: ThemeRole? = nil) {
        self.text = text
        self.role = role
    }
}

public enum Table {
    /// Column widths for `total` columns of room, one space between columns; flexible columns share the rest.
    public static func widths(_ columns: [TableColumn], total: Int) -> [Int] {
        let gaps = max(0, columns.count - 1)
        let fixed = columns.reduce(0) { $0 + $1.width }
        let flexCount = columns.filter(\.flex).count
        let spare = max(0, total - gaps - fixed)
        var given = 0
        return columns.enumerated().map { index, column in
            guard column.flex, flexCount > 0 else { return column.width }
            let isLastFlex = columns[(index + 1)...].allSatisfy { !$0.flex }
            let share = isLastFlex ? spare - given : spare / flexCount
            given += share
            return column.width + share
        }
    }

    /// Draws a header row then data rows; `selected` (an index into `rows`) is highlighted across the width.
    public static func draw(into grid: inout CellGrid, x: Int, y: Int, width: Int, columns: [TableColumn],
                            header: Bool = true, rows: [[TableCell]], selected: Int?, theme: Theme) {
        let widths = self.widths(columns, total: width)
        var line = y
        if header {
            var column = x
            for (index, spec) in columns.enumerated() {
                grid.put(spec.title.padded(toWidth: widths[index], alignRight: spec.alignRight), x: column, y: line,
                         style: theme[.header])
                column += widths[index] + 1
            }
            line += 1
        }
        for (rowIndex, cells) in rows.enumerated() {
            let isSelected = rowIndex == selected
            if isSelected { grid.fill(x: x, y: line, width: width, height: 1, style: theme[.rowSelected]) }
            var column = x
            for (index, spec) in columns.enumerated() where index < cells.count {
                let cell = cells[index]
                let style = isSelected ? theme[.rowSelected] : theme[cell.role ?? .text]
                grid.put(cell.text.padded(toWidth: widths[index], alignRight: spec.alignRight), x: column, y: line,
                         style: style)
                column += widths[index] + 1
            }
            line += 1
        }
    }
}

extension CellGrid {
    /// A one-line prompt over the first row inside a box: label, what has been typed, a cursor.
    public mutating func inputLine(_ label: String, text: String, in area: Rect, theme: Theme) {
        let inner = area.inner
        fill(x: inner.x, y: inner.y, width: inner.width, height: 1, style: theme[.text])
        var x = inner.x + 1
        // A label longer than the line is cut between words, never mid-word.
        x += put(WordWrap.clipped(label, width: inner.width - 2), x: x, y: inner.y, style: theme[.key], maxWidth: inner.width - 2)
        x += put(text, x: x, y: inner.y, style: theme[.input], maxWidth: max(0, inner.x + inner.width - x - 1))
        put("▏", x: x, y: inner.y, style: theme[.input], maxWidth: max(0, inner.x + inner.width - x))
    }
}

/// Breaking text into lines at spaces, so nothing on screen ends mid-word.
public enum WordWrap {
    /// `text` in lines of at most `width` columns, broken between words. A word wider than a whole line (a long
    /// code, a path) is the one thing split, since it cannot fit otherwise. Newlines in `text` are kept.
    public static func lines(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var result: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            var lineWidth = 0
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
                var word = word
                var wordWidth = DisplayWidth.of(word)
                if lineWidth > 0 && lineWidth + 1 + wordWidth <= width {
                    line += " " + word
                    lineWidth += 1 + wordWidth
                    continue
                }
                if lineWidth > 0 {
                    result.append(line)
                    line = ""
                    lineWidth = 0
                }
                while wordWidth > width {
                    var head = word.clipped(toWidth: width, ellipsis: false)
                    if head.isEmpty, let first = word.first { head = String(first) }  // a wide character in one column
                    result.append(head)
                    word = String(word.dropFirst(head.count))
                    wordWidth = DisplayWidth.of(word)
                }
                line = word
                lineWidth = wordWidth
            }
            result.append(line)
        }
        return result
    }

    /// The first line's worth of `text`, cut between words with "…" when the rest does not fit.
    public static func clipped(_ text: String, width: Int) -> String {
        guard DisplayWidth.of(text) > width else { return text }
        guard width > 1 else { return "" }
        let head = lines(text, width: width - 1).first ?? ""
        return head + "…"
    }
}
