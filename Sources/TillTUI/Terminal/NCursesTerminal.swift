@preconcurrency import CNCurses
import Foundation
import TillCore

/// The one place Till talks to ncurses: start-up and restore, drawing a frame diff, reading keys, resizes.
public final class NCursesTerminal: Terminal {
    private var screen: OpaquePointer?
    private var stopped = false
    private var colorCount = 0
    private var pairs: [PairKey: Int16] = [:]

    private struct PairKey: Hashable {
        var foreground: TerminalColor
        var background: TerminalColor
    }

    /// Takes over the terminal. Refuses, with a message Till prints, when there is no usable terminal.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw TillError.invalid("the full-screen app needs a terminal (standard input and output are not a TTY); use `till --help` for the commands scripts can run")
        }
        let term = environment["TERM"] ?? ""
        guard !term.isEmpty, term != "dumb" else {
            throw TillError.invalid("the full-screen app needs a terminal that can move the cursor (TERM=\(term.isEmpty ? "unset" : term)); try TERM=xterm-256color")
        }
        setlocale(LC_ALL, "")
        guard let output = fdopen(STDOUT_FILENO, "w"), let input = fdopen(STDIN_FILENO, "r"),
              let screen = newterm(nil, output, input) else {
            throw TillError.invalid("the terminal type \"\(term)\" is unknown to ncurses; try TERM=xterm-256color")
        }
        self.screen = screen
        set_term(screen)
        raw()
        noecho()
        keypad(cn_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        if has_colors() {
            start_color()
            use_default_colors()
            colorCount = Int(cn_colors())
        }
        wclear(cn_stdscr())
    }

    deinit { stop() }

    public var size: ScreenSize { ScreenSize(width: Int(cn_cols()), height: Int(cn_lines())) }

    public func stop() {
        guard !stopped else { return }
        stopped = true
        curs_set(1)
        endwin()
        if let screen { delscreen(screen) }
        screen = nil
    }

    public func draw(_ grid: CellGrid, previous: CellGrid?) {
        let window = cn_stdscr()
        if previous == nil { wclear(window) }
        for run in grid.changes(since: previous) {
            var x = run.x
            var segment: [wchar_t] = []
            var segmentStyle: CellStyle?
            var segmentX = x
            func flush() {
                guard let style = segmentStyle, !segment.isEmpty else { return }
                apply(style, to: window)
                segment.withUnsafeBufferPointer { buffer in
                    _ = mvwaddnwstr(window, Int32(run.y), Int32(segmentX), buffer.baseAddress, Int32(buffer.count))
                }
                segment.removeAll(keepingCapacity: true)
            }
            for cell in run.cells {
                defer { x += 1 }
                guard cell.width > 0 else { continue }
                if cell.style != segmentStyle {
                    flush()
                    segmentStyle = cell.style
                    segmentX = x
                }
                segment.append(contentsOf: cell.text.unicodeScalars.map { wchar_t(bitPattern: $0.value) })
            }
            flush()
        }
        wnoutrefresh(window)
        doupdate()
    }

    private func apply(_ style: CellStyle, to window: UnsafeMutablePointer<WINDOW>?) {
        let fitted = ColorDegrade.fit(style, colors: colorCount)
        var attributes = cn_a_normal()
        if fitted.bold { attributes |= cn_a_bold() }
        if fitted.reverse { attributes |= cn_a_reverse() }
        if fitted.underline { attributes |= cn_a_underline() }
        if fitted.dim { attributes |= cn_a_dim() }
        wattr_set(window, attributes, colorCount >= 8 ? pair(fitted.foreground, fitted.background) : 0, nil)
    }

    private func pair(_ foreground: TerminalColor, _ background: TerminalColor) -> Int16 {
        if foreground == .terminalDefault && background == .terminalDefault { return 0 }
        let key = PairKey(foreground: foreground, background: background)
        if let known = pairs[key] { return known }
        let next = Int16(pairs.count + 1)
        guard Int32(next) < cn_color_pairs() else { return 0 }
        func number(_ color: TerminalColor) -> Int16 {
            if case let .indexed(index) = color { return Int16(index) }
            return -1
        }
        init_pair(next, number(foreground), number(background))
        pairs[key] = next
        return next
    }

    public func readEvents(timeoutMilliseconds: Int, wake: Int32) -> [TerminalEvent] {
        let window = cn_stdscr()
        var events: [TerminalEvent] = []
        // Wait on the keyboard and the effects' wake pipe together; a resize (SIGWINCH) interrupts the wait too.
        // ncurses may hold keys it has read already, so it is always asked once, without waiting, afterwards.
        var waits = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)]
        if wake >= 0 { waits.append(pollfd(fd: wake, events: Int16(POLLIN), revents: 0)) }
        _ = poll(&waits, nfds_t(waits.count), Int32(timeoutMilliseconds))
        wtimeout(window, 0)
        while true {
            var character: wint_t = 0
            let result = wget_wch(window, &character)
            if result == ERR { break }
            if result == KEY_CODE_YES {
                if Int32(character) == KEY_RESIZE {
                    events.append(.resized(size))
                } else if let key = functionKey(Int32(character)) {
                    events.append(.key(key))
                }
            } else if let key = characterKey(UInt32(character)) {
                events.append(.key(key))
            }
            // Whatever else is already waiting (the rest of a scan, a paste) comes in the same burst.
            wtimeout(window, 0)
        }
        return events
    }

    private func functionKey(_ code: Int32) -> Key? {
        for n in 1...24 where code == cn_key_f(Int32(n)) { return .function(n) }
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_ENTER: return .enter
        case KEY_BTAB: return .backTab
        default: return nil
        }
    }

    private func characterKey(_ value: UInt32) -> Key? {
        switch value {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .control(Character(Unicode.Scalar(value + 96) ?? "?"))
        default:
            guard let scalar = Unicode.Scalar(value), value >= 0x20 else { return nil }
            return .character(Character(scalar))
        }
    }
}
