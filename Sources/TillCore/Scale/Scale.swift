import Foundation

/// Why no weight was taken from the scale, in the words the cashier reads.
public enum ScaleRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    /// Motion did not stop within the time given.
    case stillMoving
    /// `+`: more than the scale can weigh.
    case overCapacity
    /// `-`, or a negative weight: the scale reads below zero (its pan off, or zeroed with something on it).
    case belowZero
    /// A stable zero: there is nothing on the scale.
    case empty
    /// The item's container weighs more than what is on the scale.
    case belowTare(tare: Quantity)
    /// The scale weighs in a unit the till does not sell by.
    case unit(String)
    /// No answer within the time allowed.
    case noAnswer(device: String)
    /// Answers that are not MT-SICS (wrong speed or framing, another protocol, noise), or an error answer.
    case notUnderstood(String)
    /// The port could not be opened or used.
    case unavailable(String)

    public var description: String {
        switch self {
        case .stillMoving: return "the scale is still moving: steady the item, then weigh again"
        case .overCapacity: return "the item is over the scale's capacity: weigh it in parts, or on a bigger scale"
        case .belowZero: return "the scale reads below zero — zero the scale (empty pan, zero key), then weigh again"
        case .empty: return "there is nothing on the scale"
        case let .belowTare(tare): return "the scale reads less than the container's \(tare.kilograms) kg tare: is the item on the scale?"
        case let .unit(unit): return "the scale weighs in \(unit): set it to kg or g"
        case let .noAnswer(device): return "the scale on \(device) does not answer: check its power and cable, and its speed (till scale list)"
        case let .notUnderstood(what): return "the scale's answer was not understood (\(what)): check it speaks MT-SICS at the speed set"
        case let .unavailable(reason): return reason
        }
    }

    /// The same in a few words, for a prompt's line at the till.
    public var summary: String {
        switch self {
        case .stillMoving: return "the scale is still moving: steady the item"
        case .overCapacity: return "the item is over the scale's capacity"
        case .belowZero: return "the scale reads below zero — zero the scale"
        case .empty: return "there is nothing on the scale"
        case let .belowTare(tare): return "less than the container's \(tare.kilograms) kg tare"
        case let .unit(unit): return "the scale weighs in \(unit): set it to kg"
        case .noAnswer: return "the scale does not answer: check its power and cable"
        case .notUnderstood: return "the scale's answer is not understood: check its speed"
        case .unavailable: return "the scale's port cannot be opened (till scale list)"
        }
    }
}

/// One look at the scale.
public enum ScaleReading: Equatable, Sendable {
    /// A stable net weight, above zero, in kilograms (thousandths: grams).
    case stable(Quantity)
    /// The weight is still moving: ask again.
    case moving
    case refused(ScaleRefusal)

    /// The same reading with a container's weight taken off: a stable weight at or under it is refused.
    public func less(tare: Quantity?) -> ScaleReading {
        guard let tare, tare.milli > 0, case let .stable(gross) = self else { return self }
        let net = gross - tare
        return net.milli > 0 ? .stable(net) : .refused(.belowTare(tare: tare))
    }
}

/// A scale the till can read. Each `read` returns within a bounded time: the caller never waits on a silent
/// device for longer than the scale's answer timeout (twice, at most, for a motion check).
public protocol WeighingScale: AnyObject, Sendable {
    /// What the scale and its port are, for people ("/dev/ttyUSB0, MT-SICS 9600 8N1").
    var label: String { get }
    func read() -> ScaleReading
}

/// A Mettler Toledo MT-SICS scale on a serial port (see `MTSICS` for the protocol and its references).
///
/// The port is opened on first use and kept; an I/O error closes it, and the next read opens it again (an
/// adapter unplugged and plugged back). Reads from several threads take turns: one command is on the wire at a
/// time, and what is left over from an earlier command is discarded before the next.
public final class Scale: WeighingScale, @unchecked Sendable {
    public let device: String
    public let baud: Int
    public let framing: SerialFraming
    /// How long a command waits for its answer. MT-SICS `S` may take a moment while the scale settles; it
    /// answers `S I` when it gives up on stability.
    public let answerTimeout: Duration

    private let lock = NSLock()
    private var port: SerialPort?

    public init(device: String, baud: Int = 9600, framing: SerialFraming = .standard,
                answerTimeout: Duration = .milliseconds(1500)) {
        self.device = device
        self.baud = baud
        self.framing = framing
        self.answerTimeout = answerTimeout
    }

    public convenience init(_ setup: RegisterScale, answerTimeout: Duration = .milliseconds(1500)) {
        self.init(device: setup.device, baud: setup.baud, framing: setup.framing, answerTimeout: answerTimeout)
    }

    deinit { port?.close() }

    public var label: String { "\(device), MT-SICS \(baud) \(framing)" }

    /// Closes the port (the next command opens it again).
    public func close() {
        lock.withLock {
            port?.close()
            port = nil
        }
    }

