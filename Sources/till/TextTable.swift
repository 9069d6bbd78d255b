import TillCore

/// Rows printed as aligned columns for a terminal: text left, figures right, two spaces between, each column
/// as wide as its widest cell (display width, so names with accents or wide characters line up too).
struct TextTable {
    var header: [String]
    var rows: [[String]] = []
    /// Columns whose cells are figures, aligned right.
    var numeric: Set<Int>

    var lines: [String] {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { DisplayWidth.of($0.indices.contains(column) ? $0[column] : "") }.max() ?? 0 }
        return all.map { row in
            header.indices.map { column in
                let cell = row.indices.contains(column) ? row[column] : ""
                return cell.padded(toWidth: widths[column], alignRight: numeric.contains(column))
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
    }
}

private extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
