import Foundation
import TillCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A counter scale on a pseudo-terminal, speaking MT-SICS from the master side on its own thread: the till
/// opens `path` (the pty's slave) exactly as it opens /dev/ttyUSB0. What it weighs, and how it misbehaves, is
/// set at any time with `state`.
///
/// It answers as the MT-SICS reference manual describes (see `MTSICS`): `S`, `SI`, `T`, `TA`, `TAC`, `Z`, `I4`;
/// anything else `ES`. Weights are net of its tare memory, as a real scale's are after `T`.
public final class FakeScale: @unchecked Sendable {
    public enum State: Equatable, Sendable {
        /// A steady load of `milligrams` (gross, before the tare), shown in `unit` with `decimals` places.
        case stable(milligrams: Int64, unit: MTSICS.Unit = .kg, decimals: Int = 3)
        /// The load is moving (dynamic): `S` answers `S I`, `SI` answers `S D`.
        case moving(milligrams: Int64)
        /// Moving for the next `requests` weight requests, then steady at `milligrams`.
        case settling(requests: Int, milligrams: Int64)
        /// Over capacity: `S +`.
        case overload
        /// Under range (the pan lifted off): `S -`.
        case underload
        /// Says nothing at all (switched off, wrong port).
        case silent
        /// Answers with noise (a wrong baud rate looks like this).
        case garbage
        /// Weighs in pounds.
        case pounds(milligrams: Int64)
    }

    /// The slave side: what the till opens.
    public let path: String
    public let serialNumber = "B123456789"

    private let master: Int32
    /// Held open so the pty stays up between the till's opens (and its line settings with it).
    private let slave: Int32
    private let lock = NSLock()
    private var currentState: State
    private var tareMilligrams: Int64 = 0
    private var zeroMilligrams: Int64 = 0
    private var commands: [String] = []
    private var stopping = false
    private let finished = DispatchSemaphore(value: 0)

    public init(_ state: State = .stable(milligrams: 450_000)) throws {
        currentState = state
        let (master, path) = try FakeScale.openPseudoTerminal()
        let slave = open(path, O_RDWR | O_NOCTTY)
        guard slave >= 0 else { throw TillTestError("cannot open the fake scale's \(path): \(String(cString: strerror(errno)))") }
        // Raw from the start: no echo of the answers back to the master, no line editing.
        var settings = termios()
        tcgetattr(slave, &settings)
        cfmakeraw(&settings)
        tcsetattr(slave, TCSANOW, &settings)
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
        self.master = master
        self.slave = slave
        self.path = path
        let thread = Thread { [unowned self] in self.serve() }
        thread.name = "fake-scale"
        thread.start()
    }

    deinit { stop() }

    /// A pty's master and the path of its slave. On Linux through /dev/ptmx and its ioctls (glibc's
    /// posix_openpt family is not visible to Swift there); elsewhere through posix_openpt.
    private static func openPseudoTerminal() throws -> (Int32, String) {
        func failure() -> TillTestError {
            TillTestError("cannot open a pseudo-terminal for the fake scale: \(String(cString: strerror(errno)))")
        }
        #if os(Linux)
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        guard master >= 0 else { throw failure() }
        var unlock: Int32 = 0
        var number: UInt32 = 0
        // TIOCSPTLCK (unlock the slave) and TIOCGPTN (its number), from <asm-generic/ioctls.h>.
        guard ioctl(master, UInt(0x4004_5431), &unlock) == 0, ioctl(master, UInt(0x8004_5430), &number) == 0 else {
            close(master)
            throw failure()
        }
        return (master, "/dev/pts/\(number)")
        #else
        let master = posix_openpt(O_RDWR | O_NOCTTY)
        guard master >= 0, grantpt(master) == 0, unlockpt(master) == 0, let name = ptsname(master) else { throw failure() }
        return (master, String(cString: name))
        #endif
    }

    /// Stops answering and closes the pty (the till then reads a hang-up or nothing).
    public func stop() {
        let first = lock.withLock { () -> Bool in
            defer { stopping = true }
            return !stopping
        }
        guard first else { return }
        finished.wait()
        close(master)
        close(slave)
    }

    public var state: State {
        get { lock.withLock { currentState } }
        set { lock.withLock { currentState = newValue } }
    }

    /// The tare memory (what `T` took, or `TA` preset), in milligrams.
    public var tare: Int64 {
        get { lock.withLock { tareMilligrams } }
        set { lock.withLock { tareMilligrams = newValue } }
    }

