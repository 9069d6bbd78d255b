import Foundation

/// Why a printer could not be reached or written to, naming the printer and the reason in plain words.
public struct PrinterError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Reason: Equatable, Sendable {
        /// Connected (or not) and then silence: nothing within the timeout.
        case notAnswering
        /// Nothing listens there: switched off, or the wrong address.
        case refused
        /// The printer closed the connection (or it broke) part way.
        case dropped
        /// The host name is not known on this network.
        case unknownHost
        /// It answered, but not with status bytes: not an ESC/POS printer, or not at that port.
        case garbled
        /// A device or file that cannot be opened or written.
        case device(String)
        /// The printer said it cannot print (paper out, cover open).
        case cannotPrint(String)
    }

    public var printer: String
    public var reason: Reason

    public init(printer: String, _ reason: Reason) {
        self.printer = printer
        self.reason = reason
    }

    /// The reason alone, as the register shows it: "paper out", "not answering".
    public var words: String {
        switch reason {
        case .notAnswering: return "not answering"
        case .refused: return "not answering (connection refused: is it on, is the address right?)"
        case .dropped: return "connection dropped"
        case .unknownHost: return "unknown host"
        case .garbled: return "not answering like a receipt printer"
        case let .device(why): return why
        case let .cannotPrint(why): return why
        }
    }

    public var description: String { "printer \(printer): \(words)" }
}

/// One conversation with a receipt printer: its status asked with `DLE EOT`, and bytes written, on one TCP
/// connection (opened at the first call, closed with the connection) or to a device path.
///
/// Every wait has the timeout: connecting, each status answer, and each part of a write. A printer that never
/// answers costs at most a few timeouts, never a hung till. Blocking: call it off the key loop.
public final class PrinterConnection {
    public let address: PrinterAddress
    public let timeout: Duration
    private var socket: Int32 = -1

    public init(address: PrinterAddress, timeout: Duration = .seconds(2)) {
        self.address = address
        self.timeout = timeout
    }

    deinit { close() }

    public func close() {
        if socket >= 0 { Glibc.close(socket) }
        socket = -1
    }

    private var milliseconds: Int32 {
        let parts = timeout.components
        return Int32(clamping: max(1, parts.seconds * 1000 + parts.attoseconds / 1_000_000_000_000_000))
    }

    private func failure(_ reason: PrinterError.Reason) -> PrinterError {
        PrinterError(printer: address.description, reason)
    }

    /// Asks DLE EOT 1, 2 and 4. A device path says `.unknown`: a USB printer's status cannot be read back
    /// reliably through `lp`.
    public func status() throws -> PrinterStatus {
        guard case .network = address else { return .unknown }
        let fd = try connected()
        // Bytes left over (an answer to a DLE EOT that happened to be inside raster data) are not this answer.
        discardPending(fd)
        var answers: [UInt8] = []
        for n: UInt8 in [1, 2, 4] {
            try write(fd, [0x10, 0x04, n])
            answers.append(try readByte(fd))
        }
        guard let status = PrinterStatus(printer: answers[0], offlineCause: answers[1], paper: answers[2]) else {
            close()
            throw failure(.garbled)
        }
        return status
    }

    /// Writes every byte, or throws naming why it could not.
    public func send(_ bytes: [UInt8]) throws {
        switch address {
        case .network:
            try write(try connected(), bytes)
        case let .device(path):
            try writeDevice(path, bytes)
        }
    }

    // MARK: - TCP

    private func connected() throws -> Int32 {
        if socket >= 0 { return socket }
        guard case let .network(host, port) = address else { throw failure(.device("not a network printer")) }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else { throw failure(.unknownHost) }
        defer { freeaddrinfo(list) }
        var lastReason = PrinterError.Reason.notAnswering
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            entry = info.pointee.ai_next
            let fd = Glibc.socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            guard fd >= 0 else { continue }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            var one: Int32 = 1
            _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 {
                socket = fd
                return fd
            }
            guard errno == EINPROGRESS else {
                lastReason = errno == ECONNREFUSED ? .refused : .notAnswering
                Glibc.close(fd)
                continue
            }
            var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&poller, 1, milliseconds)
            var problem: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            if ready == 1, getsockopt(fd, SOL_SOCKET, SO_ERROR, &problem, &length) == 0, problem == 0 {
                socket = fd
                return fd
            }
            lastReason = ready == 1 && problem == ECONNREFUSED ? .refused : .notAnswering
            Glibc.close(fd)
        }
        throw failure(lastReason)
    }

    private func write(_ fd: Int32, _ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count > 0 {
                sent += count
                continue
            }
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
                var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                guard poll(&poller, 1, milliseconds) == 1 else {
                    close()
                    throw failure(.notAnswering)
                }
                if poller.revents & Int16(POLLERR | POLLHUP) != 0 {
                    close()
                    throw failure(.dropped)
                }
                continue
            }
            close()
            throw failure(.dropped)
        }
    }

    private func readByte(_ fd: Int32) throws -> UInt8 {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while true {
            let ready = poll(&poller, 1, milliseconds)
            if ready < 0 && errno == EINTR { continue }
            guard ready == 1 else {
                close()
                throw failure(.notAnswering)
            }
            var byte: UInt8 = 0
            let count = recv(fd, &byte, 1, 0)
            if count == 1 { return byte }
            if count < 0 && (errno == EAGAIN || errno == EINTR) { continue }
            close()
            throw failure(.dropped)
        }
    }

    private func discardPending(_ fd: Int32) {
        var buffer = [UInt8](repeating: 0, count: 256)
        while recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT)) > 0 {}
    }

    // MARK: - Device or file

    private func writeDevice(_ path: String, _ bytes: [UInt8]) throws {
        // Created when missing (a file standing in for a printer); appended to, as a printer prints one job after
        // another.
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure(.device("cannot be opened (\(String(cString: strerror(errno))))")) }
        defer { Glibc.close(fd) }
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                sent += count
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                throw failure(.device("writing failed (\(String(cString: strerror(errno))))"))
            }
        }
    }
}
