import TillCore

/// A terminal colour: the terminal's default, one of the 16 ANSI colours, or an index into the 256-colour table.
public enum TerminalColor: Hashable, Sendable {
    case terminalDefault
    case indexed(Int)

    public static let black = TerminalColor.indexed(0)
    public static let red = TerminalColor.indexed(1)
    public static let green = TerminalColor.indexed(2)
    public static let yellow = TerminalColor.indexed(3)
    public static let blue = TerminalColor.indexed(4)
    public static let magenta = TerminalColor.indexed(5)
    public static let cyan = TerminalColor.indexed(6)
    public static let white = TerminalColor.indexed(7)
}

/// How a cell looks: colours and attributes, already resolved from the theme.
public struct CellStyle: Hashable, Sendable {
    public var foreground: TerminalColor
    public var background: TerminalColor
    public var bold: Bool
    public var reverse: Bool
    public var underline: Bool
    public var dim: Bool

    public init(foreground: TerminalColor = .terminalDefault, background: TerminalColor = .terminalDefault,
                bold: Bool = false, reverse: Bool = false, underline: Bool = false, dim: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.reverse = reverse
        self.underline = underline
        self.dim = dim
    }

    public static let plain = CellStyle()
}

/// One screen position. A wide character fills its cell and marks the next as a continuation (width 0).
public struct Cell: Hashable, Sendable {
    public var text: String
    public var width: Int
    public var style: CellStyle

    public init(text: String = " ", width: Int = 1, style: CellStyle = .plain) {
        self.text = text
        self.width = width
        self.style = style
    }

    static let continuation = Cell(text: "", width: 0)
}

/// The whole frame in memory: what every view draws into and what the terminal adapter (or a test) reads.
public struct CellGrid: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// Whether any cell is not one column wide (a wide character or its continuation): until one is, plain
    /// ASCII text is written byte by byte with no neighbours to mend — most of every frame.
    private var hasWide = false

    public init(width: Int, height: Int, fill: CellStyle = .plain) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: Cell(style: fill), count: self.width * self.height)
    }

    public static func == (a: CellGrid, b: CellGrid) -> Bool {
        a.width == b.width && a.height == b.height && a.cells == b.cells
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set {
            if newValue.width != 1 { hasWide = true }
            cells[y * width + x] = newValue
        }
    }

    /// The printable ASCII characters as one-cell strings, made once.
    private static let asciiGlyphs: [String] = (0x20..<0x7F).map { String(UnicodeScalar(UInt8($0))) }

    /// Writes `text` at (x, y), never past column `x + maxWidth` nor the grid's edge; clipping is by display
    /// width. Returns the columns used. A wide character that would straddle the limit is left out.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: CellStyle, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let limit = min(width, x + (maxWidth ?? width))
        if !hasWide, DisplayWidth.isNarrow(text) {
            var column = x
            let base = y * width
            for scalar in text.unicodeScalars {
                if column + 1 > limit { break }
                if column >= 0 {
                    let glyph = scalar.value < 0x7F ? CellGrid.asciiGlyphs[Int(scalar.value &- 0x20)] : String(Character(scalar))
                    cells[base + column] = Cell(text: glyph, width: 1, style: style)
                }
                column += 1
            }
            return max(0, column - x)
        }
        var column = x
        for character in text {
            var w = DisplayWidth.of(character)
            var glyph = String(character)
            if w == 0 {
                // A control character becomes a visible placeholder; a lone combining mark joins nothing.
                if character.unicodeScalars.allSatisfy({ $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) }) {
                    glyph = "�"
                    w = 1
                } else {
                    continue
                }
            }
            if column + w > limit { break }
            if column >= 0 {
                clearWideNeighbours(x: column, y: y, width: w)
                self[column, y] = Cell(text: glyph, width: w, style: style)
                if w == 2 { self[column + 1, y] = Cell(text: "", width: 0, style: style) }
            }
            column += w
        }
        return max(0, column - x)
    }

    /// Fills a rectangle with spaces in `style`.
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, style: CellStyle) {
        for row in max(0, y)..<min(height, y + h) {
            for column in max(0, x)..<min(width, x + w) {
                self[column, row] = Cell(style: style)
            }
        }
    }

    /// Changes the style of existing cells (for highlighting a row) without touching their text.
    public mutating func restyle(x: Int, y: Int, width w: Int, style: CellStyle) {
        guard y >= 0, y < height else { return }
        for column in max(0, x)..<min(width, x + w) { cells[y * width + column].style = style }
    }

    /// Overwriting half of a wide character must not leave the other half on screen.
    private mutating func clearWideNeighbours(x: Int, y: Int, width w: Int) {
        if self[x, y].width == 0 && x > 0 && self[x - 1, y].width == 2 {
            self[x - 1, y] = Cell(style: self[x - 1, y].style)
        }
        let end = x + w - 1
        if end < width - 1 && self[end, y].width == 2 { self[end + 1, y] = Cell(style: self[end + 1, y].style) }
        if w == 2 && end < width && self[end, y].width == 2 && end + 1 < width {
            self[end + 1, y] = Cell(style: self[end + 1, y].style)
        }
    }

    /// The screen as plain text, one line per row, trailing spaces removed: what tests compare.
    public var text: String {
        (0..<height).map { line($0) }.joined(separator: "\n")
    }

    public func line(_ y: Int) -> String {
        var text = ""
        for x in 0..<width where self[x, y].width > 0 { text += self[x, y].text }
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }

    /// Runs of cells that differ from `previous`, per row: what the terminal adapter redraws.
    public func changes(since previous: CellGrid?) -> [(x: Int, y: Int, cells: ArraySlice<Cell>)] {
        guard let previous, previous.width == width, previous.height == height else {
            return (0..<height).map { (0, $0, cells[($0 * width)..<($0 * width + width)]) }
        }
        var runs: [(x: Int, y: Int, cells: ArraySlice<Cell>)] = []
        for y in 0..<height {
            var x = 0
            let base = y * width
            while x < width {
                guard cells[base + x] != previous.cells[base + x] else { x += 1; continue }
                var start = x
                // Start a run on a wide character's first half, so it is redrawn whole.
                if cells[base + start].width == 0 && start > 0 { start -= 1 }
                var end = x
                while end < width && cells[base + end] != previous.cells[base + end] { end += 1 }
                if end < width && cells[base + end].width == 0 { end += 1 }
                runs.append((start, y, cells[(base + start)..<(base + end)]))
                x = end
            }
        }
        return runs
    }
}
