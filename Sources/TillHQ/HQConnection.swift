import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import Synchronization

/// One session with head office's PostgreSQL, used from plain blocking code: the CLI, workers, and Swift
/// Testing tests. Each call blocks its thread until the answer, or until its timeout.
///
/// Built on postgres-nio's EventLoopFuture API and `wait()`, never on async/await bridged with a semaphore:
/// such a bridge needs a free thread of Swift's cooperative pool to finish the task, and a 2-core machine has
/// two, both possibly blocked in waits like this one (it deadlocked). The futures complete on a private NIO
/// event loop thread instead, whatever the pool is doing. So: never call this on a NIO event loop.
///
/// Calls on one connection run one at a time (a second thread waits its turn), as a PostgreSQL session does.
/// After a transport failure (a drop, a timeout) the connection is closed and every later call fails with
/// `.unreachable`: what the server applied of the last call is unknown, and a new connection is the way on.
public final class HQConnection: @unchecked Sendable {
    public let url: PostgresURL
    /// The time each call may take when it does not say otherwise.
    public let callTimeout: TimeAmount

    private let connection: PostgresConnection
    /// For extensions that need postgres-nio's own API (COPY).
    var postgres: PostgresConnection { connection }
    private let lock = NSLock()
    /// Why the connection can no longer be used (set once, under `lock`).
    private var unusable: HQError?

    /// One thread serves every connection of the process: a till holds a handful at most, and their work is
    /// waiting on the network. Created on first use and never shut down, like NIO's own singletons.
    private static let eventLoopGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    /// A CLI's output belongs to its user, and postgres-nio logs every connection event.
    static var silentLogger: Logger { logger }
    private static let logger = Logger(label: "till.hq", factory: { _ in SwiftLogNoOpLogHandler() })
    private static let lastID = Mutex(0)

    private init(url: PostgresURL, connection: PostgresConnection, callTimeout: TimeAmount) {
        self.url = url
        self.connection = connection
        self.callTimeout = callTimeout
    }

    deinit {
        if unusable == nil { Self.closeWithoutWaiting(connection) }
    }

    /// Connects and logs in. `timeout` bounds the TCP connection, TLS and login together.
    public static func connect(_ url: PostgresURL, timeout: TimeAmount = .seconds(10),
                               callTimeout: TimeAmount = .seconds(30)) throws -> HQConnection {
        var configuration = try makeConfiguration(url)
        configuration.options.connectTimeout = timeout
        let id = lastID.withLock { value in
            value += 1
            return value
        }
        let future = PostgresConnection.connect(on: eventLoopGroup.next(), configuration: configuration,
                                                id: id, logger: logger)
        do {
            let connection = try wait(future, until: .now() + timeout, late: { closeWithoutWaiting($0) },
                                      timedOut: .unreachable("cannot reach head office at \(url.endpoint): no connection within \(HQError.seconds(timeout))"))
            return HQConnection(url: url, connection: connection, callTimeout: callTimeout)
        } catch {
            throw HQError.from(error, endpoint: url.endpoint)
        }
    }

    /// Runs one statement and returns its rows (none for a statement without results).
    ///
    /// `binds` fill `$1`, `$2`, … as text, with no type given, the way psql's `\bind` does: the server reads each
    /// as whatever type the statement needs there (`WHERE id = $1` with `"42"`), and a cast settles the rest
    /// (`$1::jsonb`). nil is NULL.
    @discardableResult
    public func query(_ sql: String, _ binds: [String?] = [], timeout: TimeAmount? = nil) throws -> [HQRow] {
        let deadline = Deadline(timeout ?? callTimeout)
        return try serialized { try run(sql, binds, deadline) }
    }

