/// Up/Down/PgUp/PgDn/Home on a list, shared by every list pane.
enum ListKeys {
    /// Moves the selection for a movement command; returns whether the command was one, and the page to load.
    static func move<Row>(_ list: inout ListWindow<Row>, _ command: Command?, visible: Int) -> (handled: Bool, load: ListLoad?) {
        switch command {
        case .moveUp: return (true, list.move(by: -1, visible: visible))
        case .moveDown: return (true, list.move(by: 1, visible: visible))
        case .pageUp: return (true, list.move(by: -visible, visible: visible))
        case .pageDown: return (true, list.move(by: visible, visible: visible))
        case .home: return (true, list.move(by: -list.selected, visible: visible))
        default: return (false, nil)
        }
    }
}
