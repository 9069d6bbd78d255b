/// The HQ app's keys, as data per context (as the store app's `KeyBindings`): the reducer looks a key up here,
/// the footer and the help box are drawn from the same table, so what is shown is what works. Letters and
/// digits that no binding takes are typed into the pane's search.
public enum HQCommand: Equatable, Sendable {
    case pane(HQAppState.Pane)
    case nextPane
    case up, down, pageUp, pageDown, home, end
    case open
    case close
    case refresh
    case help
    case quit
}

public struct HQKeyBinding: Equatable, Sendable {
    public var key: Key
    public var command: HQCommand
    /// What the footer says; nil keeps a binding out of the footer (arrows, say) but not out of help.
    public var label: String?
    public var help: String
}

public enum HQKeyContext: String, Equatable, Sendable {
    case ordersList, orderDetail, stock, help
}

public enum HQKeyBindings {
    static let shared: [HQKeyBinding] = [
        HQKeyBinding(key: .function(1), command: .pane(.orders), label: "Orders", help: "the Orders pane"),
        HQKeyBinding(key: .function(2), command: .pane(.stock), label: "Stock", help: "stock across stores"),
        HQKeyBinding(key: .tab, command: .nextPane, label: nil, help: "the other pane"),
        HQKeyBinding(key: .control("q"), command: .quit, label: "quit", help: "leave the app"),
        HQKeyBinding(key: .function(12), command: .help, label: "help", help: "these keys"),
        HQKeyBinding(key: .control("r"), command: .refresh, label: "refresh", help: "ask HQ again"),
    ]

    static let list: [HQKeyBinding] = [
        HQKeyBinding(key: .up, command: .up, label: nil, help: "the row above"),
        HQKeyBinding(key: .down, command: .down, label: nil, help: "the row below"),
        HQKeyBinding(key: .pageUp, command: .pageUp, label: nil, help: "a page up"),
        HQKeyBinding(key: .pageDown, command: .pageDown, label: nil, help: "a page down"),
        HQKeyBinding(key: .home, command: .home, label: nil, help: "the first row"),
        HQKeyBinding(key: .end, command: .end, label: nil, help: "the last row"),
    ]

    public static func bindings(_ context: HQKeyContext) -> [HQKeyBinding] {
        switch context {
        case .ordersList:
            return [HQKeyBinding(key: .enter, command: .open, label: "open", help: "the selected order, read-only"),
                    HQKeyBinding(key: .escape, command: .close, label: "clear", help: "clear the search")] + list + shared
        case .orderDetail:
            return [HQKeyBinding(key: .escape, command: .close, label: "back", help: "back to the list"),
                    HQKeyBinding(key: .enter, command: .close, label: nil, help: "back to the list")] + shared
        case .stock:
            return [HQKeyBinding(key: .escape, command: .close, label: "clear", help: "clear the search")] + list + shared
        case .help:
            return [HQKeyBinding(key: .escape, command: .close, label: "close", help: "close this help"),
                    HQKeyBinding(key: .function(12), command: .close, label: nil, help: "close this help"),
                    HQKeyBinding(key: .control("q"), command: .quit, label: "quit", help: "leave the app")]
        }
    }

    public static func context(_ state: HQAppState) -> HQKeyContext {
        if state.showingHelp { return .help }
        switch state.pane {
        case .orders: return state.orders.detail == nil ? .ordersList : .orderDetail
        case .stock: return .stock
        }
    }

    static func command(for key: Key, in context: HQKeyContext) -> HQCommand? {
        bindings(context).first { $0.key == key }?.command
    }
}
