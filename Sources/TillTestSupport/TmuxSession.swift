import Foundation

/// The real binary in a real terminal: a detached tmux session on its own server socket, driven with
/// `send-keys` and read with `capture-pane`.
public final class TmuxSession {
    public let socket: String
    public let name = "till"

    /// Whether `tmux` is on PATH: the very lookup `spawn` (posix_spawnp) makes, so "available" means "will run"
    /// (a fixed list of folders missed e.g. /opt/homebrew/bin, and claimed tmux when PATH could not reach it).
    public static var isAvailable: Bool {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/tmux") }
    }

    /// Whether a test that needs tmux runs: always where tmux is, and in CI even where it is not, so that a CI
    /// without tmux fails (`requireAvailable`) instead of passing with the terminal tests unrun. Elsewhere, a
    /// machine without tmux reports those tests as skipped, by name, rather than as passed.
    public static var testsMustRun: Bool { isAvailable || ProcessInfo.processInfo.environment["CI"] != nil }

    public static func requireAvailable() throws {
        guard isAvailable else { throw TillTestError("tmux is not installed (or not on PATH); the terminal tests need it") }
    }

    /// Starts `command` (a shell command line) in a `width`×`height` terminal. When it ends, `EXIT=<status>` is
    /// printed at the start of a fresh line (a killed program may leave the cursor anywhere).
    public init(command: String, width: Int = 100, height: Int = 30, environment: [String: String] = [:]) throws {
        socket = "till-test-\(UUID().uuidString.prefix(8))"
        let exports = environment.map { "\($0.key)='\($0.value)'" }.joined(separator: " ")
        try tmux(["new-session", "-d", "-s", name, "-x", String(width), "-y", String(height),
                  "env \(exports) \(command); code=$?; printf '\\r\\nEXIT=%s\\r\\n' \"$code\"; sleep 60"])
    }

    deinit { _ = try? tmux(["kill-server"]) }

    @discardableResult
    public func tmux(_ arguments: [String]) throws -> String {
        try TmuxSession.spawn(["tmux", "-L", socket, "-f", "/dev/null"] + arguments)
    }

    /// Runs a command with posix_spawn and waitpid. Foundation's `Process` is not used here: the tmux server
    /// daemonizes holding descriptors the client inherited, and `Process` then never sees the client end.
    static func spawn(_ arguments: [String]) throws -> String {
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "TMUX")
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        // Children start with no blocked signals and default handlers, whatever the test process has.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var defaults = sigset_t()
        sigfillset(&defaults)
        sigdelset(&defaults, SIGKILL)
        sigdelset(&defaults, SIGSTOP)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let result = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, envp)
        guard result == 0 else { throw TillTestError("cannot start \(arguments[0]): error \(result)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    }

    /// Keys by tmux name (`F2`, `Enter`, `C-q`, `Down`).
    public func press(_ keys: String...) throws { try tmux(["send-keys", "-t", name] + keys) }

    /// Literal text, as a keyboard or scanner types it.
    public func type(_ text: String) throws { try tmux(["send-keys", "-t", name, "-l", text]) }

    public func screen(withAttributes: Bool = false) throws -> String {
        try tmux(["capture-pane", "-p", "-t", name] + (withAttributes ? ["-e"] : []))
    }

    public func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", name, "-x", String(width), "-y", String(height)])
    }

    /// The shell's process id, whose child is the program under test.
    public var shellPID: Int32 {
        get throws { Int32(try tmux(["display", "-p", "-t", name, "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 }
    }

    /// Polls the screen until `predicate` holds, for up to `timeout` seconds; returns the last screen.
    @discardableResult
    public func waitFor(timeout: TimeInterval = 15, _ predicate: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if predicate(last) { return last }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw TillTestError("timed out waiting; the screen was:\n\(last)")
    }

    @discardableResult
    public func waitFor(_ text: String, timeout: TimeInterval = 15) throws -> String {
        try waitFor(timeout: timeout) { $0.contains(text) }
    }
}
