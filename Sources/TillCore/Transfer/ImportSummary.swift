/// What an import did (or, with --dry-run, would do).
public struct ImportSummary: Equatable, Sendable, CustomStringConvertible {
    public var kind: String
    public var rows: Int
    public var created: Int
    public var updated: Int
    public var unchanged: Int
    public var dryRun: Bool
    /// Notes that did not stop the import (for example barcodes dropped on request).
    public var warnings: [String]

    public init(kind: String, rows: Int = 0, created: Int = 0, updated: Int = 0, unchanged: Int = 0,
                dryRun: Bool = false, warnings: [String] = []) {
        self.kind = kind
        self.rows = rows
        self.created = created
        self.updated = updated
        self.unchanged = unchanged
        self.dryRun = dryRun
        self.warnings = warnings
    }

    public var description: String {
        let verb = dryRun ? "would import" : "imported"
        return "\(verb) \(rows) \(kind) row\(rows == 1 ? "" : "s"): \(created) new, \(updated) updated, \(unchanged) unchanged"
            + (dryRun ? " (dry run: nothing was written)" : "")
    }
}

/// Reports how far a long import or export has got: (done, total).
public typealias ProgressHandler = @Sendable (Int, Int) -> Void

/// Parses the yes/no spellings spreadsheets produce.
func parseFlag(_ text: String) -> Bool? {
    switch text.lowercased() {
    case "", "true", "yes", "y", "1", "active": return true
    case "false", "no", "n", "0", "inactive", "archived", "draft": return false
    default: return nil
    }
}
