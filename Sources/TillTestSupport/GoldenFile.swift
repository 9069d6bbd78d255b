import Foundation

/// Screens stored as plain-text files beside the tests. `TILL_RECORD_GOLDEN=1 swift test` rewrites them;
/// otherwise a difference is reported with both versions.
///
/// A golden can also hold a style layer: after the screen's lines, a `styleSeparator` line and then one line
/// per row with a letter per cell for the role it is drawn in (the legend is in the separator), so a change
/// that keeps the text but loses the highlight of the selected row or the red of an error fails too.
public enum GoldenFile {
    public static let styleSeparator = "── styles: "

    /// nil when `actual` (and `styles`, when given) match the stored file (or were just recorded); otherwise a
    /// readable difference naming the line, in the screen or in the style layer.
    public static func check(_ screen: String, styles: String? = nil, legend: String = "", name: String,
                             directory: URL) -> String? {
        let actual = styles.map { screen + "\n" + styleSeparator + legend + " ──\n" + $0 } ?? screen
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
            if e != a {
                let styleStart = expectedLines.firstIndex { $0.hasPrefix(styleSeparator) }
                let place = styleStart.map { index > $0 ? "style line \(index - $0)" : "line \(index + 1)" } ?? "line \(index + 1)"
                report += "\(place)\n  expected: \(e)\n  actual:   \(a)\n"
            }
        }
        return report
    }
}
