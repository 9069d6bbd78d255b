import TillCore

enum ReportsReducer {
    static func reload(_ state: inout AppState) -> [Effect] {
        state.reports.problem = nil
        return [.loadReports]
    }

    static func key(_ state: inout AppState, _ key: Key, command: Command?) -> [Effect] {
        command == .refresh ? reload(&state) : []
    }

    static func reduce(_ state: inout AppState, _ action: Action) -> [Effect] {
        switch action {
        case let .reportsLoaded(data):
            state.reports.data = data
            state.reports.problem = nil
        case let .reportsRefused(reason):
            state.reports.data = nil
            state.reports.problem = reason
        default:
            break
        }
        return []
    }
}
