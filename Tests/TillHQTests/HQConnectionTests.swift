import Foundation
#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import Testing
@testable import TillHQ
import TillTestSupport

/// HQConnection against a real PostgreSQL (the test process's private cluster). These tests run in parallel
/// on Swift's small cooperative pool while each blocks its thread in a wait: finishing at all is part of what
/// they show.
@Suite("HQConnection")
struct HQConnectionTests {
    /// A fresh database and a connection to it.
    static func connect(_ prefix: String) throws -> (HQConnection, PostgresURL, PostgresCluster) {
        let cluster = try PostgresCluster.shared()
        let url = try PostgresURL(try cluster.database(prefix))
        return (try HQConnection.connect(url), url, cluster)
    }

    static func failure(_ body: () throws -> Void) -> HQError? {
        do {
            try body()
            return nil
        } catch let error as HQError {
            return error
        } catch {
            Issue.record("not an HQError: \(error)")
            return nil
        }
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    @Test func selectOne() throws {
        let (hq, _, _) = try Self.connect("hq_select")
        defer { hq.close() }
        let rows = try hq.query("SELECT 1 AS one")
        #expect(rows.count == 1)
        #expect(rows[0]["one"] == "1")
        #expect(rows[0][0] == "1")
        #expect(rows[0]["missing"] == nil && rows[0][5] == nil)
    }

    @Test func bindsAreTextTheServerReadsAsTheTypeNeeded() throws {
        let (hq, _, _) = try Self.connect("hq_binds")
        defer { hq.close() }
        let json = try hq.query("SELECT $1::jsonb ->> 'a' AS a, $2::bigint + 1 AS n", [#"{"a": "x;y", "b": 2}"#, "41"])
        #expect(json.first?["a"] == "x;y")
        #expect(json.first?["n"] == "42")

        try hq.query("CREATE TABLE item (id bigint PRIMARY KEY, name text, price numeric(10,2), data jsonb)")
        try hq.query("INSERT INTO item VALUES ($1, $2, $3, $4)", ["7", "O'Brien's \"tea\"", "3.5", nil])
        let item = try hq.query("SELECT * FROM item WHERE id = $1", ["7"])
        #expect(item.first?.columns == ["id", "name", "price", "data"])
        #expect(item.first?.values == ["7", "O'Brien's \"tea\"", "3.50", nil])
        #expect(try hq.query("SELECT count(*) FROM item WHERE data IS NULL")[0][0] == "1")

        let upsert = "INSERT INTO item (id, name) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET name = excluded.name RETURNING name"
        #expect(try hq.query(upsert, ["7", "green tea"])[0]["name"] == "green tea")
    }

    @Test func builtInTypesReadAsTheServerPrintsThem() throws {
        let (hq, url, cluster) = try Self.connect("hq_types")
        defer { hq.close() }
        let expressions = [
            "true", "false", "12::int2", "(-2147483648)::int4", "9223372036854775807::int8", "26::oid",
            "0::numeric", "-0.0001::numeric", "12345678.90::numeric", "1e-20::numeric", "10000::numeric",
            "'NaN'::numeric", "(2^70)::numeric", "-123.456e3::numeric", "0.1::float8", "1e15::float8", "1e14::float8",
            "123456.789::float8", "1e-5::float8", "0.0001::float8", "-2.5e-300::float8", "'Infinity'::float8",
            "'NaN'::float8", "1e22::float8", "0.1::float4", "1e6::float4", "123456::float4", "-0.0::float8",
            "'hé ✓'::text", "'ab'::char(4)", "'x'::\"char\"", "'{\"b\": [1, 2.50]}'::jsonb", "'{\"b\": [1, 2.50]}'::json",
            "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid", "'\\x00ff10'::bytea", "'2024-02-29'::date",
            "'0044-03-15 BC'::date", "'infinity'::date", "'1999-12-31 23:59:59.5'::timestamp",
            "'1969-07-20 20:17:40.000001'::timestamp", "'2024-05-01 09:30:00+02'::timestamptz",
            "'0001-01-01 00:00:00+00 BC'::timestamptz", "'-infinity'::timestamptz", "'13:45:06.25'::time",
            "'pg_class'::name", "pg_sleep(0)",
        ]
        // psql prints each value with the type's own output function, under the settings HQConnection pins.
        let printed = try cluster.psql(url.database, "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD';\n"
            + expressions.map { "SELECT \($0);" }.joined(separator: "\n"))
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (index, expression) in expressions.enumerated() {
            let row = try #require(try hq.query("SELECT \(expression) AS v").first)
            #expect(row["v"] == printed[index], "\(expression)")
        }
        // A type HQRow does not read is refused by name, with the cure.
        let error = Self.failure { try hq.query("SELECT '1 day'::interval AS span") }
        #expect(error?.description.contains("span::text") == true)
        #expect(try hq.query("SELECT '1 day'::interval::text AS span")[0]["span"] == "1 day")
        // An enum (no fixed OID) reads as its label.
        try hq.query("CREATE TYPE mood AS ENUM ('happy', 'sad')")
        #expect(try hq.query("SELECT 'sad'::mood AS m")[0]["m"] == "sad")
    }

    @Test func aServerErrorIsRefusedWithItsSQLStateAndTheConnectionGoesOn() throws {
        let (hq, _, _) = try Self.connect("hq_refused")
        defer { hq.close() }
        let error = Self.failure { try hq.query("SELECT 1/0") }
        #expect(error == .refused(sqlState: "22012", message: "division by zero"))
        #expect(error?.isTransport == false && error?.isPermissionDenied == false)
        #expect(try hq.query("SELECT 2")[0][0] == "2")
    }

    @Test func aMissingPrivilegeIsPermissionDenied() throws {
        let (hq, url, _) = try Self.connect("hq_denied")
        defer { hq.close() }
        let role = "clerk_" + url.database.suffix(10)
        try hq.simple("""
            CREATE ROLE \(role) LOGIN PASSWORD 'clerk-pw';
            CREATE TABLE secret (x int);
            """)
        let clerk = try HQConnection.connect(url.with(user: role, password: "clerk-pw"))
        defer { clerk.close() }
        let error = Self.failure { try clerk.query("SELECT * FROM secret") }
        #expect(error?.isPermissionDenied == true)
        try hq.query("DROP TABLE secret")
        clerk.close()
        try hq.query("DROP ROLE \(role)")
    }

    @Test func aWrongPasswordIsRefusedWithoutShowingAnyPassword() throws {
        let cluster = try PostgresCluster.shared()
        let url = try PostgresURL(try cluster.database("hq_password"))
        let wrong = "Wr0ng-p@ss/word?%"
        let start = ContinuousClock.now
        let error = Self.failure { _ = try HQConnection.connect(url.with(user: "till", password: wrong)) }
        #expect(Self.seconds(since: start) < 5)
        guard case .refused(let sqlState, _) = try #require(error) else {
            Issue.record("got \(String(describing: error))")
            return
        }
        #expect(sqlState == "28P01")
        for text in [String(describing: error!), String(reflecting: error!)] {
            #expect(!text.contains(wrong) && !text.contains(cluster.password), "\(text)")
        }
    }

    @Test func aClosedPortIsUnreachableQuickly() throws {
        let url = try PostgresURL("postgresql://till:s3cret-pw@127.0.0.1:1/db?sslmode=disable")
        let start = ContinuousClock.now
        let error = Self.failure { _ = try HQConnection.connect(url, timeout: .seconds(5)) }
        #expect(Self.seconds(since: start) < 2)
        #expect(error?.isTransport == true)
        #expect(error?.description.contains("127.0.0.1:1") == true)
        #expect(error?.description.contains("s3cret") == false)
    }

    @Test func aServerThatNeverAnswersTimesOut() throws {
        // A listening socket that accepts and says nothing: the login's timeout, not TCP's, ends the wait.
        let listener = try SilentServer()
        defer { listener.close() }
        let url = try PostgresURL("postgresql://till:pw@127.0.0.1:\(listener.port)/db?sslmode=disable")
        let start = ContinuousClock.now
        let error = Self.failure { _ = try HQConnection.connect(url, timeout: .milliseconds(500)) }
        #expect(Self.seconds(since: start) < 3)
        #expect(error?.isTransport == true, "\(String(describing: error))")
    }

    @Test func aSlowQueryTimesOutAndTheConnectionIsGivenUp() throws {
        let (hq, _, _) = try Self.connect("hq_timeout")
        defer { hq.close() }
        let start = ContinuousClock.now
        let error = Self.failure { try hq.query("SELECT pg_sleep(5)", timeout: .milliseconds(300)) }
        #expect(Self.seconds(since: start) < 2)
        #expect(error?.isTransport == true)
        #expect(error?.description.contains("0.3 s") == true, "\(String(describing: error))")
        #expect(hq.isClosed)
        #expect(Self.failure { try hq.query("SELECT 1") }?.isTransport == true)
    }

    @Test func aDroppedConnectionIsUnreachable() throws {
        let (hq, url, _) = try Self.connect("hq_dropped")
        defer { hq.close() }
        let pid = try #require(try hq.query("SELECT pg_backend_pid()")[0][0])
        let other = try HQConnection.connect(url)
        defer { other.close() }
        #expect(try other.query("SELECT pg_terminate_backend($1)", [pid])[0][0] == "t")
        let start = ContinuousClock.now
        let error = Self.failure { try hq.query("SELECT 1") }
        #expect(Self.seconds(since: start) < 5)
        #expect(error?.isTransport == true, "\(String(describing: error))")
        #expect(try other.query("SELECT 1")[0][0] == "1")
    }

    @Test func aScriptRunsAsOneTransaction() throws {
        let (hq, _, _) = try Self.connect("hq_script")
        defer { hq.close() }
        try hq.simple("""
            -- a migration; semicolons in strings, comments and bodies are not ends of statements
            CREATE TABLE note (id int PRIMARY KEY, body text);
            INSERT INTO note VALUES (1, 'a; b'), (2, E'it\\'s; fine'), (3, $tag$x; $$ y$tag$);
            /* a block comment; /* nested; */ still; */
            CREATE FUNCTION bump() RETURNS int LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE note SET id = id + 10; RETURN 1;
            END $$;
            SELECT bump();
            """)
        let bodies = try hq.query("SELECT id, body FROM note ORDER BY id").map { "\($0[0]!):\($0[1]!)" }
        #expect(bodies == ["11:a; b", "12:it's; fine", "13:x; $$ y"])

        // The second statement fails, so the first is undone too.
        let error = Self.failure { try hq.simple("INSERT INTO note VALUES (20, 'kept?'); INSERT INTO note VALUES (11, 'dup');") }
        #expect(error?.description.contains("23505") == true)
        #expect(try hq.query("SELECT count(*) FROM note WHERE id = 20")[0][0] == "0")

        // Inside the caller's transaction, the script joins it and does not commit it.
        try hq.query("BEGIN")
        try hq.simple("INSERT INTO note VALUES (30, 'x'); INSERT INTO note VALUES (31, 'y');")
        try hq.query("ROLLBACK")
        #expect(try hq.query("SELECT count(*) FROM note WHERE id >= 30")[0][0] == "0")

        // A script with its own transaction control runs as written; when it fails inside its transaction, that
        // is rolled back rather than left aborted for the next call to trip on.
        try hq.simple("BEGIN; INSERT INTO note VALUES (40, 'z'); COMMIT; VACUUM note;")
        #expect(try hq.query("SELECT body FROM note WHERE id = 40")[0][0] == "z")
        #expect(Self.failure { try hq.simple("BEGIN; INSERT INTO note VALUES (41, 'w'); SELECT 1/0; COMMIT;") } != nil)
        #expect(try hq.query("SELECT count(*) FROM note WHERE id = 41")[0][0] == "0")

        #expect(throws: HQError.self) {
            try hq.simple("CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END;")
        }
    }

    @Test func theUnixSocketNeedsNoPassword() throws {
        let cluster = try PostgresCluster.shared()
        let tcp = try PostgresURL(try cluster.database("hq_socket"))
        let url = try PostgresURL("postgresql://till@/\(tcp.database)?host=\(cluster.directory)&port=\(cluster.port)")
        #expect(url.socketPath == "\(cluster.directory)/.s.PGSQL.\(cluster.port)")
        let hq = try HQConnection.connect(url)
        defer { hq.close() }
        #expect(try hq.query("SELECT current_database()")[0][0] == tcp.database)
    }

    @Test func sslmodeDecidesWhetherPlainTextWillDo() throws {
        // The private cluster has no certificate: prefer falls back to plain text, require gives up.
        let cluster = try PostgresCluster.shared()
        var url = try PostgresURL(try cluster.database("hq_tls"))
        url.sslmode = .prefer
        let hq = try HQConnection.connect(url)
        #expect(try hq.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")[0][0] == "f")
        hq.close()
        url.sslmode = .require
        let error = Self.failure { _ = try HQConnection.connect(url) }
        #expect(error?.isTransport == true && error?.description.contains("TLS") == true, "\(String(describing: error))")
    }

    @Test func theSessionSettingsHQRowReliesOnArePinned() throws {
        let (hq, _, _) = try Self.connect("hq_settings")
        defer { hq.close() }
        let row = try hq.query("SELECT current_setting('TimeZone') AS tz, current_setting('DateStyle') AS ds, current_setting('application_name') AS app")[0]
        #expect(row["tz"] == "UTC" && row["ds"] == "ISO, YMD" && row["app"] == "till")
    }

    @Test(arguments: 0..<6) func manyWaitingAtOnceDoNotDeadlock(_ index: Int) throws {
        let (hq, _, _) = try Self.connect("hq_parallel")
        defer { hq.close() }
        #expect(try hq.query("SELECT pg_sleep(0.3), $1::int * 2 AS n", [String(index)])[0]["n"] == String(index * 2))
    }

    @Test func threadsSharingAConnectionTakeTurns() throws {
        let (hq, _, _) = try Self.connect("hq_shared")
        defer { hq.close() }
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 8) { index in
            let value = try? hq.query("SELECT pg_sleep(0.05), $1::int AS n", [String(index)]).first?["n"]
            results.add(value ?? nil)
        }
        #expect(results.sorted == (0..<8).map(String.init).sorted())
    }

