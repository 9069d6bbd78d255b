import TillCore

enum ReportsReducer {
    static func reload(_ state: inout AppState) -> [Effect] {
        state.reports.problem = nil
        // A report panel is a snapshot: on coming back (after sales, say) the figures underneath are reloaded
        // and the old panel must not stand over them.
        state.reports.panel = nil
        state.reports.panelTop = 0
        return [.loadReports]
    }

    static func key(_ state: inout AppState, _ key: Key, command: Command?) -> [Effect] {
        if let prompt = state.reports.prompt { return promptKey(&state, prompt: prompt, key: key, command: command) }
        switch command {
        case .refresh: return reload(&state)
        case .back:
            state.reports.panel = nil
        case .openShift: state.reports.prompt = .openShift
        case .closeShift: state.reports.prompt = .closeShift
        case .noSale: askWithShift(&state, .noSale, doing: "open the drawer")
        case .payIn: askWithShift(&state, .payIn, doing: "pay cash in")
        case .payOut: askWithShift(&state, .payOut, doing: "pay cash out")
        case .zReport:
            // The day is named from the figures loaded; TillCore decides whether it may be closed.
            state.reports.prompt = .confirmZ(day: state.reports.data?.businessDay ?? "open now")
        case .xReport: return [.loadXReport]
        case .exceptionsReport: return [.loadExceptions]
        default: break
        }
        return []
    }

    /// Drawer moves need the open shift: say so before asking for an amount or a reason nobody can use.
    private static func askWithShift(_ state: inout AppState, _ prompt: DrawerPrompt, doing: String) {
        if let data = state.reports.data, data.shift == nil {
            // TillCore's own wording names the CLI too and does not fit the status line; here o is one key away.
            state.message = .error("No shift open on register \(state.store.register): press o first to \(doing).")
            return
        }
        state.reports.prompt = prompt
    }

    private static func promptKey(_ state: inout AppState, prompt: DrawerPrompt, key: Key, command: Command?) -> [Effect] {
        switch command {
        case .back:
            state.reports.prompt = nil
            state.reports.input = ""
            state.message = .info(prompt.question == nil ? "Cancelled; nothing recorded." : "The day stays open.")
        case .confirm:
            let text = state.reports.input.trimmingCharacters(in: .whitespaces)
            switch prompt {
            case .confirmZ:
                state.reports.prompt = nil
                state.message = .info("Closing the business day…")
                return [.closeDay]
            case .payIn, .payOut:
                guard !text.isEmpty else {
                    state.message = .error("Type the amount first (e.g. 12.50), or Esc to cancel.")
                    return []
                }
                do {
                    let amount = try MoneyParser(currency: state.store.currency).parse(text)
                    guard amount.minorUnits > 0 else { throw TillError.invalidAmount(text, reason: "must be above zero") }
                    state.reports.prompt = .cashReason(prompt == .payIn ? .payIn : .payOut, amount: amount.minorUnits)
                    state.reports.input = ""
                } catch {
                    state.message = .error("\(error)")
                }
                return []
            default:
                // An empty answer keeps the question open: closing it would let the next letters act as keys.
                guard !text.isEmpty else {
                    state.message = .error("Type \(prompt.asksReason ? "why (e.g. change for a customer)" : "the amount") first, or Esc to cancel.")
                    return []
                }
                state.reports.prompt = nil
                state.reports.input = ""
                return [.drawer(prompt, text)]
            }
        default:
            if prompt.question == nil,
               let edited = SearchField.edit(state.reports.input, with: key, field: "The answer", message: &state.message) {
                state.reports.input = String(edited.prefix(200))
            }
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
            state.reports.panelTop = 0
            state.message = message
            return [.loadReports]
        default:
            break
        }
        return []
    }
}
