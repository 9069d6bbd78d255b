import Foundation
import TillCore
import TOMLKit

/// Where a chain store keeps its HQ address and credentials: `<store file>.hq.toml`, owner-only (0600), beside
/// the store — never in the store file, so a backup or a copy of the store carries no password.
public enum ChainConfig {
    public static func path(forStore storePath: String) -> String { storePath + ".hq.toml" }

    public static func write(_ url: PostgresURL, forStore storePath: String) throws {
        let path = path(forStore: storePath)
        let text = """
            # Head office for this store: written by `till chain join`. Owner-only: it holds the store's password.
            url = "\(url.string.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))"

            """
        let manager = FileManager.default
        if manager.fileExists(atPath: path) { try? manager.removeItem(atPath: path) }
        guard manager.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw HQError.invalid("cannot write \(path): folder missing or no permission")
        }
    }

    /// The store's HQ URL. Refused when others may read the file, as ssh refuses a readable key.
    public static func read(forStore storePath: String) throws -> PostgresURL {
        let path = path(forStore: storePath)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else {
            throw HQError.invalid("\(path) is missing: this store has not joined a chain here (`till chain join --hq URL --store CODE`)")
        }
        let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0
        guard mode & 0o077 == 0 else {
            throw HQError.invalid("\(path) holds the store's HQ password but others may read it (mode \(String(mode, radix: 8))): run chmod 600 \(path)")
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw HQError.invalid("cannot read \(path)")
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch {
            throw HQError.invalid("\(path) is not valid TOML: \(error)")
        }
        guard let url = table["url"]?.string else { throw HQError.invalid("\(path) has no url = \"postgresql://…\" line") }
        return try PostgresURL(url)
    }
}
