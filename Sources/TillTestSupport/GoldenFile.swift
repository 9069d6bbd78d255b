import Foundation

/// Screens stored as plain-text files beside the tests. `TILL_RECORD_GOLDEN=1 swift test` rewrites them;
/// otherwise a difference is reported with both versions.
public enum GoldenFile {
    /// nil when `actual` matches the stored file (or was just recorded); otherwise a readable difference.
    public static func check(_ actual: String, name: String, directory: URL) -> String? {
        let url = directory.appendingPathComponent(name + ".txt")
        let record = ProcessInfo.processInfo.environment["TILL_RECORD_GOLDEN"] == "1"
        guard !record, let expected = try? String(contentsOf: url, encoding: .utf8) else {
            if !record && FileManager.default.fileExists(atPath: url.path) { return "cannot read \(url.path)" }
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try? Data((actual + "\n").utf8).write(to: url)
            return record ? nil : "recorded a new golden file \(url.lastPathComponent); check it and run again"
        }
        let trimmed = expected.hasSuffix("\n") ? String(expected.dropLast()) : expected
        guard trimmed != actual else { return nil }
        let expectedLines = trimmed.components(separatedBy: "\n")
        let actualLines = actual.components(separatedBy: "\n")
        var report = "screen differs from \(url.lastPathComponent):\n"
        for index in 0..<max(expectedLines.count, actualLines.count) {
            let e = index < expectedLines.count ? expectedLines[index] : "<none>"
            let a = index < actualLines.count ? actualLines[index] : "<none>"
            if e != a { report += "line \(index + 1)\n  expected: \(e)\n  actual:   \(a)\n" }
        }
        return report
    }
}
