import ArgumentParser
import Foundation
import TillCore

/// `till transfer …`: stock between the stores of a chain (TillCore's `ChainTransfers`).
struct TransferCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transfer", abstract: "Move stock between the chain's stores: request, ship, receive, list, resolve.",
        discussion: "Shipping and receiving are this store's own stock movements and work offline; a request and the list go through head office.",
        subcommands: [Request.self, Ship.self, Receive.self, List.self, Resolve.self])

    static func items(_ entries: [String]) throws -> [TransferItem] {
        try entries.map { entry in
            let parts = entry.split(separator: "*", maxSplits: 1).map(String.init)
            guard let sku = parts.first, !sku.isEmpty else { throw ValidationError("--item takes SKU*QTY, e.g. COF-002*6") }
            return TransferItem(sku: sku, quantity: try parts.count == 2 ? Quantity.parse(parts[1]) : .one)
        }
    }

    static func describe(_ items: [TransferItem]) -> String {
        items.map { "\($0.sku) × \($0.quantity)" }.joined(separator: ", ")
    }

    struct Request: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Ask another store to send stock (through head office).")
        @OptionGroup var store: StoreOptions
        @Option(help: "The store that has it.") var from: String
        @Option(name: .customLong("item"), help: ArgumentHelp("A SKU and how many, e.g. COF-002*6.", valueName: "sku*qty")) var items: [String] = []
        @Option(help: "Why, for the other store.") var note = ""

        func run() throws {
            let database = try store.open()
            let transfer = try ChainTransfers(store: database).request(from: from, items: try TransferCommand.items(items), note: note,
                                                                       try store.context(in: database))
            print("\(transfer.id): requested from \(transfer.from) (\(transfer.fromName)): "
                  + transfer.lines.map { "\($0.sku) × \($0.requested)" }.joined(separator: ", "))
        }
    }

    struct Ship: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Send stock to another store: against a request, or unasked with --to.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The request's number (S002-T7); leave out with --to for a shipment nobody asked for.") var id: String?
        @Option(help: "The store it goes to (without a request number).") var to: String?
        @Option(name: .customLong("item"), help: ArgumentHelp("What goes, e.g. COF-002*6 (default: what the request still asks for).", valueName: "sku*qty"))
        var items: [String] = []
        @Option(help: "Taken from: floor or back.") var location = Location.floorCode
        @Option(help: "A note on the movements.") var note = ""

        func run() throws {
            let database = try store.open()
            let shipped = try ChainTransfers(store: database).ship(id: id, to: to, items: items.isEmpty ? nil : try TransferCommand.items(items),
                                                                  location: location, note: note, try store.context(in: database))
            print("\(shipped.id): shipped to \(shipped.to) from \(location): \(TransferCommand.describe(shipped.items)) — in transit until \(shipped.to) receives it")
        }
    }

    struct Receive: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take in stock another store sent (all or part of it).")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The transfer's number.") var id: String
        @Option(help: "The store that sent it (only needed offline, for a transfer this store requested).") var from: String?
        @Option(name: .customLong("item"), help: ArgumentHelp("What arrived, e.g. COF-002*4 (default: everything in transit, by HQ's figures).", valueName: "sku*qty"))
        var items: [String] = []
        @Option(help: "Put into: back or floor.") var location = Location.backCode
        @Option(help: "A note on the movements.") var note = ""

        func run() throws {
            let database = try store.open()
            let received = try ChainTransfers(store: database).receive(id: id, from: from, items: items.isEmpty ? nil : try TransferCommand.items(items),
                                                                      location: location, note: note, try store.context(in: database))
            print("\(received.id): received from \(received.from) into \(location): \(TransferCommand.describe(received.items))")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Transfers this store sends or receives (open ones, or --all), from head office.")
        @OptionGroup var store: StoreOptions
        @Flag(help: "Closed ones too.") var all = false

        func run() throws {
            let database = try store.open()
            let transfers = ChainTransfers(store: database)
            do {
                let list = try transfers.list(all: all, try store.context(in: database))
                guard !list.isEmpty else {
                    print(all ? "no transfers yet" : "no open transfers")
                    return
                }
                for transfer in list {
                    print("\(transfer.id)  \(transfer.from) → \(transfer.to)  \(transfer.state)" + (transfer.note.isEmpty ? "" : "  \(transfer.note)"))
                    let rows = transfer.lines.map { line in
                        [line.sku, line.requested.description, line.shipped.description, line.received.description,
                         line.writtenOff.description, line.inTransit.description]
                    }
                    TextTable(header: ["  sku", "requested", "shipped", "received", "written off", "in transit"],
                              rows: rows.map { ["  " + $0[0]] + $0.dropFirst() }, numeric: [1, 2, 3, 4, 5]).lines.forEach { print($0) }
                }
            } catch let error as HeadOfficeUnreachable {
                print("head office cannot be reached (\(error.reason)); what this store recorded itself:")
                let zone = LocalTime.timeZone(of: database)
                for row in try transfers.recordedHere() {
                    let parts = row.reference.split(separator: ":").map(String.init)
                    let what = row.quantity.milli < 0 ? "shipped \(Quantity(milli: -row.quantity.milli))" : "received \(row.quantity)"
                    print("  \(parts.count > 1 ? parts[1] : row.reference)  \(parts.count > 2 ? parts[2].replacingOccurrences(of: ">", with: " → ") : "")  \(row.sku) \(what)  \(LocalTime.format(row.at, timeZone: zone))")
                }
            }
        }
    }

    struct Resolve: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write off what is still in transit on a line as lost or damaged (a manager).")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The transfer's number.") var id: String
        @Argument(help: "The SKU.") var sku: String
        @Option(name: .customLong("as"), help: "lost or damaged.") var outcome: String
        @Option(help: "What happened (required).") var note: String

        func run() throws {
            guard let loss = TransferLoss(rawValue: outcome.lowercased()) else {
                throw ValidationError("--as takes lost or damaged (goods that turn up later: till transfer receive)")
            }
            let database = try store.open()
            let transfer: ChainTransfer
            do {
                transfer = try ChainTransfers(store: database).resolve(id: id, sku: sku, as: loss, note: note, try store.context(in: database))
            } catch let error as HeadOfficeUnreachable {
                throw TillError.invalid("head office cannot be reached (\(error.reason)): a write-off is recorded at HQ; try again when it is back")
            }
            print("\(transfer.id): \(sku.uppercased()) written off as \(loss.rawValue); the transfer is \(transfer.state)")
        }
    }
}