    /// Runs a script of several statements (a migration), for effect only, with the simple query protocol's
    /// meaning: outside a transaction the whole script is one transaction; inside the caller's open
    /// transaction it just runs, and a failure leaves that transaction failed. A script with its own BEGIN,
    /// COMMIT or the like runs as written, except that a failure rolls back what it left open. The timeout
    /// covers the whole script.
    public func simple(_ sql: String, timeout: TimeAmount? = nil) throws {
        let deadline = Deadline(timeout ?? callTimeout)
        let statements = try SQLScript.statements(sql)
        try serialized {
            let controlsTransactions = statements.contains { Self.transactionControl.contains($0.keyword) }
            if controlsTransactions {
                do {
                    for statement in statements { try run(statement.sql, [], deadline) }
                } catch {
                    // A statement failed between the script's BEGIN and COMMIT: the transaction is aborted, and
                    // the only thing left to do with it is what a caller would otherwise have to remember.
                    if !HQError.from(error, endpoint: url.endpoint).isTransport {
                        _ = try? run("ROLLBACK", [], deadline)
                    }
                    throw error
                }
                return
            }
            guard statements.count > 1 else {
                for statement in statements { try run(statement.sql, [], deadline) }
                return
            }
            // SAVEPOINT is refused outside a transaction block (25P01) and harmless inside one: the cheapest
            // way to learn whether the caller already opened a transaction that COMMIT must not end.
            var inCallersTransaction = true
            do {
                try run("SAVEPOINT till_hq_simple", [], deadline)
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "25P01" {
                inCallersTransaction = false
            }
            if inCallersTransaction {
                for statement in statements { try run(statement.sql, [], deadline) }
                try run("RELEASE SAVEPOINT till_hq_simple", [], deadline)
                return
            }
            try run("BEGIN", [], deadline)
            do {
                for statement in statements { try run(statement.sql, [], deadline) }
                try run("COMMIT", [], deadline)
            } catch {
                if !HQError.from(error, endpoint: url.endpoint).isTransport {
                    _ = try? run("ROLLBACK", [], deadline)
                }
                throw error
            }
        }
    }

    /// Ends the session. Later calls fail with `.unreachable`; closing again does nothing.
    public func close() {
        lock.lock()
        defer { lock.unlock() }
        guard unusable == nil else { return }
        unusable = .unreachable("the connection to head office at \(url.endpoint) is closed")
        let closed = Self.closeWithoutWaiting(connection)
        _ = try? Self.wait(closed, until: .now() + .seconds(5), late: { _ in },
                           timedOut: .unreachable("closing timed out"))
    }

    public var isClosed: Bool {
        lock.lock()
        defer { lock.unlock() }
        return unusable != nil
    }

    /// First words of the statements that open or end transactions: a script with one runs as written.
    private static let transactionControl: Set<String> = ["begin", "start", "commit", "end", "rollback", "abort",
                                                          "savepoint", "release"]

    private func serialized<T>(_ body: () throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        if let unusable { throw unusable }
        do {
            return try body()
        } catch {
            let mapped = HQError.from(error, endpoint: url.endpoint)
            if mapped.isTransport {
                unusable = .unreachable("the connection to head office at \(url.endpoint) was given up after: \(mapped)")
                Self.closeWithoutWaiting(connection)
            }
            throw mapped
        }
    }

    @discardableResult
    private func run(_ sql: String, _ binds: [String?], _ deadline: Deadline) throws -> [HQRow] {
        var bindings = PostgresBindings(capacity: binds.count)
        for bind in binds {
            if let bind { bindings.append(TextParameter(text: bind)) } else { bindings.appendNull() }
        }
        let future = connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: Self.logger)
        let dropped = HQError.unreachable("the connection to head office at \(url.endpoint) dropped")
        let timedOut = HQError.unreachable("no answer from head office at \(url.endpoint) within \(HQError.seconds(deadline.allowed))")
        let result = try Self.wait(future, until: deadline.instant, closing: (connection.closeFuture, dropped),
                                   late: { _ in }, timedOut: timedOut)
        return try result.rows.map(HQRow.init)
    }

