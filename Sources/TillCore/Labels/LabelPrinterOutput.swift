import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where label bytes go: a printer device or a file (appended to, as a print spooler would), or a network printer's
/// raw port (`tcp://HOST:PORT`, the JetDirect port 9100 when no port is given): connect within the timeout, write
/// every byte, close. Nothing is kept open between jobs.
///
/// A minimal connection of its own, meant to give way to the shared network-printer connection (status queries,
/// retries) when that exists: `send` is the one entry point.
public enum LabelPrinterOutput {
    public enum Destination: Equatable, Sendable, CustomStringConvertible {
        case file(String)
        case tcp(host: String, port: UInt16)

        public var description: String {
            switch self {
            case let .file(path): return path
            case let .tcp(host, port): return "tcp://\(host.contains(":") ? "[\(host)]" : host):\(port)"
            }
        }
    }

    public static let rawPort: UInt16 = 9100

    /// `tcp://HOST[:PORT]` (an IPv6 host in brackets: `tcp://[::1]:9100`), else a path.
    public static func destination(_ text: String) throws -> Destination {
        guard text.lowercased().hasPrefix("tcp://") else {
            guard !text.isEmpty else { throw TillError.invalid("the printer needs a path or tcp://HOST:PORT") }
            return .file(text)
        }
        var rest = Substring(text.dropFirst("tcp://".count))
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        let host: Substring
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw TillError.invalid("printer \(text): an IPv6 host ends with ]") }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw TillError.invalid("printer \(text): expected :PORT after the host") }
                portText = after.dropFirst()
            }
        } else if let colon = rest.lastIndex(of: ":") {
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
        } else {
            host = rest
        }
        guard !host.isEmpty else { throw TillError.invalid("printer \(text): no host (tcp://HOST:PORT)") }
        var port = rawPort
        if let portText {
            guard let value = UInt16(portText), value > 0 else {
                throw TillError.invalid("printer \(text): the port is a number from 1 to 65535")
            }
            port = value
        }
        return .tcp(host: String(host), port: port)
    }

    /// Sends `bytes` to the printer; returns once every byte was written (or throws, naming the printer).
    /// `asksStatus`: an ESC/POS printer on the network is asked its status (`DLE EOT`, as a receipt printer is)
    /// before — one out of paper or with its cover open is not sent the labels, which stay queued — and after,
    /// so labels that did not print are not taken off the queue. A Zebra speaking ZPL does not answer `DLE EOT`,
    /// so ZPL is only written.
    public static func send(_ bytes: [UInt8], to printer: String, asksStatus: Bool = false, timeout: TimeInterval = 5) throws {
        switch try destination(printer) {
        case let .file(path): try append(bytes, to: path)
        case let .tcp(host, port) where asksStatus:
            let connection = PrinterConnection(address: .network(host: host, port: port),
                                               timeout: .milliseconds(Int64(timeout * 1000)))
            defer { connection.close() }
            let before = try connection.status()
            guard !before.refusesPrinting else {
                throw TillError.invalid("label printer \(printer): \(before.summary); nothing printed, the labels stay queued")
            }
            try connection.send(bytes)
            let after = try connection.status()
            guard !after.refusesPrinting else {
                throw TillError.invalid("label printer \(printer): \(after.summary) while printing; the labels stay queued (print them again)")
            }
        case let .tcp(host, port): try sendTCP(bytes, host: host, port: port, timeout: timeout)
        }
    }

    static func append(_ bytes: [UInt8], to path: String) throws {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw TillError.invalid("the label printer \(path) cannot be opened: \(errorText(errno))") }
        defer { close(fd) }
        try writeAll(bytes, to: fd) { "printing to \(path) failed: \(errorText($0))" }
    }

    static func sendTCP(_ bytes: [UInt8], host: String, port: UInt16, timeout: TimeInterval) throws {
        let name = Destination.tcp(host: host, port: port).description
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if os(Linux)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var found: UnsafeMutablePointer<addrinfo>?
        let lookup = getaddrinfo(host, String(port), &hints, &found)
        guard lookup == 0, let first = found else {
            throw TillError.invalid("the label printer \(name) cannot be reached: \(String(cString: gai_strerror(lookup)))")
        }
        defer { freeaddrinfo(first) }
        var lastError = "no address"
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let address = candidate {
            candidate = address.pointee.ai_next
            let fd = socket(address.pointee.ai_family, address.pointee.ai_socktype, address.pointee.ai_protocol)
            guard fd >= 0 else { lastError = errorText(errno); continue }
            do {
                try connect(fd, address.pointee.ai_addr, address.pointee.ai_addrlen, timeout: timeout)
            } catch let problem as ConnectProblem {
                close(fd)
                lastError = problem.text
                continue
            }
            defer { close(fd) }
            var sendTimeout = timeval(tv_sec: Int(timeout), tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &sendTimeout, socklen_t(MemoryLayout<timeval>.size))
            #if !os(Linux)
            var one: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
            #endif
            try writeAll(bytes, to: fd, socket: true) { "printing to the label printer \(name) failed: \(errorText($0))" }
            // Everything sent: say so, so the printer sees the end of the job before the connection goes.
            shutdown(fd, Int32(SHUT_WR))
            return
        }
        throw TillError.invalid("the label printer \(name) cannot be reached: \(lastError)")
    }

    private struct ConnectProblem: Error { var text: String }

    /// Connects a blocking socket within `timeout`: non-blocking connect, then poll for it to be writable.
    private static func connect(_ fd: Int32, _ address: UnsafeMutablePointer<sockaddr>?, _ length: socklen_t,
                                timeout: TimeInterval) throws {
        let flags = fcntl(fd, F_GETFL, 0)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        #if os(Linux)
        let started = Glibc.connect(fd, address, length)
        #else
        let started = Darwin.connect(fd, address, length)
        #endif
        if started != 0 {
            guard errno == EINPROGRESS else { throw ConnectProblem(text: errorText(errno)) }
            var waiting = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&waiting, 1, Int32(timeout * 1000))
            if ready == 0 { throw ConnectProblem(text: "no answer within \(Int(timeout)) s") }
            guard ready > 0 else { throw ConnectProblem(text: errorText(errno)) }
            var failure: Int32 = 0
            var size = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &failure, &size)
            if failure != 0 { throw ConnectProblem(text: errorText(failure)) }
        }
        _ = fcntl(fd, F_SETFL, flags)
    }

    private static func writeAll(_ bytes: [UInt8], to fd: Int32, socket: Bool = false,
                                 failure: (Int32) -> String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { buffer -> Int in
                #if os(Linux)
                // MSG_NOSIGNAL: a printer that hangs up is an error here, not a SIGPIPE that ends the till.
                return socket ? Glibc.send(fd, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL)) : write(fd, buffer.baseAddress, buffer.count)
                #else
                return write(fd, buffer.baseAddress, buffer.count)
                #endif
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw TillError.invalid(failure(errno == EAGAIN || errno == EWOULDBLOCK ? ETIMEDOUT : errno))
            }
            offset += written
        }
    }

    private static func errorText(_ code: Int32) -> String { String(cString: strerror(code)) }
}