    /// `SI`, then `S` once that says the load is still: stable, moving, or why not.
    ///
    /// `S` alone would do, but a scale answers it only when stable or when its own stability time runs out
    /// (seconds, and set on the scale), so a moving load would look like a silent scale. `SI` answers at once —
    /// `S D` while moving — and the `S` that follows a still load answers at once too; its weight is the one taken.
    public func read() -> ScaleReading {
        lock.withLock {
            do {
                switch try exchange(.immediateWeight) {
                case .dynamic, .notExecutable:
                    return .moving
                case .stable:
                    switch try exchange(.stableWeight) {
                    case let .stable(milligrams): return Scale.reading(milligrams)
                    // Moved again between the two: ask again.
                    case .dynamic, .notExecutable: return .moving
                    case let other: return .refused(Scale.refusal(other))
                    }
                case let other:
                    return .refused(Scale.refusal(other))
                }
            } catch let refusal as ScaleRefusal {
                return .refused(refusal)
            } catch {
                return .refused(.unavailable("\(error)"))
            }
        }
    }

    /// Asks until the weight is stable or `timeout` has passed (then `.stillMoving`); any other refusal at once.
    public func stableWeight(timeout: Duration = .seconds(10), pause: Duration = .milliseconds(200)) throws -> Quantity {
        let deadline = ContinuousClock.now + timeout
        while true {
            switch read() {
            case let .stable(weight): return weight
            case let .refused(refusal): throw refusal
            case .moving:
                guard ContinuousClock.now + pause < deadline else { throw ScaleRefusal.stillMoving }
                Thread.sleep(forTimeInterval: Double(pause.components.attoseconds) / 1e18 + Double(pause.components.seconds))
            }
        }
    }

    /// `T`: tares with what is on the pan; the weight taken off (a scale reads net from then on).
    @discardableResult
    public func tare() throws -> Quantity {
        try lock.withLock {
            switch try exchange(.tare) {
            case let .stable(milligrams): return Quantity(milli: Scale.grams(milligrams))
            case .notExecutable: throw ScaleRefusal.stillMoving
            case let other: throw Scale.refusal(other)
            }
        }
    }

    /// `Z`: zeroes the scale (when stable).
    public func zero() throws {
        try lock.withLock {
            switch try exchange(.zero) {
            case .done: return
            case .notExecutable: throw ScaleRefusal.stillMoving
            case let other: throw Scale.refusal(other)
            }
        }
    }

    /// `I4`: the scale's serial number (a quick "is it there and speaking MT-SICS").
    public func serialNumber() throws -> String {
        try lock.withLock {
            switch try exchange(.serialNumber) {
            case let .serialNumber(serial): return serial
            case let other: throw Scale.refusal(other)
            }
        }
    }

    /// One command and its answer. Lines that are not an answer to it are skipped until the time is up; then
    /// the last of them is what was not understood.
    private func exchange(_ command: MTSICS.Command) throws -> MTSICS.Response {
        let port = try openPort()
        do {
            port.discardInput()
            try port.write(command.bytes)
            let deadline = ContinuousClock.now + answerTimeout
            var noise: String?
            while true {
                let left = deadline - ContinuousClock.now
                guard left > .zero, let line = try port.readLine(timeout: left) else {
                    if let noise { throw ScaleRefusal.notUnderstood(Scale.shown(noise)) }
                    throw ScaleRefusal.noAnswer(device: device)
                }
                if let response = MTSICS.parse(line, answering: command) { return response }
                noise = line
            }
        } catch let refusal as ScaleRefusal {
            throw refusal
        } catch {
            self.port?.close()
            self.port = nil
            throw ScaleRefusal.unavailable("\(error)")
        }
    }

    private func openPort() throws -> SerialPort {
        if let port { return port }
        do {
            let opened = try SerialPort(path: device, baud: baud, framing: framing)
            port = opened
            return opened
        } catch {
            throw ScaleRefusal.unavailable("\(error)")
        }
    }

    /// Milligrams to whole grams (thousandths of a kilogram), half towards zero: the customer never pays for
    /// a part-gram the scale did not show.
    static func grams(_ milligrams: Int64) -> Int64 {
        let whole = milligrams / 1000
        let rest = milligrams % 1000
        if rest > 500 { return whole + 1 }
        if rest < -500 { return whole - 1 }
        return whole
    }

    static func reading(_ milligrams: Int64) -> ScaleReading {
        guard milligrams >= 0 else { return .refused(.belowZero) }
        let grams = Scale.grams(milligrams)
        return grams == 0 ? .refused(.empty) : .stable(Quantity(milli: grams))
    }

    static func refusal(_ response: MTSICS.Response) -> ScaleRefusal {
        switch response {
        case .overload: return .overCapacity
        case .underload: return .belowZero
        case .notExecutable, .dynamic: return .stillMoving
        case let .unsupportedUnit(unit): return .unit(unit)
        case let .commandError(text): return .notUnderstood(text)
        case let .serialNumber(serial): return .notUnderstood("\"\(serial)\"")
        case .stable, .done: return .notUnderstood("an unexpected answer")
        }
    }

    /// Noise as it can be shown on one line: printable ASCII, at most 24 characters.
    static func shown(_ line: String) -> String {
        let printable = String(line.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F ? Character($0) : "?" })
        return "\"" + (printable.count > 24 ? String(printable.prefix(24)) + "…" : printable) + "\""
    }
}
