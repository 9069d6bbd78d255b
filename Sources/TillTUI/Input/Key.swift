/// A key press, after the terminal adapter has decoded it. Reducers see only these, never raw codes.
public enum Key: Hashable, Sendable, CustomStringConvertible {
    case character(Character)
    case enter
    case escape
    case backspace
    case delete
    case tab
    case backTab
    case up, down, left, right
    case home, end, pageUp, pageDown
    case function(Int)
    /// Ctrl plus a letter, lower-cased: `.control("q")`.
    case control(Character)

    public var description: String {
        switch self {
        case let .character(c): return c == " " ? "Space" : String(c)
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .backspace: return "Backspace"
        case .delete: return "Del"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .home: return "Home"
        case .end: return "End"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case let .function(n): return "F\(n)"
        case let .control(c): return "Ctrl-\(String(c).uppercased())"
        }
    }

    /// Decodes the names tests and scripts use: "F2", "Enter", "Ctrl-Q", "a".
    public init?(name: String) {
        switch name.lowercased() {
        case "enter", "return": self = .enter
        case "esc", "escape": self = .escape
        case "backspace", "bs": self = .backspace
        case "del", "delete": self = .delete
        case "tab": self = .tab
        case "shift-tab", "btab": self = .backTab
        case "up": self = .up
        case "down": self = .down
        case "left": self = .left
        case "right": self = .right
        case "home": self = .home
        case "end": self = .end
        case "pgup", "pageup": self = .pageUp
        case "pgdn", "pagedown": self = .pageDown
        case "space": self = .character(" ")
        default:
            let lower = name.lowercased()
            if lower.hasPrefix("f"), let n = Int(lower.dropFirst()), (1...24).contains(n) {
                self = .function(n)
            } else if lower.hasPrefix("ctrl-"), lower.count == 6, let c = lower.last {
                self = .control(c)
            } else if name.count == 1, let c = name.first {
                self = .character(c)
            } else {
                return nil
            }
        }
    }
}
