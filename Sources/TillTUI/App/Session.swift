import TillCore

/// The sign-in screen: at start (unless TILL_USER and TILL_PIN signed in already), after the idle time, and on
/// Ctrl-L to switch user. The sale in progress stays as it is underneath.
public struct SignInState: Equatable, Sendable {
    public var reason: String
    public var username = ""
    public var pin = ""
    public var onPIN = false

    public init(reason: String) { self.reason = reason }
}

/// A manager's PIN asked for inline, for a change the signed-in cashier may not make alone.
public struct ApprovalState: Equatable, Sendable {
    public var reason: String
    public var change: CartChange
    public var username = ""
    public var pin = ""
    public var onPIN = false
    /// Why the last try was refused; the box stays open (the change still pending) for another.
    public var error: String?
}

/// User name and PIN typing, shared by sign-in and approval.
struct CredentialsField {
    /// `refused`: the user name held a card number and was emptied (`CardNumberGuard`).
    enum Outcome { case editing, submit, cancel, refused }

    /// `command` from `KeyBindings.signIn` / `.approval`; nil for a typed character or Backspace.
    static func handle(_ key: Key, command: Command?, username: inout String, pin: inout String, onPIN: inout Bool) -> Outcome {
        switch command {
        case .back:
            if onPIN || !username.isEmpty {
                username = ""
                pin = ""
                onPIN = false
                return .editing
            }
            return .cancel
        case .nextField:
            if !username.isEmpty { onPIN = true }
        case .previousField:
            onPIN = false
        case .confirm:
            if !onPIN {
                if !username.isEmpty { onPIN = true }
            } else if !pin.isEmpty {
                return .submit
            }
        case nil:
            switch key {
            case .backspace:
                if onPIN { if !pin.isEmpty { pin.removeLast() } } else if !username.isEmpty { username.removeLast() }
            case let .character(c):
                if onPIN {
                    if c.isASCII && c.isNumber && pin.count < 8 { pin.append(c) }
                } else if (c.isLetter || c.isNumber || ".-_".contains(c)) && username.count < 32 {
                    username.append(c)
                    if CardNumberGuard.containsCardNumber(username) {
                        username = ""
                        return .refused
                    }
                }
            default:
                break
            }
        default:
            break
        }
        return .editing
    }
}

enum SessionReducer {
    static func signInKey(_ state: inout AppState, _ key: Key, command: Command?) -> [Effect] {
        guard var form = state.signIn else { return [] }
        if command == .quit {
            if state.register.isSaleInProgress { state.confirmingQuit = true } else { state.shouldQuit = true }
            return []
        }
        switch CredentialsField.handle(key, command: command, username: &form.username, pin: &form.pin, onPIN: &form.onPIN) {
        case .submit:
            let effect = Effect.signIn(username: form.username, pin: form.pin)
            form.pin = ""
            state.signIn = form
            state.message = .info("Checking…")
            return [effect]
        case .cancel, .editing:
            state.signIn = form
            return []
        case .refused:
            state.signIn = form
            state.message = SearchField.refusal(field: "The user name")
            return []
        }
    }

    static func approvalKey(_ state: inout AppState, _ key: Key, command: Command?) -> [Effect] {
        guard var form = state.approval else { return [] }
        switch CredentialsField.handle(key, command: command, username: &form.username, pin: &form.pin, onPIN: &form.onPIN) {
        case .submit:
            // The box stays until the answer: a refusal keeps the change and the user name for another try.
            let effect = Effect.approveChange(form.change, username: form.username, pin: form.pin)
            form.pin = ""
            form.error = nil
            state.approval = form
            return [effect]
        case .cancel:
            state.approval = nil
            state.message = .info("Not approved; nothing changed.")
        case .editing:
            state.approval = form
        case .refused:
            state.approval = form
            state.message = SearchField.refusal(field: "The user name")
        }
        return []
    }

    static func reduce(_ state: inout AppState, _ action: Action) -> [Effect] {
        switch action {
        case let .approvalNeeded(reason, change):
            state.approval = ApprovalState(reason: reason, change: change)
            state.message = .error("Manager approval needed: type the manager's user name and PIN, or Esc.")
        case let .approvalFailed(message):
            state.approval?.error = message
            state.message = .error(message)
        case let .approvalGranted(cart, message, select):
            state.approval = nil
            return RegisterReducer.reduce(&state, .cartLoaded(cart, message: message, select: select))
        case let .signedIn(staffID, label):
            state.store.staffID = staffID
            state.store.staff = label
            state.signIn = nil
            state.message = .info("Signed in as \(label).")
            return state.pane == .reports ? ReportsReducer.reload(&state) : []
        case let .signInFailed(message):
            state.message = .error(message)
        case .idle:
            guard state.signIn == nil, state.store.staffID != nil else { return [] }
            state.approval = nil
            state.showingHelp = false
            state.signIn = SignInState(reason: "Locked after \(state.store.idleLockMinutes) minutes without a key. Sign in to go on.")
        default:
            break
        }
        return []
    }
}
