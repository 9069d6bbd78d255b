import Foundation
#if canImport(Glibc)
import Glibc
private let systemClose = Glibc.close
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemClose = Darwin.close
private let systemWrite = Darwin.write
#endif

/// Data bits, parity and stop bits, written the way scale manuals and serial tools write them: `8N1`, `7E1`.
public struct SerialFraming: Equatable, Sendable, CustomStringConvertible {
    public enum Parity: Character, Sendable { case none = "N", even = "E", odd = "O" }

    public var dataBits: Int
    public var parity: Parity
    public var stopBits: Int

    public init(dataBits: Int = 8, parity: Parity = .none, stopBits: Int = 1) {
        self.dataBits = dataBits
        self.parity = parity
        self.stopBits = stopBits
    }

    /// MT-SICS scales leave the factory at 8 data bits, no parity, 1 stop bit.
    public static let standard = SerialFraming()

    public var description: String { "\(dataBits)\(parity.rawValue)\(stopBits)" }

    /// `8N1`, `7E1`, `7O2` (case-insensitive).
    public static func parse(_ text: String) throws -> SerialFraming {
        let characters = Array(text.uppercased())
        guard characters.count == 3, let data = characters[0].wholeNumberValue, [7, 8].contains(data),
              let parity = Parity(rawValue: characters[1]), let stop = characters[2].wholeNumberValue, [1, 2].contains(stop) else {
            throw TillError.invalid("\"\(text)\" is not a serial framing: data bits 7 or 8, parity N, E or O, stop bits 1 or 2 (e.g. 8N1 or 7E1)")
        }
        return SerialFraming(dataBits: data, parity: parity, stopBits: stop)
    }
}

/// A serial device (a USB-serial adapter, a built-in COM port, or a pty in tests) opened raw: no echo, no line
/// editing, no signals, no flow control, not the process's controlling terminal. Reads wait with `poll`, never
/// longer than asked; nothing here blocks indefinitely.
public final class SerialPort: @unchecked Sendable {
    public let path: String
    private var descriptor: Int32
    /// Bytes read past the end of the last line.
    private var pending: [UInt8] = []

