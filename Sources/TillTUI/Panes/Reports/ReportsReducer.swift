import TillCore

enum ReportsReducer {
    static func reload(_ state: inout AppState) -> [Effect] {
        state.reports.problem = nil
        return [.loadReports]
    }

    static func key(_ state: inout AppState, _ key: Key, command: Command?) -> [Effect] {
        if let prompt = state.reports.prompt {
            switch command {
            case .back:
                state.reports.prompt = nil
                state.reports.input = ""
            case .confirm:
                let text = state.reports.input.trimmingCharacters(in: .whitespaces)
                state.reports.prompt = nil
                state.reports.input = ""
                guard !text.isEmpty else { return [] }
                return [.drawer(prompt, text)]
            default:
                if let edited = SearchField.edit(state.reports.input, with: key) { state.reports.input = String(edited.prefix(200)) }
            }
            return []
        }
        switch command {
        case .refresh: return reload(&state)
        case .back: state.reports.panel = nil
        case .openShift: state.reports.prompt = .openShift
        case .closeShift: state.reports.prompt = .closeShift
        case .noSale: state.reports.prompt = .noSale
        case .xReport: return [.loadXReport]
        default: break
        }
        return []
    }

    static func reduce(_ state: inout AppState, _ action: Action) -> [Effect] {
        switch action {
        case let .reportsLoaded(data):
            state.reports.data = data
            state.reports.problem = nil
        case let .reportsRefused(reason):
            state.reports.data = nil
            state.reports.problem = reason
        case let .reportPanel(lines, message):
            state.reports.panel = lines
            state.message = message
            return [.loadReports]
        default:
            break
        }
        return []
    }
}