    @Suite("PostgresURL")
    struct URLParsing {
        @Test func theFullFormAndTheDefaults() throws {
            let url = try PostgresURL("postgresql://hq_writer:p%40ss%3Aw%2Frd%25@db.example.com:6432/chain?sslmode=verify-full&application_name=till%20shop")
            #expect(url.user == "hq_writer" && url.password == "p@ss:w/rd%")
            #expect(url.host == "db.example.com" && url.port == 6432 && url.database == "chain")
            #expect(url.sslmode == .verifyFull && url.applicationName == "till shop")

            let short = try PostgresURL("postgres://till@localhost")
            #expect(short.port == 5432 && short.database == "till" && short.password == nil && short.sslmode == .prefer)
            #expect(try PostgresURL("postgresql://a@[::1]:5433/d").host == "::1")
            #expect(try PostgresURL("postgresql://a@[::1]:5433/d").endpoint == "[::1]:5433")
            for mode in ["disable", "prefer", "require", "verify-ca", "verify-full"] {
                #expect(try PostgresURL("postgresql://a@h/d?sslmode=\(mode)").sslmode.rawValue == mode)
            }
        }

        @Test func thePasswordIsRedactedButKeptInString() throws {
            let url = try PostgresURL("postgresql://till:top%20secret%21@127.0.0.1:5432/hq?sslmode=require")
            #expect(url.password == "top secret!")
            #expect(url.description == "postgresql://till:***@127.0.0.1:5432/hq?sslmode=require")
            #expect("\(url)".contains("secret") == false)
            #expect(url.string == "postgresql://till:top%20secret%21@127.0.0.1:5432/hq?sslmode=require")
            #expect(try PostgresURL(url.string) == url)

            let other = url.with(user: "clerk", password: "p/w@x")
            #expect(other.description == "postgresql://clerk:***@127.0.0.1:5432/hq?sslmode=require")
            #expect(try PostgresURL(other.string) == other)
            #expect(url.with(user: "anon", password: nil).description == "postgresql://anon@127.0.0.1:5432/hq?sslmode=require")
        }