    /// The speeds a scale is set to in practice.
    public static let baudRates: [Int] = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200]

    public init(path: String, baud: Int = 9600, framing: SerialFraming = .standard) throws {
        guard let speed = SerialPort.speed(baud) else {
            throw TillError.invalid("\(baud) is not a serial speed a scale uses (\(SerialPort.baudRates.map(String.init).joined(separator: ", ")))")
        }
        self.path = path
        // O_NONBLOCK: opening a port whose modem lines are down would otherwise wait for carrier forever.
        descriptor = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw TillError.invalid("cannot open the scale's port \(path): \(reason)")
        }
        var settings = termios()
        guard tcgetattr(descriptor, &settings) == 0 else {
            let reason = String(cString: strerror(errno))
            _ = systemClose(descriptor)
            descriptor = -1
            throw TillError.invalid("\(path) is not a serial port (\(reason))")
        }
        cfmakeraw(&settings)
        cfsetispeed(&settings, speed)
        cfsetospeed(&settings, speed)
        settings.c_cflag &= ~tcflag_t(CSIZE | PARENB | PARODD | CSTOPB)
        settings.c_cflag |= tcflag_t(CLOCAL | CREAD)
        settings.c_cflag |= tcflag_t(framing.dataBits == 7 ? CS7 : CS8)
        switch framing.parity {
        case .none: break
        case .even: settings.c_cflag |= tcflag_t(PARENB)
        case .odd: settings.c_cflag |= tcflag_t(PARENB | PARODD)
        }
        if framing.stopBits == 2 { settings.c_cflag |= tcflag_t(CSTOPB) }
        // No hardware or software flow control: a scale has neither.
        settings.c_iflag &= ~tcflag_t(IXON | IXOFF | IXANY)
        guard tcsetattr(descriptor, TCSANOW, &settings) == 0 else {
            let reason = String(cString: strerror(errno))
            _ = systemClose(descriptor)
            descriptor = -1
            throw TillError.invalid("cannot set \(path) to \(baud) \(framing): \(reason)")
        }
        tcflush(descriptor, TCIOFLUSH)
    }

    deinit { close() }

    public func close() {
        if descriptor >= 0 { _ = systemClose(descriptor) }
        descriptor = -1
    }

    /// Forgets whatever arrived and was not read (a late answer to an earlier command).
    public func discardInput() {
        guard descriptor >= 0 else { return }
        tcflush(descriptor, TCIFLUSH)
        var buffer = [UInt8](repeating: 0, count: 256)
        while read(descriptor, &buffer, buffer.count) > 0 {}
        pending.removeAll()
    }

    /// Writes all of `bytes`, waiting up to `timeout` for room.
    public func write(_ bytes: [UInt8], timeout: Duration = .seconds(1)) throws {
        guard descriptor >= 0 else { throw TillError.invalid("the scale's port \(path) is closed") }
        let deadline = ContinuousClock.now + timeout
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBufferPointer { systemWrite(descriptor, $0.baseAddress, $0.count) }
            if written > 0 {
                offset += written
                continue
            }
            guard written < 0, errno == EAGAIN || errno == EINTR else {
                throw TillError.invalid("cannot write to the scale's port \(path): \(String(cString: strerror(errno)))")
            }
            guard wait(for: Int16(POLLOUT), until: deadline) else {
                throw TillError.invalid("the scale's port \(path) takes no data (is the cable in?)")
            }
        }
    }

    /// The next line (its CR LF, or a lone CR or LF, taken off), or nil when none is complete by `timeout`.
    /// A line longer than `limit` bytes is cut there: noise never fills memory.
    public func readLine(timeout: Duration, limit: Int = 256) throws -> String? {
        guard descriptor >= 0 else { throw TillError.invalid("the scale's port \(path) is closed") }
        let deadline = ContinuousClock.now + timeout
        while true {
            if let line = takeLine(limit: limit) { return line }
            guard wait(for: Int16(POLLIN), until: deadline) else { return nil }
            var buffer = [UInt8](repeating: 0, count: 256)
            let count = read(descriptor, &buffer, buffer.count)
            if count > 0 {
                pending += buffer[0..<count]
            } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                // The other end hung up (a pty closed, an adapter pulled out): nothing more will come.
                if count < 0, errno == EIO { return nil }
                if count == 0 { Thread.sleep(forTimeInterval: 0.005) }
            }
        }
    }

    private func takeLine(limit: Int) -> String? {
        if let end = pending.firstIndex(where: { $0 == 13 || $0 == 10 }) {
            let line = Array(pending[..<end])
            var next = end + 1
            if pending[end] == 13, next < pending.count, pending[next] == 10 { next += 1 }
            pending.removeFirst(next)
            // A CR waiting for its LF: the LF that follows starts no empty line of its own.
            if line.isEmpty { return takeLine(limit: limit) }
            return String(decoding: line, as: UTF8.self)
        }
        if pending.count >= limit {
            let line = Array(pending.prefix(limit))
            pending.removeFirst(limit)
            return String(decoding: line, as: UTF8.self)
        }
        return nil
    }

    /// Waits until the port is ready for `events` or `deadline` passes; false when it passed.
    private func wait(for events: Int16, until deadline: ContinuousClock.Instant) -> Bool {
        while true {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { return false }
            let milliseconds = Int32(min(60_000, max(1, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000)))
            var waiting = pollfd(fd: descriptor, events: events, revents: 0)
            let ready = poll(&waiting, 1, milliseconds)
            if ready > 0 {
                // A hang-up with nothing to read: the caller's read says so.
                return true
            }
            if ready < 0, errno != EINTR { return false }
        }
    }

    static func speed(_ baud: Int) -> speed_t? {
        switch baud {
        case 1200: return speed_t(B1200)
        case 2400: return speed_t(B2400)
        case 4800: return speed_t(B4800)
        case 9600: return speed_t(B9600)
        case 19200: return speed_t(B19200)
        case 38400: return speed_t(B38400)
        case 57600: return speed_t(B57600)
        case 115200: return speed_t(B115200)
        default: return nil
        }
    }
}
