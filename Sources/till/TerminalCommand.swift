import ArgumentParser
import Foundation
import TillCore

/// `till terminal`: which card reader each register drives. Pairing is a store setting (manage_store).
struct TerminalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "terminal", abstract: "Card readers: list, pair a register with a reader, unpair, test.",
        discussion: """
            Till never takes a card number: a card is taken on the reader paired with the register.
            Examples: till terminal pair main tmr_FDOt2wlRZEdpd7 --stripe
                      till terminal pair back sim-back --simulated
            The Stripe API key comes from TILL_STRIPE_SECRET_KEY or ~/.config/till/stripe.toml (mode 0600).
            """,
        subcommands: [List.self, Pair.self, Unpair.self, Test.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Each register and the reader it drives.")
        @OptionGroup var store: StoreOptions
        @Flag(help: "As JSON.") var json = false

        func run() throws {
            let database = try store.open()
            let pairings = try CardReaders(store: database).list()
            if json {
                try printJSON(pairings)
                return
            }
            guard !pairings.isEmpty else {
                print("no register has a card reader (pair one: till terminal pair REGISTER READER-ID --stripe, or --simulated)")
                return
            }
            let zone = LocalTime.timeZone(of: database)
            for pairing in pairings {
                print(pairing.register.padding(toLength: 12, withPad: " ", startingAt: 0) + "  "
                      + "\(pairing.kind.rawValue) \(pairing.readerID)".padding(toLength: 36, withPad: " ", startingAt: 0)
                      + "  paired " + LocalTime.format(pairing.pairedAt, timeZone: zone)
                      + (pairing.label.isEmpty ? "" : "  \(pairing.label)"))
            }
        }
    }

    struct Pair: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pair a register with a card reader (replacing the one it had); a reader drives one register only.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The register (e.g. main).") var register: String
        @Argument(help: "The reader: a Stripe reader id (tmr_…) or a simulated reader's name.") var readerID: String
        @Flag(help: "A Stripe Terminal reader, driven over Stripe's API.") var stripe = false
        @Flag(help: "The simulated reader (no network; for training and the demo).") var simulated = false
        @Option(help: "A label for people (e.g. \"front counter\").") var label: String = ""

        func validate() throws {
            guard stripe != simulated else { throw ValidationError("say which kind of reader: --stripe or --simulated") }
        }

        func run() throws {
            let database = try store.open()
            // A Stripe reader is looked up first: a reader Stripe does not have is refused, not paired; one that
            // cannot be checked from here (no key yet, no network) is paired with a warning.
            var warning: String?
            if stripe {
                let terminal = CardTerminalWiring.stripe(readerID: readerID, environment: ProcessInfo.processInfo.environment)
                do {
                    let status = try terminal.status()
                    if !status.online { warning = "reader \(readerID) is offline now: check its power and network" }
                } catch CardTerminalError.unknownReader(let id) {
                    throw TillError.invalid("not paired: \(CardTerminalError.unknownReader(id))")
                } catch {
                    warning = "the reader could not be checked (\(error)); run till terminal test \(register) once it can"
                }
            }
            let pairing = try CardReaders(store: database).pair(register: register, kind: stripe ? .stripe : .simulated,
                                                                 readerID: readerID, label: label, try store.context(in: database))
            print("register \(pairing.register) now takes cards on \(pairing.kind.rawValue) reader \(pairing.readerID)")
            if let warning { FileHandle.standardError.write(Data("till: warning: \(warning)\n".utf8)) }
        }
    }

    struct Unpair: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take the reader off a register (cards are refused there).")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The register.") var register: String

        func run() throws {
            let database = try store.open()
            try CardReaders(store: database).unpair(register: register, try store.context(in: database))
            print("register \(register) has no card reader now")
        }
    }

    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ask a register's reader whether it is there and free (no money moves); exits 1 when it is not.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The register.") var register: String

        func run() throws {
            let database = try store.open()
            guard let reader = try CardTerminalWiring.terminal(register: register, store: database,
                                                               environment: ProcessInfo.processInfo.environment, interactive: false) else {
                throw TillError.invalid("register \(register) has no card reader paired (till terminal pair \(register) READER-ID --stripe, or --simulated)")
            }
            let status: CardReaderStatus
            do {
                status = try reader.terminal.status()
            } catch let error as CardTerminalError {
                throw TillError.invalid("reader \(reader.terminal.readerID) for register \(register): \(error)")
            }
            print("register \(register): \(reader.terminal.kind.rawValue) reader \(status.readerID)"
                  + (status.label.isEmpty ? "" : " (\(status.label))") + " — \(status.online ? "online" : "OFFLINE"), \(status.activity)")
            if !status.online { throw TillError.invalid("reader \(status.readerID) is offline: check its power and network") }
        }
    }
}
