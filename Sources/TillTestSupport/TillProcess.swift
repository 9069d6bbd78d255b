import Foundation

/// Runs the real `till` binary, as scripts and support staff do.
public enum TillProcess {
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// The built `till` next to the test bundle (or `TILL_BINARY`).
    public static var binary: URL? {
        let environment = ProcessInfo.processInfo.environment
        if let explicit = environment["TILL_BINARY"], !explicit.isEmpty { return URL(fileURLWithPath: explicit) }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var candidates = [executable.deletingLastPathComponent(), Bundle.main.bundleURL,
                          Bundle.main.bundleURL.deletingLastPathComponent()]
        candidates.append(TestStores.repositoryRoot.appendingPathComponent(".build/debug"))
        for directory in candidates {
            let url = directory.appendingPathComponent("till")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return nil
    }

    /// Runs `till ARGUMENTS` with `environment` added to a clean one (no TILL_* from the developer's shell).
    public static func run(_ arguments: [String], environment: [String: String] = [:], input: String? = nil) throws -> Output {
        guard let binary else { throw TillTestError("the till binary was not found next to the tests; run `swift build` first") }
        return try execute(binary, arguments, environment: environment, input: input)
    }

    /// The demo store's cashier, signed in the way scripts do (TILL_USER with TILL_PIN): ringing up a sale needs
    /// a signed-in member who may sell.
    public static let demoCashier = ["TILL_USER": "ana", "TILL_PIN": "1111"]

    /// `till shift open` on `register` of the store at `db`, as the demo cashier: a till takes cash only into an
    /// open shift's drawer.
    @discardableResult
    public static func openShift(db: String, register: String = "main", float: String = "0") throws -> Output {
        let result = try run(["shift", "open", "--float", float, "--register", register, "--db", db], environment: demoCashier)
        guard result.status == 0 else { throw TillTestError("till shift open --register \(register) failed: \(result.stderr)") }
        return result
    }

    /// Runs another program (chattr, say) the same way.
    public static func runTool(_ path: String, _ arguments: [String]) throws -> Output {
        try execute(URL(fileURLWithPath: path), arguments, environment: [:], input: nil)
    }

    static func execute(_ executable: URL, _ arguments: [String], environment: [String: String], input: String?) throws -> Output {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("TILL_") }
        env["HOME"] = TestStores.temporaryDirectory().path
        env.removeValue(forKey: "XDG_DATA_HOME")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        let inPipe = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inPipe
        try process.run()
        if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)) }
        try inPipe.fileHandleForWriting.close()
        // Both pipes are drained at once (stderr on its own thread): reading one to its end first would leave a
        // child that fills the other pipe blocked forever, and the test with it.
        let errBox = DataBox()
        let errDone = DispatchSemaphore(value: 0)
        let errReader = err.fileHandleForReading
        DispatchQueue.global().async {
            errBox.data = errReader.readDataToEndOfFile()
            errDone.signal()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        errDone.wait()
        let errData = errBox.data
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}

public struct TillTestError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The other pipe's bytes, handed from its reading thread to the waiting one (the semaphore orders them).
private final class DataBox: @unchecked Sendable {
    var data = Data()
}

extension TillProcess {
    /// Starts `till ARGUMENTS` without waiting (to kill it mid-work), its output discarded.
    public static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> Process {
        guard let binary else { throw TillTestError("the till binary was not found next to the tests; run `swift build` first") }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("TILL_") }
        env["HOME"] = TestStores.temporaryDirectory().path
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }
}
