import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A private PostgreSQL server for head-office tests: started once per test process on a free loopback port,
/// in a temporary folder, and stopped when the process exits. Tests never touch a system cluster, and each
/// takes a fresh database of its own (`database(_:)`), so they run in parallel without seeing each other.
///
/// The superuser `till` logs in with a random password over TCP (SCRAM, as a real head office would ask) and
/// without one over the Unix socket, which is how `psql(_:_:)` sets up and inspects.
///
/// With no PostgreSQL installed, `shared()` throws and the tests fail: a skipped head-office suite would look
/// like a passing one. CI installs it (`.ci/run`).
public final class PostgresCluster: Sendable {
    public let port: Int
    /// Holds the server's socket file, the data folder and the log.
    public let directory: String
    public let superuser = "till"
    public let password: String
    private let binDirectory: String
    private let psqlPath: String

    private init(port: Int, directory: String, password: String, binDirectory: String, psqlPath: String) {
        self.port = port
        self.directory = directory
        self.password = password
        self.binDirectory = binDirectory
        self.psqlPath = psqlPath
    }

    private static let lock = NSLock()
    /// The one cluster of this process, or why it could not start (kept, so that the other tests fail fast
    /// with the same reason instead of each trying again). Guarded by `lock`.
    nonisolated(unsafe) private static var started: Result<PostgresCluster, any Error>?
    /// Read by the exit handler, which can capture nothing.
    nonisolated(unsafe) private static var running: PostgresCluster?

    /// The process's cluster, started on first use. Safe to call from parallel tests: the first caller starts
    /// it while the others wait.
    public static func shared() throws -> PostgresCluster {
        lock.lock()
        defer { lock.unlock() }
        if let started { return try started.get() }
        let result = Result { try start() }
        started = result
        return try result.get()
    }

    /// A new, empty database named `prefix_<random>`, as the URL a client connects with
    /// (`postgresql://till:PASSWORD@127.0.0.1:PORT/NAME?sslmode=disable`).
    public func database(_ prefix: String) throws -> String {
        let cleaned = String(prefix.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" }.prefix(40))
        let name = (cleaned.isEmpty ? "test" : cleaned) + "_" + Self.randomHex(5)
        _ = try psql("postgres", "CREATE DATABASE \"\(name)\"")
        return url(name)
    }

    /// The TCP URL of `database`, with the superuser's password.
    public func url(_ database: String) -> String {
        "postgresql://\(superuser):\(password)@127.0.0.1:\(port)/\(database)?sslmode=disable"
    }

    /// Runs `sql` (statements, psql's backslash commands too) in `database` as the superuser over the socket,
    /// unaligned and without headers, and returns what psql printed. The first error stops it and throws,
    /// with psql's message.
    public func psql(_ database: String, _ sql: String) throws -> String {
        let result = try TillProcess.execute(URL(fileURLWithPath: psqlPath),
                                             ["-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-h", directory,
                                              "-p", String(port), "-U", superuser, "-d", database, "-f", "-"],
                                             environment: ["PGOPTIONS": "", "PGCONNECT_TIMEOUT": "10"], input: sql)
        guard result.status == 0 else {
            throw TillTestError("psql in \(database) failed (\(result.status)): \(result.stderr)")
        }
        return result.stdout
    }

    // MARK: Starting and stopping

    private static func start() throws -> PostgresCluster {
        guard let binDirectory = findBinDirectory() else {
            throw TillTestError("PostgreSQL is not installed: apt-get install postgresql (initdb and pg_ctl were "
                + "looked for in /usr/lib/postgresql/*/bin and on PATH)")
        }
        let psqlPath = FileManager.default.isExecutableFile(atPath: binDirectory + "/psql")
            ? binDirectory + "/psql" : findOnPath("psql")
        guard let psqlPath else { throw TillTestError("PostgreSQL's psql is not installed: apt-get install postgresql-client") }

        // initdb refuses to run as root, and CI runs as root: the server's files then belong to `postgres`.
        let asRoot = getuid() == 0
        var runuser: String?
        if asRoot {
            guard getpwnam("postgres") != nil else {
                throw TillTestError("running as root, PostgreSQL needs the postgres user to run as (apt-get install postgresql creates it)")
            }
            runuser = findOnPath("runuser")
            guard runuser != nil else { throw TillTestError("running as root needs runuser (util-linux) to start PostgreSQL") }
        }

        // /tmp rather than $TMPDIR: the socket path must fit in 107 bytes, and `postgres` must be able to reach
        // the folder, which it cannot under root's own TMPDIR.
        let directory = "/tmp/till-pg-" + randomHex(6)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o700])
        try Data("\(getpid())\n".utf8).write(to: URL(fileURLWithPath: directory + "/owner"))
        let password = randomHex(16)
        let passwordFile = directory + "/pwfile"
        try Data((password + "\n").utf8).write(to: URL(fileURLWithPath: passwordFile))
        if asRoot { try chownToPostgres(directory) }

