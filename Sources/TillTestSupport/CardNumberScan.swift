import Foundation
import TillCore

/// Scans raw bytes — the store, its WAL and shared memory, backups, receipts, exports, captured output — for
/// card numbers, with the very rule the guard refuses them by (`CardNumberGuard`), so a test can show that
/// no card number got past Till anywhere (issue 15). A finding says where, never what: a test failure must
/// not print the digits either.
public enum CardNumberScan {
    public struct Finding: Equatable, Sendable, CustomStringConvertible {
        /// The file's path, or a name for scanned output ("stdout of till sell").
        public var file: String
        /// Where the card number starts, in bytes from the start.
        public var offset: Int

        public init(file: String, offset: Int) {
            self.file = file
            self.offset = offset
        }

        public var description: String { "a card number in \(file) at byte \(offset)" }
    }

    /// Every regular file under `directory`, hidden ones and those in subfolders included, in path order.
    public static func findings(inFilesUnder directory: URL) throws -> [Finding] {
        var files: [URL] = []
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey]) else {
            throw TillTestError("cannot list \(directory.path)")
        }
        for case let url as URL in walker where try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true {
            files.append(url)
        }
        var found: [Finding] = []
        for url in files.sorted(by: { $0.path < $1.path }) {
            let data = try Data(contentsOf: url)
            found += findings(in: data).map { Finding(file: url.path, offset: $0) }
        }
        return found
    }

    /// The byte offsets where card numbers start in `data`.
    public static func findings(in data: Data) -> [Int] {
        CardNumberGuard.cardNumberRanges(inBytes: data).map(\.lowerBound)
    }

    /// The same for captured text, named for the finding.
    public static func findings(in text: String, named name: String) -> [Finding] {
        findings(in: Data(text.utf8)).map { Finding(file: name, offset: $0) }
    }
}
