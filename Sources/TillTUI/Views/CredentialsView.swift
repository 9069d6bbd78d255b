/// The sign-in and manager-approval box: user name, then PIN shown as dots.
enum CredentialsView {
    static func draw(_ grid: inout CellGrid, title: String, reason: String, username: String, pin: String, onPIN: Bool,
                     cover: Bool, theme: Theme) {
        if cover {
            // Nothing of the till shows while it is locked but the tab and status bars.
            grid.fill(x: 0, y: 1, width: grid.width, height: grid.height - 2, style: theme[.text])
        }
        let width = min(grid.width - 4, 64)
        let height = 9
        let x = (grid.width - width) / 2
        let y = max(1, (grid.height - height) / 2)
        grid.box(x: x, y: y, width: width, height: height, title: title, border: theme[.borderActive], titleStyle: theme[.title],
                 fill: theme[.overlay])
        // Two rows for the reason, wrapped between words.
        for (index, line) in WordWrap.lines(reason, width: width - 4).prefix(2).enumerated() {
            grid.put(line, x: x + 2, y: y + 2 + index, style: theme[.overlay], maxWidth: width - 4)
        }
        grid.put("User ", x: x + 2, y: y + 4, style: onPIN ? theme[.overlay] : theme[.key])
        grid.put(username + (onPIN ? "" : "▏"), x: x + 8, y: y + 4, style: theme[.input], maxWidth: width - 10)
        grid.put("PIN  ", x: x + 2, y: y + 5, style: onPIN ? theme[.key] : theme[.overlay])
        grid.put(String(repeating: "•", count: pin.count) + (onPIN ? "▏" : ""), x: x + 8, y: y + 5, style: theme[.input])
        grid.put("Enter next / sign in · Esc clear", x: x + 2, y: y + 7, style: theme[.muted], maxWidth: width - 4)
    }
}