        @Test func aRawPasswordWithSpecialCharactersStillParses() throws {
            let url = try PostgresURL("postgresql://till:a@b/c?d@localhost/hq")
            #expect(url.password == "a@b/c?d" && url.host == "localhost" && url.database == "hq")
        }

        @Test func aSocketFolder() throws {
            let url = try PostgresURL("postgresql://till@/hq?host=/var/run/postgresql")
            #expect(url.socketPath == "/var/run/postgresql/.s.PGSQL.5432")
            #expect(try PostgresURL("postgresql://till@%2Ftmp%2Fpg:6000/hq").socketPath == "/tmp/pg/.s.PGSQL.6000")
            #expect(try PostgresURL(url.string) == url)
        }

        @Test func badURLsSayWhyWithoutRepeatingThePassword() {
            let cases = [
                "mysql://till:hunter2@h/d", "postgresql://till:hunter2@h:99999/d", "postgresql://till:hunter2@h/d?sslmode=maybe",
                "postgresql://till:hunter2%zz@h/d", "postgresql://:hunter2@h/d", "postgresql://till:hunter2@/d",
                "postgresql://till:hunter2@h/d?sslrootcert=/x",
            ]
            for text in cases {
                let error = HQConnectionTests.failure { _ = try PostgresURL(text) }
                guard case .badURL(let reason) = error else {
                    Issue.record("\(text): \(String(describing: error))")
                    continue
                }
                #expect(!reason.contains("hunter2"), "\(reason)")
            }
        }

        @Test func scriptsSplitWhereStatementsEnd() throws {
            let statements = try SQLScript.statements("select 1; -- x; y\n select ';' ; select $a$;$a$;; select $1 ;select a$b;")
            #expect(statements.map(\.sql) == ["select 1", "-- x; y\n select ';'", "select $a$;$a$", "select $1", "select a$b"])
            #expect(statements.map(\.keyword) == ["select", "select", "select", "select", "select"])
        }
    }
}

/// Values gathered from several threads.
private final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String] = []

    func add(_ value: String?) {
        lock.lock()
        defer { lock.unlock() }
        values.append(value ?? "nil")
    }

    var sorted: [String] {
        lock.lock()
        defer { lock.unlock() }
        return values.sorted()
    }
}

/// A loopback port that completes TCP handshakes (the kernel does, from the listen backlog) and never says a
/// word: a head office that hangs after connecting.
private final class SilentServer {
    let port: Int
    private let descriptor: Int32

    init() throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let fd = descriptor
        let ok = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard ok else { throw TillTestError("cannot listen on loopback: errno \(errno)") }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() { _ = Glibc.close(descriptor) }
}
