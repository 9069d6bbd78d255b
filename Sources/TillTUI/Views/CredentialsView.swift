import TillCore

/// The sign-in and manager-approval box: user name, then PIN shown as dots. The reason and the last refusal wrap
/// at word boundaries, so nothing is cut at 80 columns.
enum CredentialsView {
    static func draw(_ grid: inout CellGrid, title: String, reason: String, username: String, pin: String, onPIN: Bool,
                     cover: Bool, error: String? = nil, submit: String = "sign in", theme: Theme) {
        if cover {
            // Nothing of the till shows while it is locked but the tab and status bars.
            grid.fill(x: 0, y: 1, width: grid.width, height: grid.height - 2, style: theme[.text])
        }
        let width = min(grid.width - 4, 64)
        let reasonLines = wrap(reason, width: width - 4)
        let errorLines = error.map { wrap($0, width: width - 4) } ?? []
        let height = 8 + reasonLines.count + (errorLines.isEmpty ? 0 : errorLines.count + 1)
        let x = (grid.width - width) / 2
        let y = max(1, (grid.height - height) / 2)
        grid.box(x: x, y: y, width: width, height: height, title: title, border: theme[.borderActive], titleStyle: theme[.title],
                 fill: theme[.overlay])
        var row = y + 2
        for line in reasonLines {
            grid.put(line, x: x + 2, y: row, style: theme[.overlay], maxWidth: width - 4)
            row += 1
        }
        if !errorLines.isEmpty {
            row += 1
            for line in errorLines {
                grid.put(line, x: x + 2, y: row, style: theme[.error], maxWidth: width - 4)
                row += 1
            }
        }
        row += 1
        grid.put("User ", x: x + 2, y: row, style: onPIN ? theme[.overlay] : theme[.key])
        grid.put(username + (onPIN ? "" : "▏"), x: x + 8, y: row, style: theme[.input], maxWidth: width - 10)
        grid.put("PIN  ", x: x + 2, y: row + 1, style: onPIN ? theme[.key] : theme[.overlay])
        grid.put(String(repeating: "•", count: pin.count) + (onPIN ? "▏" : ""), x: x + 8, y: row + 1, style: theme[.input])
        grid.put("Enter next / \(submit) · Esc clear", x: x + 2, y: row + 3, style: theme[.muted], maxWidth: width - 4)
    }

    /// `text` in lines of at most `width` columns, broken between words (a word longer than a line is cut).
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ").map(String.init) {
            if current.isEmpty {
                current = word
            } else if DisplayWidth.of(current) + 1 + DisplayWidth.of(word) <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = word
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines.isEmpty ? [""] : lines
    }
}
