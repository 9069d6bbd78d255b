import ArgumentParser
import Foundation
import TillCore

/// `till scale`: which counter scale each register reads, and the containers' tares. A store setting
/// (manage_store), as card readers are.
struct ScaleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scale", abstract: "Counter scales: list, set a register's scale, remove it, read it; container tares.",
        discussion: """
            The scale speaks Mettler Toledo MT-SICS on a serial port (8N1 at 9600 unless set otherwise).
            Examples: till scale set main /dev/ttyUSB0
                      till scale set back /dev/serial/by-id/usb-FTDI_…-port0 --baud 4800 --framing 7E1
                      till scale read main
                      till scale tare PRO-011 0.015     (a 15 g tub taken off every weighing of PRO-011)
            """,
        subcommands: [List.self, SetScale.self, Remove.self, Read.self, Tare.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Each register's scale, and the container tares.")
        @OptionGroup var store: StoreOptions
        @Flag(help: "As JSON.") var json = false

        func run() throws {
            let database = try store.open()
            let scales = RegisterScales(store: database)
            let list = try scales.list()
            let tares = try scales.tares()
            if json {
                struct Listing: Encodable {
                    var scales: [RegisterScale]
                    var tares: [ContainerTare]
                }
                try printJSON(Listing(scales: list, tares: tares))
                return
            }
            if list.isEmpty {
                print("no register has a scale (set one: till scale set REGISTER /dev/ttyUSB0)")
            }
            let zone = LocalTime.timeZone(of: database)
            for scale in list {
                print(scale.register.padding(toLength: 12, withPad: " ", startingAt: 0) + "  "
                      + scale.label.padding(toLength: 44, withPad: " ", startingAt: 0)
                      + "  set " + LocalTime.format(scale.configuredAt, timeZone: zone))
            }
            if !tares.isEmpty {
                print("")
                print("container tares (taken off what the scale reads):")
                for tare in tares {
                    print("  " + tare.sku.padding(toLength: 12, withPad: " ", startingAt: 0) + "  "
                          + "\(tare.tare.kilograms) kg".padding(toLength: 10, withPad: " ", startingAt: 0) + "  " + tare.name)
                }
            }
        }
    }

    struct SetScale: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set", abstract: "Set a register's scale (replacing the one it had); a serial port serves one register only.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The register (e.g. main).") var register: String
        @Argument(help: "The scale's serial device, e.g. /dev/ttyUSB0.") var device: String
        @Option(help: "Serial speed, as set on the scale.") var baud: Int = 9600
        @Option(help: "Data bits, parity, stop bits, as set on the scale: 8N1, 7E1 …") var framing: String = "8N1"

        func run() throws {
            let database = try store.open()
            let framing = try SerialFraming.parse(self.framing)
            let scale = try RegisterScales(store: database).set(register: register, device: device, baud: baud, framing: framing,
                                                                try store.context(in: database))
            print("register \(scale.register) now weighs on \(scale.label)")
            if !FileManager.default.fileExists(atPath: scale.device) {
                FileHandle.standardError.write(Data("till: warning: \(scale.device) does not exist now; plug the scale in, then try till scale read \(scale.register)\n".utf8))
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take the scale off a register (weights are typed there).")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The register.") var register: String

        func run() throws {
            let database = try store.open()
            try RegisterScales(store: database).remove(register: register, try store.context(in: database))
            print("register \(register) has no scale now: weights are typed at the prompt")
        }
    }

    struct Read: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read a stable weight from a register's scale; exits 1 with the refusal (moving, over capacity …).")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The register.") var register: String
        @Option(help: ArgumentHelp("Take this item's container tare off.", valueName: "sku")) var item: String?
        @Option(help: "Seconds to wait for the weight to settle.") var timeout: Double = 10

        func run() throws {
            let database = try store.open()
            let scales = RegisterScales(store: database)
            guard let setup = try scales.scale(for: register) else {
                throw TillError.invalid("register \(register) has no scale (till scale set \(register) /dev/ttyUSB0)")
            }
            let tare = try item.flatMap { try scales.tare(sku: $0) }
            let scale = Scale(setup)
            defer { scale.close() }
            do {
                let gross = try scale.stableWeight(timeout: .milliseconds(Int(max(0, timeout) * 1000)))
                switch ScaleReading.stable(gross).less(tare: tare) {
                case let .stable(net):
                    let detail = tare.map { " (\(gross.kilograms) kg less the \($0.kilograms) kg container)" } ?? ""
                    print("\(net.kilograms) kg\(detail)")
                case let .refused(refusal):
                    throw refusal
                case .moving:
                    throw ScaleRefusal.stillMoving
                }
            } catch let refusal as ScaleRefusal {
                throw TillError.invalid("register \(register)'s scale: \(refusal)")
            }
        }
    }

    struct Tare: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a weighed item's container weight, taken off every scale reading of it (--clear: none).")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The item's SKU or barcode.") var sku: String
        @Argument(help: "The container's weight in kg, e.g. 0.015.") var weight: String?
        @Flag(help: "Remove the item's container tare.") var clear = false

        func validate() throws {
            guard clear != (weight != nil) else { throw ValidationError("give the container's weight in kg, or --clear") }
        }

        func run() throws {
            let database = try store.open()
            let tare = try weight.map { try Quantity.parse($0) }
            try RegisterScales(store: database).setTare(sku: sku, tare, try store.context(in: database))
            print(tare.map { "\(sku): \($0.kilograms) kg container taken off every weighing" } ?? "\(sku): no container tare")
        }
    }
}