    /// Every command received so far, in order.
    public var received: [String] { lock.withLock { commands } }

    private func serve() {
        var buffer: [UInt8] = []
        while !lock.withLock({ stopping }) {
            var waiting = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            guard poll(&waiting, 1, 20) > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 256)
            let count = read(master, &chunk, chunk.count)
            guard count > 0 else {
                Thread.sleep(forTimeInterval: 0.01)
                continue
            }
            buffer += chunk[0..<count]
            while let end = buffer.firstIndex(where: { $0 == 13 || $0 == 10 }) {
                let line = String(decoding: buffer[..<end], as: UTF8.self)
                buffer.removeFirst(end + 1)
                guard !line.isEmpty else { continue }
                if let answer = answer(line) { send(answer) }
            }
        }
        finished.signal()
    }

    private func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBufferPointer { write(master, $0.baseAddress, $0.count) }
            if written > 0 { offset += written } else { Thread.sleep(forTimeInterval: 0.005) }
        }
    }

    /// The answer to one command line, or nil for none.
    private func answer(_ line: String) -> [UInt8]? {
        lock.withLock {
            commands.append(line)
            let fields = line.split(separator: " ").map(String.init)
            let command = fields.first ?? ""
            switch currentState {
            case .silent: return nil
            case .garbage: return [0x02, 0x23, 0xFF, 0x3F, 0x40, 0x21, 0x78, 0x37, 0x0D, 0x0A]
            default: break
            }
            func text(_ answer: String) -> [UInt8] { Array((answer + "\r\n").utf8) }
            // What the pan holds now, and whether it is still.
            let load: (milligrams: Int64, stable: Bool, unit: MTSICS.Unit, decimals: Int)?
            switch currentState {
            case let .stable(milligrams, unit, decimals): load = (milligrams, true, unit, decimals)
            case let .moving(milligrams): load = (milligrams, false, .kg, 3)
            case let .settling(requests, milligrams):
                if ["S", "SI"].contains(command) {
                    currentState = requests <= 1 ? .stable(milligrams: milligrams) : .settling(requests: requests - 1, milligrams: milligrams)
                }
                load = (milligrams, false, .kg, 3)
            case let .pounds(milligrams):
                guard ["S", "SI"].contains(command) else { return text("\(command) I") }
                return text("S S \(String(format: "%10.3f", Double(milligrams) / 453_592.37)) lb")
            default: load = nil
            }
            let net = (load?.milligrams ?? 0) - tareMilligrams - zeroMilligrams
            func range(_ id: String) -> [UInt8]? {
                if currentState == .overload { return text("\(id) +") }
                if currentState == .underload { return text("\(id) -") }
                return nil
            }
            switch command {
            case "S":
                if let refusal = range("S") { return refusal }
                guard let load, load.stable else { return text("S I") }
                return text(MTSICS.weightLine(id: "S", status: "S", milligrams: net, unit: load.unit, decimals: load.decimals))
            case "SI":
                if let refusal = range("S") { return refusal }
                guard let load else { return text("S I") }
                return text(MTSICS.weightLine(id: "S", status: load.stable ? "S" : "D", milligrams: net, unit: load.unit,
                                              decimals: load.decimals))
            case "T":
                if let refusal = range("T") { return refusal }
                guard let load, load.stable else { return text("T I") }
                tareMilligrams = load.milligrams - zeroMilligrams
                return text(MTSICS.weightLine(id: "T", status: "S", milligrams: tareMilligrams))
            case "TA" where fields.count == 1:
                return text(MTSICS.weightLine(id: "TA", status: "A", milligrams: tareMilligrams))
            case "TA" where fields.count == 3:
                guard let unit = MTSICS.Unit(rawValue: fields[2]), let value = MTSICS.milligrams(fields[1], unit: unit) else {
                    return text("TA L")
                }
                tareMilligrams = value
                return text(MTSICS.weightLine(id: "TA", status: "A", milligrams: tareMilligrams))
            case "TAC":
                tareMilligrams = 0
                return text("TAC A")
            case "Z":
                if let refusal = range("Z") { return refusal }
                guard let load, load.stable else { return text("Z I") }
                zeroMilligrams = load.milligrams
                tareMilligrams = 0
                return text("Z A")
            case "I4":
                return text("I4 A \"\(serialNumber)\"")
            default:
                return text("ES")
            }
        }
    }
}
