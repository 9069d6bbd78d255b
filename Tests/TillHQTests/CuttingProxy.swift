import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A TCP proxy in front of PostgreSQL that cuts connections on demand: after a number of bytes from the
/// server (so a cut can fall after HQ committed a batch and before the store read the answer), or from the
/// client (mid-request). Stands in for a flaky shop line; the database behind it is real.
final class CuttingProxy: @unchecked Sendable {
    let port: Int
    private let upstreamPort: Int
    private let listener: Int32
    private let lock = NSLock()
    /// Bytes the next connection may carry server → client before it is cut (nil: never).
    private var serverBudget: Int?
    private var clientBudget: Int?
    private(set) var cuts = 0
    private var stopped = false

    init(upstreamPort: Int) throws {
        self.upstreamPort = upstreamPort
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 64) == 0 else { throw CocoaError(.fileWriteUnknown) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        self.port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// The next connection is cut after `server` bytes from PostgreSQL or `client` bytes from the store.
    func cutNext(server: Int?, client: Int?) {
        lock.lock()
        serverBudget = server
        clientBudget = client
        lock.unlock()
    }

    func stop() {
        lock.lock()
        stopped = true
        lock.unlock()
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                lock.lock()
                let done = stopped
                lock.unlock()
                if done { return }
                continue
            }
            lock.lock()
            let budgets = (serverBudget, clientBudget)
            serverBudget = nil
            clientBudget = nil
            lock.unlock()
            let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = UInt16(upstreamPort).bigEndian
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else {
                close(client)
                close(upstream)
                continue
            }
            let pair = Pair(client: client, upstream: upstream)
            Thread.detachNewThread { [self] in pump(from: upstream, to: client, budget: budgets.0, pair: pair) }
            Thread.detachNewThread { [self] in pump(from: client, to: upstream, budget: budgets.1, pair: pair) }
        }
    }

    private final class Pair: @unchecked Sendable {
        let client: Int32
        let upstream: Int32
        private let lock = NSLock()
        private var closed = 0
        init(client: Int32, upstream: Int32) {
            self.client = client
            self.upstream = upstream
        }
        func cut() {
            shutdown(client, Int32(SHUT_RDWR))
            shutdown(upstream, Int32(SHUT_RDWR))
        }
        func finished() {
            lock.lock()
            closed += 1
            let both = closed == 2
            lock.unlock()
            if both {
                close(client)
                close(upstream)
            }
        }
    }

    private func pump(from source: Int32, to destination: Int32, budget: Int?, pair: Pair) {
        var remaining = budget
        var buffer = [UInt8](repeating: 0, count: 16_384)
        defer { pair.finished() }
        while true {
            let count = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
            guard count > 0 else { pair.cut(); return }
            var toSend = count
            var cutting = false
            if let left = remaining {
                if count >= left {
                    toSend = left
                    cutting = true
                }
                remaining = left - toSend
            }
            var sent = 0
            while sent < toSend {
                let n = buffer.withUnsafeBytes { send(destination, $0.baseAddress! + sent, toSend - sent, Int32(MSG_NOSIGNAL)) }
                if n <= 0 { pair.cut(); return }
                sent += n
            }
            if cutting {
                lock.lock()
                cuts += 1
                lock.unlock()
                pair.cut()
                return
            }
        }
    }
}
