import TillCore

enum SettingsReducer {
    static func open(_ state: inout AppState) -> [Effect] {
        state.settings = SettingsState()
        return [.settings(.load)]
    }

    static func key(_ state: inout AppState, _ key: Key, command: Command?) -> [Effect] {
        guard var settings = state.settings else { return [] }
        if let prompt = settings.prompt {
            var effects: [Effect] = []
            switch command {
            case .back:
                settings.prompt = nil
                settings.input = ""
            case .confirm:
                let text = settings.input.trimmingCharacters(in: .whitespaces)
                settings.prompt = nil
                settings.input = ""
                effects = submit(prompt, text, &state)
            default:
                if case .confirmArchive = prompt { break }
                if let edited = SearchField.edit(settings.input, with: key, field: "The answer", message: &state.message) {
                    settings.input = String(edited.prefix(200))
                }
            }
            state.settings = settings
            return effects
        }
        switch command {
        case .back:
            state.settings = nil
            return []
        case .moveUp: settings.selected = max(0, settings.selected - 1)
        case .moveDown: settings.selected = min(max(0, settings.classes.count - 1), settings.selected + 1)
        case .refresh:
            state.settings = settings
            return [.settings(.load)]
        case .addTaxClass: if settings.problem == nil && !settings.loading { settings.prompt = .addClass }
        case .setTaxRate: if let chosen = settings.selectedClass { settings.prompt = .setRate(code: chosen.code) }
        case .archiveTaxClass: if let chosen = settings.selectedClass { settings.prompt = .confirmArchive(code: chosen.code) }
        default: break
        }
        state.settings = settings
        return []
    }

    /// Splits what was typed into the fields TillCore checks; the checking is TillCore's.
    private static func submit(_ prompt: SettingsPrompt, _ text: String, _ state: inout AppState) -> [Effect] {
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        switch prompt {
        case .addClass:
            guard words.count >= 3 else {
                state.message = .error("Type the code, the rate and the name, e.g. books 7 Books and papers.")
                return []
            }
            return [.settings(.addClass(code: words[0], name: words[2...].joined(separator: " "), rate: words[1]))]
        case let .setRate(code):
            guard words.count == 1 || words.count == 2 else {
                state.message = .error("Type the rate, and a day it applies from if not now, e.g. 21 2027-01-01.")
                return []
            }
            return [.settings(.setRate(code: code, rate: words[0], from: words.count == 2 ? words[1] : nil))]
        case let .confirmArchive(code):
            return [.settings(.archive(code: code))]
        }
    }

    static func reduce(_ state: inout AppState, _ action: Action) -> [Effect] {
        // An answer for an overlay the user has already closed is dropped.
        guard var settings = state.settings else { return [] }
        switch action {
        case let .taxClassesLoaded(classes, message):
            settings.classes = classes
            settings.selected = min(settings.selected, max(0, classes.count - 1))
            settings.problem = nil
            settings.loading = false
            if let message { state.message = message }
        case let .settingsRefused(reason):
            settings.classes = []
            settings.problem = reason
            settings.loading = false
        default:
            break
        }
        state.settings = settings
        return []
    }
}