        let asPostgres = runuser.map { [$0, "-u", "postgres", "--"] } ?? []
        /// The program's exit status and what it printed. Not through Foundation's Process: that learns of a
        /// child's exit when a socket it hands the child closes, and the server pg_ctl leaves running would
        /// hold it open for good.
        func run(_ program: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
            let outputFile = directory + "/\(program).out"
            let status = spawn(asPostgres + [binDirectory + "/" + program] + arguments, output: outputFile)
            let output = (try? String(contentsOfFile: outputFile, encoding: .utf8)) ?? ""
            try? FileManager.default.removeItem(atPath: outputFile)
            return (status, output)
        }

        do {
            let initdb = try run("initdb", ["-D", directory + "/data", "-U", "till", "--auth-local=trust",
                                            "--auth-host=scram-sha-256", "--pwfile=" + passwordFile,
                                            "-E", "UTF8", "--locale=C", "--no-sync"])
            try? FileManager.default.removeItem(atPath: passwordFile)
            guard initdb.status == 0 else { throw TillTestError("initdb failed (\(initdb.status)): \(initdb.output)") }

            // A port found free can be taken before the server binds it (another test process); then another.
            var attempt = 0
            while true {
                attempt += 1
                let port = try freeLoopbackPort()
                let options = "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off"
                let start = try run("pg_ctl", ["-D", directory + "/data", "-o", options, "-l", directory + "/log",
                                               "-w", "-t", "60", "start"])
                if start.status == 0 {
                    let cluster = PostgresCluster(port: port, directory: directory, password: password,
                                                  binDirectory: binDirectory, psqlPath: psqlPath)
                    running = cluster
                    atexit { PostgresCluster.stopAtExit() }
                    startWatchdog(directory: directory, stop: asPostgres + [binDirectory + "/pg_ctl"])
                    return cluster
                }
                let log = (try? String(contentsOfFile: directory + "/log", encoding: .utf8)) ?? ""
                if attempt < 3 && log.contains("could not bind") { continue }
                throw TillTestError("pg_ctl start failed (\(start.status)): \(start.output)\n\(log.suffix(2000))")
            }
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }

    /// The process is ending (exit handlers run on `exit`, which is how test runners end): no graceful
    /// shutdown is owed to a throwaway cluster.
    private static func stopAtExit() {
        guard let cluster = running else { return }
        running = nil
        stop(dataDirectory: cluster.directory + "/data", binDirectory: cluster.binDirectory,
             runuser: getuid() == 0 ? findOnPath("runuser") : nil)
        try? FileManager.default.removeItem(atPath: cluster.directory)
    }

    /// A test process that is killed (a timeout, ^C, a crash) runs no exit handler, and its server would run on:
    /// a shell in a session of its own waits for this process to go and then stops the server.
    private static func startWatchdog(directory: String, stop: [String]) {
        let script = """
            parent=$1; dir=$2; shift 2
            while kill -0 "$parent" 2>/dev/null; do sleep 1; done
            [ -f "$dir/data/postmaster.pid" ] && "$@" -D "$dir/data" -m immediate -w stop
            rm -rf "$dir"
            """
        _ = spawn(["/bin/sh", "-c", script, "sh", String(getpid()), directory] + stop, output: "/dev/null", wait: false)
    }

