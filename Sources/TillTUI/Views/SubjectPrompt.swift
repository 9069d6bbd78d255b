import TillCore

/// A question about one thing, in a box over a list pane: the question names in full what it acts on (SKU,
/// name, location, the figure now) and ends with what is being typed; a muted line under it says what to type
/// and which keys answer. Nothing is cut: the question and the help wrap at spaces, and a long answer scrolls so
/// its end (where the typing happens) stays in view.
struct SubjectPrompt: Equatable, Sendable {
    var title: String
    var question: String
    var help: String
    var text: String
    /// False for a yes/no question (Enter or Esc): no typing line.
    var typing = true

    /// The box's rows for a width of `width` columns inside its border: the question's lines (the last one
    /// followed by the typing when at least `answerRoom` columns are left, else the typing on a line of its own),
    /// then the help's lines.
    func lines(width: Int) -> (question: [String], answerOnOwnLine: Bool, help: [String]) {
        let question = SubjectPrompt.wrap(self.question, width: width)
        let last = question.last.map { DisplayWidth.of($0) } ?? 0
        return (question, typing && width - last < SubjectPrompt.answerRoom, SubjectPrompt.wrap(help, width: width))
    }

    static let answerRoom = 14

    /// Word wrap at spaces; a single word wider than the line (a very long code) is the only thing ever broken.
    /// A question's trailing space is kept so the typing starts one column after it.
    static func wrap(_ text: String, width: Int) -> [String] {
        let width = max(1, width)
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
            var word = word
            let needed = line.isEmpty ? DisplayWidth.of(word) : DisplayWidth.of(line) + 1 + DisplayWidth.of(word)
            if needed <= width {
                line = line.isEmpty ? word : line + " " + word
                continue
            }
            if !line.isEmpty { lines.append(line) }
            line = ""
            while DisplayWidth.of(word) > width {
                var head = ""
                for character in word where DisplayWidth.of(head + String(character)) <= width { head.append(character) }
                lines.append(head)
                word.removeFirst(head.count)
            }
            line = word
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        if text.hasSuffix(" "), let last = lines.indices.last, DisplayWidth.of(lines[last]) < width { lines[last] += " " }
        return lines
    }
}

extension CellGrid {
    /// Draws the prompt across the list pane `area`, at its bottom, or at its top when the bottom would hide the
    /// selected row (screen row `keepVisible`), so the row acted on stays in sight.
    mutating func subjectPrompt(_ prompt: SubjectPrompt, in area: Rect, keepVisible: Int?, theme: Theme) {
        let width = area.width - 2
        let textWidth = width - 4
        let (question, ownLine, help) = prompt.lines(width: textWidth)
        let height = min(area.height - 2, question.count + (ownLine ? 1 : 0) + help.count + 2)
        let bottomY = area.y + area.height - 1 - height
        let topY = area.y + 1
        let y = keepVisible.map { $0 >= bottomY ? topY : bottomY } ?? bottomY
        box(x: area.x + 1, y: y, width: width, height: height, title: prompt.title, border: theme[.borderActive],
            titleStyle: theme[.title], fill: theme[.overlay])
        let x = area.x + 3
        var row = y + 1
        for (index, line) in question.enumerated() {
            let used = put(line, x: x, y: row, style: theme[.key])
            if index == question.count - 1 && !ownLine && prompt.typing { answer(prompt.text, x: x + used, y: row, room: textWidth - used, theme: theme) }
            row += 1
        }
        if ownLine {
            answer(prompt.text, x: x, y: row, room: textWidth, theme: theme)
            row += 1
        }
        for line in help where row < y + height - 1 {
            put(line, x: x, y: row, style: theme[.muted])
            row += 1
        }
    }

    private mutating func answer(_ text: String, x: Int, y: Int, room: Int, theme: Theme) {
        var shown = text
        while !shown.isEmpty && DisplayWidth.of(shown) > room - 1 { shown.removeFirst() }
        let used = put(shown, x: x, y: y, style: theme[.input])
        put("▏", x: x + used, y: y, style: theme[.input], maxWidth: 1)
    }
}