    /// `future`'s value, or `timedOut` once `deadline` passes; a value that arrives after that goes to `late`
    /// (a connection made too late must still be closed).
    ///
    /// When `closing` completes first, the connection is gone and the answer will not come: a query sent just
    /// as the server ends the session (pg_terminate_backend, a restart) is otherwise left waiting by
    /// postgres-nio until the deadline. postgres-nio gets a moment to fail the query itself first, since its
    /// error may carry the server's reason.
    private static func wait<T: Sendable>(_ future: EventLoopFuture<T>, until deadline: NIODeadline,
                                          closing: (future: EventLoopFuture<Void>, error: HQError)? = nil,
                                          late: @escaping @Sendable (T) -> Void, timedOut: HQError) throws -> T {
        let loop = future.eventLoop
        let promise = loop.makePromise(of: T.self)
        let decided = Decided()
        let timer = loop.scheduleTask(deadline: deadline) {
            if decided.claim() { promise.fail(timedOut) }
        }
        if let closing {
            closing.future.whenComplete { _ in
                loop.scheduleTask(in: .milliseconds(200)) {
                    if decided.claim() {
                        timer.cancel()
                        promise.fail(closing.error)
                    }
                }
            }
        }
        future.whenComplete { result in
            timer.cancel()
            if decided.claim() {
                promise.completeWith(result)
            } else if case .success(let value) = result {
                late(value)
            }
        }
        return try promise.futureResult.wait()
    }

    /// The closure keeps `connection` alive until it is closed: postgres-nio traps (in debug builds) when a
    /// connection is freed still open, which an HQConnection given up after a timeout would otherwise do.
    @discardableResult
    private static func closeWithoutWaiting(_ connection: PostgresConnection) -> EventLoopFuture<Void> {
        let closed: EventLoopFuture<Void> = connection.close()
        closed.whenComplete { _ in withExtendedLifetime(connection) {} }
        return closed
    }

    private static func makeConfiguration(_ url: PostgresURL) throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        if let socketPath = url.socketPath {
            configuration = .init(unixSocketPath: socketPath, username: url.user, password: url.password,
                                  database: url.database)
        } else {
            let tls: PostgresConnection.Configuration.TLS
            do {
                switch url.sslmode {
                case .disable: tls = .disable
                case .prefer: tls = .prefer(try tlsContext(.none))
                case .require: tls = .require(try tlsContext(.none))
                case .verifyCA: tls = .require(try tlsContext(.noHostnameVerification))
                case .verifyFull: tls = .require(try tlsContext(.fullVerification))
                }
            } catch {
                throw HQError.invalid("cannot set up TLS for head office at \(url.endpoint): \(error)")
            }
            configuration = .init(host: url.host, port: url.port, username: url.user, password: url.password,
                                  database: url.database, tls: tls)
        }
        // HQRow prints binary results the way the server prints text; these pin the settings that would make
        // the two differ (a server whose postgresql.conf says otherwise, or a LATIN1 database).
        configuration.options.additionalStartupParameters = [
            ("client_encoding", "UTF8"),
            ("TimeZone", "UTC"),
            ("DateStyle", "ISO, YMD"),
            ("extra_float_digits", "1"),
            ("bytea_output", "hex"),
            ("application_name", url.applicationName ?? "till"),
        ]
        return configuration
    }

    private static func tlsContext(_ verification: CertificateVerification) throws -> NIOSSLContext {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = verification
        return try NIOSSLContext(configuration: tls)
    }
}

/// When a call must be done by, and the time it was given, for the message when it is not.
private struct Deadline {
    let instant: NIODeadline
    let allowed: TimeAmount

    init(_ allowed: TimeAmount) {
        self.allowed = allowed
        self.instant = .now() + allowed
    }
}

/// A bind sent as text with no type (OID 0), which the server reads as the type the statement needs.
private struct TextParameter: PostgresNonThrowingEncodable {
    var text: String
    static var psqlType: PostgresDataType { PostgresDataType(0) }
    static var psqlFormat: PostgresFormat { .text }

    func encode<JSONEncoder: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer,
                                                  context: PostgresEncodingContext<JSONEncoder>) {
        byteBuffer.writeString(text)
    }
}

/// Which of a call's answer and its timer came first: only that one completes the caller's promise.
private final class Decided: Sendable {
    private let taken = Mutex(false)

    func claim() -> Bool {
        taken.withLock { taken in
            defer { taken = true }
            return !taken
        }
    }
}
