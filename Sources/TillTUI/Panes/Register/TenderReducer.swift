import TillCore

/// The tender screen: cash (exact, typed or a quick amount), card on the register's reader, store credit, split
/// across them. Till never takes a card number: the customer taps or inserts on the reader.
enum TenderReducer {
    static func key(_ state: inout AppState, _ key: Key, command: Command?) -> [Effect] {
        guard var tender = state.register.tender, let cart = state.register.cart else {
            state.register.tender = nil
            return []
        }
        if tender.readingCredit {
            switch (command, key) {
            case (.back, _):
                tender.readingCredit = false
                tender.creditCode = ""
            case (.confirm, _):
                guard !tender.creditCode.isEmpty else { break }
                tender.paying = true
                state.register.tender = tender
                return [.payCredit(cartID: cart.id, code: tender.creditCode, amount: tender.creditAmount)]
            case (nil, .backspace):
                if !tender.creditCode.isEmpty { tender.creditCode.removeLast() }
            case let (nil, .character(c)) where c.isLetter || c.isNumber || c == "-":
                if tender.creditCode.count < 32 { tender.creditCode.append(c) }
                // A gift card's code is not its card number: one typed here is dropped at once, never kept.
                if CardNumberGuard.containsCardNumber(tender.creditCode) {
                    tender.creditCode = ""
                    state.message = SearchField.refusal(field: "The store credit code")
                }
            default:
                break
            }
            state.register.tender = tender
            return []
        }
        var effects: [Effect] = []
        switch command {
        case .back:
            if cart.paid > 0 {
                if tender.confirmingCancel {
                    effects = [.cancelPayments(cartID: cart.id)]
                    tender.confirmingCancel = false
                } else {
                    tender.confirmingCancel = true
                    state.message = .error("Payments were taken. Esc again cancels them (card parts are voided); any other key keeps them.")
                }
                state.register.tender = tender
                return effects
            }
            state.register.tender = nil
            return []
        case .tenderCash:
            guard let handed = amount(tender.amount, state: &state) else { break }
            effects = [.payCash(cartID: cart.id, handed: handed.isZero ? nil : handed.minorUnits)]
        case .tenderCard:
            guard let part = amount(tender.amount, state: &state) else { break }
            if part.minorUnits > cart.due {
                state.message = .error("The card part is more than the \(state.money(cart.due)) due.")
                break
            }
            guard state.store.cardReader != nil else {
                state.message = .error("Register \(state.store.register) has no card reader paired (till terminal pair \(state.store.register) READER-ID); take cash or store credit.")
                break
            }
            tender.amount = ""
            tender.cardAmount = part.isZero ? cart.due : part.minorUnits
            state.register.tender = tender
            return [.payCard(cartID: cart.id, amount: part.isZero ? nil : part.minorUnits)]
        case .tenderCredit:
            guard let part = amount(tender.amount, state: &state) else { break }
            if part.minorUnits > cart.due {
                state.message = .error("The store credit part is more than the \(state.money(cart.due)) due.")
                break
            }
            tender.creditAmount = part.isZero ? nil : part.minorUnits
            tender.readingCredit = true
            state.message = .info("Store credit: scan or type the slip or gift card code, then Enter.")
        case .tenderPoints:
            guard let part = amount(tender.amount, state: &state) else { break }
            if part.minorUnits > cart.due {
                state.message = .error("The points part is more than the \(state.money(cart.due)) due.")
                break
            }
            tender.amount = ""
            tender.paying = true
            state.register.tender = tender
            return [.payPoints(cartID: cart.id, amount: part.isZero ? nil : part.minorUnits)]
        case .quickCash1, .quickCash2, .quickCash3:
            let quick = quickAmounts(due: cart.due, currency: state.store.currency)
            let index = command == .quickCash1 ? 0 : command == .quickCash2 ? 1 : 2
            if quick.indices.contains(index) { effects = [.payCash(cartID: cart.id, handed: quick[index])] }
        default:
            tender.confirmingCancel = false
            var refused: StatusMessage?
            let edited = SearchField.edit(tender.amount, with: key, field: "The amount", message: &refused)
            if let refused {
                tender.amount = ""
                state.message = refused
            } else if let text = edited, text.allSatisfy({ $0.isNumber || $0 == "." || $0 == "," }) {
                tender.amount = text
            }
        }
        // Cash on its way: hold what is typed next until it answers (the card flow keeps its own).
        if effects.contains(where: { if case .payCash = $0 { return true } else { return false } }) { tender.paying = true }
        state.register.tender = tender
        return effects
    }

    /// The typed amount, zero when nothing is typed, or nil (with a message) when it does not parse.
    private static func amount(_ text: String, state: inout AppState) -> Money? {
        guard !text.isEmpty else { return .zero(state.store.currency) }
        do {
            return try MoneyParser(currency: state.store.currency).parse(text)
        } catch {
            state.message = .error("\(error)")
            return nil
        }
    }

    /// Three amounts the customer is likely to hand over for what is due: TillCore's rule, from the currency's
    /// notes and coins.
    static func quickAmounts(due: Int64, currency: Currency) -> [Int64] {
        Denominations.quickCash(due: due, currency: currency, count: 3)
    }
}
