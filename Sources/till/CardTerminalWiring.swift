import Foundation
import TillCore
import TillStripe

/// Builds the card reader a register is paired with: the simulated one (its customer set by
/// `TILL_SIM_CUSTOMER` and `TILL_SIM_CARD_DELAY_MS`), or a Stripe reader with the API key from the
/// environment or the 0600 config file. Wiring only: every rule about taking a card is in TillCore.
enum CardTerminalWiring {
    /// The register's reader, nil when none is paired. `interactive`: the app, where the cashier plays the
    /// simulated customer unless `TILL_SIM_CUSTOMER` says what every customer does.
    static func terminal(register: String, store: StoreDatabase, environment: [String: String], interactive: Bool)
        throws -> (terminal: CardTerminal, customer: SimulatedCustomer?)? {
        guard let pairing = try CardReaders(store: store).pairing(for: register) else { return nil }
        switch pairing.kind {
        case .simulated:
            let customer = try simulatedCustomer(environment: environment, interactive: interactive)
            return (SimulatedTerminal(store: store, readerID: pairing.readerID, customer: customer), customer)
        case .stripe:
            return (stripe(readerID: pairing.readerID, environment: environment), nil)
        }
    }

    /// Every processor this machine can reach, for refunds and voids of payments any register's reader took.
    static func processors(store: StoreDatabase, environment: [String: String]) -> @Sendable (CardTerminalKind) -> CardTerminal? {
        { kind in
            switch kind {
            case .simulated: return SimulatedTerminal(store: store, readerID: "sim-processor")
            case .stripe:
                // A refund or a look-up needs the account, not a reader: any of the store's Stripe readers will do.
                let reader = (try? CardReaders(store: store).list().first { $0.kind == .stripe }?.readerID) ?? nil
                return stripe(readerID: reader ?? "tmr_none_paired", environment: environment)
            }
        }
    }

    /// A Stripe reader with the key from the environment or the 0600 config file; without one, a terminal that
    /// says where the key goes (cash keeps working).
    static func stripe(readerID: String, environment: [String: String]) -> CardTerminal {
        do {
            let configuration = try StripeConfiguration.fromEnvironment(environment, configFile: environment["TILL_STRIPE_CONFIG"])
            return try StripeTerminal(configuration: configuration, readerID: readerID)
        } catch {
            return UnavailableTerminal(kind: .stripe, readerID: readerID, reason: "\(error)")
        }
    }

    static func simulatedCustomer(environment: [String: String], interactive: Bool) throws -> SimulatedCustomer {
        let delay = environment["TILL_SIM_CARD_DELAY_MS"].flatMap(Int.init).map { Duration.milliseconds(max(0, $0)) } ?? .zero
        if let text = environment["TILL_SIM_CUSTOMER"], !text.isEmpty {
            guard let action = SimulatedCustomerAction(parsing: text) else {
                throw TillError.invalid("TILL_SIM_CUSTOMER \"\(text)\" is not approve, decline[:CODE], insufficient_funds, cancel or timeout")
            }
            return SimulatedCustomer(automatic: action, presentationDelay: delay)
        }
        return SimulatedCustomer(automatic: interactive ? nil : .approve, presentationDelay: delay)
    }
}
