import TillCore

/// Keys while long work runs (a card waiting for the customer): Esc asks it to stop, help and quit still work,
/// and anything else is told to wait — never applied to a screen that is about to change under it.
enum WorkingReducer {
    static func key(_ state: inout AppState, _ key: Key, command: Command?, work: RunningEffect) -> [Effect] {
        switch command {
        case .cancelWork:
            guard work.cancellable else {
                state.message = .info("\(work.progress) It cannot be stopped now; it ends in a moment.")
                return []
            }
            guard !work.cancelRequested else {
                state.message = .info("Already asked to cancel; waiting for the answer.")
                return []
            }
            if let index = state.running.firstIndex(where: { $0.id == work.id }) {
                state.running[index].cancelRequested = true
                state.running[index].progress = "Cancelling… (a card already presented is charged and kept)"
            }
            return [.cancelRunning(id: work.id)]
        case .customerApproves, .customerDeclines, .customerHasNoFunds, .customerCancels, .readerAnswerLost:
            let action: SimulatedCustomerAction
            switch command {
            case .customerApproves: action = .approve
            case .customerDeclines: action = .decline(code: "generic_decline")
            case .customerHasNoFunds: action = .decline(code: "insufficient_funds")
            case .customerCancels: action = .cancel
            default: action = .loseAnswer
            }
            if let index = state.running.firstIndex(where: { $0.id == work.id }) {
                state.running[index].progress = "Card: the customer has answered on the reader — processing…"
            }
            return [.presentToReader(action)]
        case .help:
            state.showingHelp = true
        case .quit:
            // Quitting now would leave the answer unheard; the sale in progress asks first, as always.
            state.confirmingQuit = true
        default:
            state.message = .info(KeyBindings.active(state).noSuchKey(key))
        }
        return []
    }

    static func reduce(_ state: inout AppState, _ action: Action) -> [Effect] {
        switch action {
        case let .effectStarted(work):
            state.running.append(work)
        case let .effectProgress(id, text):
            if let index = state.running.firstIndex(where: { $0.id == id }), !state.running[index].cancelRequested {
                state.running[index].progress = text
            }
        case let .effectFinished(id):
            state.running.removeAll { $0.id == id }
        default:
            break
        }
        return []
    }
}
