import Foundation

/// A receipt printer on 127.0.0.1 at a port of its own, as a shop's LAN printer is reached (raw ESC/POS over
/// TCP): it keeps every byte a job sends, answers `DLE EOT 1/2/4` with the status bytes of its state (Epson's
/// bit layout, see `PrinterStatus`), and misbehaves on demand — out of paper, cover open, paper low, the
/// connection dropped part way through a job, a printer that accepts and never answers, and one that refuses
/// connections.
public final class FakeReceiptPrinter: @unchecked Sendable {
    public enum State: Equatable, Sendable {
        case ready, paperOut, coverOpen, paperNearEnd
        /// Accepts connections and reads, never answers a status request.
        case silent
    }

    public let port: UInt16
    public var address: String { "tcp://127.0.0.1:\(port)" }

    private let lock = NSLock()
    private var listener: Int32 = -1
    private var stopped = false
    private var _state = State.ready
    private var _received: [UInt8] = []
    private var _queries: [UInt8] = []
    private var _connections = 0
    private var dropAfter: Int?
    private var runsOutAfter: Int?
    private var open: [Int32] = []

    /// Listens on 127.0.0.1:`port` (0: a free port the system picks).
    public init(port: UInt16 = 0) throws {
        var bound: UInt16 = 0
        listener = try FakeReceiptPrinter.listen(port: port, bound: &bound)
        self.port = bound
        Thread.detachNewThread { [weak self] in
            while let printer = self, printer.acceptOnce() {}
        }
    }

    deinit { stop() }

    public func stop() {
        lock.withLock {
            stopped = true
            // Shut down first: a thread polling the socket keeps it listening after a bare close.
            if listener >= 0 {
                shutdown(listener, Int32(SHUT_RDWR))
                close(listener)
            }
            listener = -1
            for fd in open { shutdown(fd, Int32(SHUT_RDWR)) }
        }
    }

    // MARK: - What it does

    public var state: State {
        get { lock.withLock { _state } }
        set { lock.withLock { _state = newValue } }
    }

    /// The print data received and printed (every byte but the status requests, none while out of paper or
    /// with the cover open), across connections.
    public var received: [UInt8] { lock.withLock { _received } }
    /// The `n` of each `DLE EOT n` asked, in order.
    public var statusQueries: [UInt8] { lock.withLock { _queries } }
    public var connections: Int { lock.withLock { _connections } }

    /// The printable text of what was received (ESC/POS commands' ASCII arguments included), for `contains`.
    public var receivedText: String {
        String(decoding: received.map { (0x20..<0x7F).contains($0) || $0 == 0x0A ? $0 : 0x20 }, as: UTF8.self)
    }

    public func clearReceived() { lock.withLock { _received = [] } }

    /// The next job's connection is closed after `bytes` of print data (a cable pulled, a printer rebooting).
    public func dropConnection(afterBytes bytes: Int) { lock.withLock { dropAfter = bytes } }

    /// The paper runs out after `bytes` of print data: the receipt is cut short, and the status after says so.
    public func runOutOfPaper(afterBytes bytes: Int) { lock.withLock { runsOutAfter = _received.count + bytes } }

    /// Stops listening: connecting is refused (nothing at the port) until `acceptConnections()`.
    public func refuseConnections() {
        lock.withLock {
            // Shut down first: a thread polling the socket keeps it listening after a bare close.
            if listener >= 0 {
                shutdown(listener, Int32(SHUT_RDWR))
                close(listener)
            }
            listener = -1
        }
    }

    public func acceptConnections() throws {
        var bound: UInt16 = 0
        let fd = try FakeReceiptPrinter.listen(port: port, bound: &bound)
        lock.withLock { listener = fd }
    }

    /// Waits until at least `count` bytes of print data have arrived; false on timeout.
    @discardableResult
    public func waitForData(atLeast count: Int, timeout: TimeInterval = 5) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if received.count >= count { return true }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return received.count >= count
    }

    /// Epson's answers to DLE EOT 1, 2 and 4 in `state`.
    public static func statusBytes(_ state: State) -> [UInt8: UInt8] {
        switch state {
        case .ready, .silent: return [1: 0x12, 2: 0x12, 4: 0x12]
        // Offline; stopped by paper end; the roll sensor sees near end and end.
        case .paperOut: return [1: 0x1A, 2: 0x32, 4: 0x7E]
        // Offline; cover open.
        case .coverOpen: return [1: 0x1A, 2: 0x16, 4: 0x12]
        // Online; the near-end sensor is on.
        case .paperNearEnd: return [1: 0x12, 2: 0x12, 4: 0x1E]
        }
    }

    // MARK: - Sockets

    private static func listen(port: UInt16, bound: inout UInt16) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TillTestError("fake printer: socket() failed") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0, Glibc.listen(fd, 16) == 0 else {
            close(fd)
            throw TillTestError("fake printer: cannot listen on 127.0.0.1:\(port)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        bound = UInt16(bigEndian: address.sin_port)
        return fd
    }

    /// Waits a moment for a connection and serves it; false once stopped. The accepting thread holds the printer
    /// only for one wait, so a test that drops it stops it.
    private func acceptOnce() -> Bool {
        let (fd, done) = lock.withLock { (listener, stopped) }
        if done { return false }
        guard fd >= 0 else {
            Thread.sleep(forTimeInterval: 0.02)
            return true
        }
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, 50) == 1 else { return true }
        let client = accept(fd, nil, nil)
        guard client >= 0 else { return true }
        lock.withLock {
            _connections += 1
            open.append(client)
        }
        Thread.detachNewThread { [self] in serve(client) }
        return true
    }

    private func serve(_ fd: Int32) {
        defer {
            lock.withLock { open.removeAll { $0 == fd } }
            close(fd)
        }
        var pending: [UInt8] = []
        var dataHere = 0
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            guard count > 0 else { return }
            pending += buffer[0..<count]
            var answers: [UInt8] = []
            var index = 0
            var drop = false
            // A real printer answers DLE EOT wherever it appears in the stream; so does this one, in order with the
            // data around it (paper that ran out part way is seen by the next request).
            lock.lock()
            while index < pending.count {
                if pending[index] == 0x10 {
                    guard index + 2 < pending.count else { break }
                    if pending[index + 1] == 0x04, [1, 2, 4].contains(pending[index + 2]) {
                        let n = pending[index + 2]
                        _queries.append(n)
                        if _state != .silent, let byte = FakeReceiptPrinter.statusBytes(_state)[n] { answers.append(byte) }
                        index += 3
                        continue
                    }
                }
                if let limit = dropAfter, dataHere >= limit {
                    dropAfter = nil
                    drop = true
                    break
                }
                if let limit = runsOutAfter, _received.count >= limit {
                    runsOutAfter = nil
                    _state = .paperOut
                }
                if _state != .paperOut && _state != .coverOpen { _received.append(pending[index]) }
                dataHere += 1
                index += 1
            }
            lock.unlock()
            pending.removeFirst(index)
            if drop { return }
            if !answers.isEmpty {
                _ = answers.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            }
        }
    }
}