    private static func stop(dataDirectory: String, binDirectory: String, runuser: String?) {
        let asPostgres = runuser.map { [$0, "-u", "postgres", "--"] } ?? []
        _ = spawn(asPostgres + [binDirectory + "/pg_ctl", "-D", dataDirectory, "-m", "immediate", "-w", "stop"],
                  output: "/dev/null")
    }

    /// Runs `arguments` with stdout and stderr to `output` and no other descriptor of this process: a server
    /// started from it must not keep a socket or pipe of some other test's open (that test would wait on it
    /// for ever). Returns the exit status, or -1 when it could not start or was killed; without `wait`, in a
    /// session of its own, at once.
    private static func spawn(_ arguments: [String], output: String, wait: Bool = true) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        #if os(Linux)
        closeInheritedDescriptors(&actions)
        let setsid: Int32 = 0x80  // POSIX_SPAWN_SETSID, which Swift's Glibc leaves out (it is a GNU extension)
        var flags: Int32 = 0
        #else
        let setsid = Int32(POSIX_SPAWN_SETSID)
        var flags = Int32(POSIX_SPAWN_CLOEXEC_DEFAULT)
        #endif
        if !wait { flags |= setsid }
        posix_spawnattr_setflags(&attributes, Int16(flags))
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        guard posix_spawn(&pid, arguments[0], &actions, &attributes, &argv, environ) == 0 else { return -1 }
        guard wait else { return 0 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { return -1 }
        }
        // WIFEXITED and WEXITSTATUS, which are macros C has and Swift does not.
        return status & 0x7f == 0 ? (status >> 8) & 0xff : -1
    }

    #if os(Linux)
    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// glibc 2.34's posix_spawn_file_actions_addclosefrom_np, looked up at run time because Swift's Glibc does
    /// not declare it; on an older glibc, the descriptors open now, one by one.
    private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
            _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
            return
        }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for descriptor in open.compactMap(Int32.init) where descriptor >= 3 && fcntl(descriptor, F_GETFD) != -1 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
    }
    #endif

    // MARK: Finding things

    /// The newest installed version's programs (Debian keeps each major version in its own folder), else
    /// whichever initdb is on PATH.
    private static func findBinDirectory() -> String? {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .filter { FileManager.default.isExecutableFile(atPath: "\(root)/\($0)/bin/initdb") }
            .sorted { $0.compare($1, options: .numeric) == .orderedDescending }
        if let newest = versions.first { return "\(root)/\(newest)/bin" }
        guard let initdb = findOnPath("initdb") else { return nil }
        let directory = (initdb as NSString).deletingLastPathComponent
        return FileManager.default.isExecutableFile(atPath: directory + "/pg_ctl") ? directory : nil
    }

    /// PATH, then the sbin folders a non-login root shell may lack (runuser lives there).
    private static func findOnPath(_ program: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin", "/usr/bin", "/bin"]
        return folders.map { $0 + "/" + program }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    private static func chownToPostgres(_ path: String) throws {
        guard let user = getpwnam("postgres") else { throw TillTestError("no postgres user") }
        let uid = user.pointee.pw_uid
        let gid = user.pointee.pw_gid
        for item in [path] + ((try? FileManager.default.subpathsOfDirectory(atPath: path)) ?? []).map({ path + "/" + $0 }) {
            guard chown(item, uid, gid) == 0 else { throw TillTestError("cannot hand \(item) to postgres: errno \(errno)") }
        }
    }

    private static func freeLoopbackPort() throws -> Int {
        #if canImport(Glibc)
        let socketType = Int32(SOCK_STREAM.rawValue)
        #else
        let socketType = SOCK_STREAM
        #endif
        let descriptor = socket(AF_INET, socketType, 0)
        guard descriptor >= 0 else { throw TillTestError("socket() failed: errno \(errno)") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        guard bound else { throw TillTestError("cannot find a free loopback port: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func randomHex(_ bytes: Int) -> String {
        (0..<bytes).map { _ in String(UInt8.random(in: 0...255), radix: 16) }
            .map { $0.count == 1 ? "0" + $0 : $0 }.joined()
    }
}
