import Foundation
import TillCore

/// A one-line progress bar on stderr, drawn only when stderr is a terminal (scripts see nothing).
enum ProgressBar {
    static func handler(label: String) -> ProgressHandler? {
        guard isatty(STDERR_FILENO) == 1 else { return nil }
        return { done, total in
            let width = 30
            let filled = total > 0 ? done * width / total : width
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            let end = done >= total ? "\n" : ""
            FileHandle.standardError.write(Data("\r\(label) \(bar) \(done)/\(total)\(end)".utf8))
        }
    }
}
