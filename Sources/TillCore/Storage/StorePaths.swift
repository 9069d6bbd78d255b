import Foundation

/// Where a store lives when no `--db` is given: `TILL_DB`, else `$XDG_DATA_HOME/till/store.sqlite`, else
/// `~/.local/share/till/store.sqlite` (the XDG base-directory default).
public enum StorePaths {
    public static func defaultDatabasePath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit = environment["TILL_DB"], !explicit.isEmpty { return explicit }
        if let dataHome = environment["XDG_DATA_HOME"], dataHome.hasPrefix("/") {
            return dataHome + "/till/store.sqlite"
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.local/share/till/store.sqlite"
    }
}
