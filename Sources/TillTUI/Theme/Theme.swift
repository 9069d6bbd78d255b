import Foundation
import TOMLKit
import TillCore
import TillThemes

/// A colour theme: a style for every role. Loaded from TOML; a bad file is an error naming the file and key.
public struct Theme: Equatable, Sendable {
    public let name: String
    private let styles: [ThemeRole: CellStyle]
    /// Draw charts and rules with plain ASCII (`#`, `=`) instead of Unicode blocks, for terminals and fonts
    /// that lack them. The mono theme sets it.
    public let ascii: Bool

    public init(name: String, styles: [ThemeRole: CellStyle], ascii: Bool = false) {
        self.name = name
        self.styles = styles
        self.ascii = ascii
    }

    public subscript(role: ThemeRole) -> CellStyle {
        styles[role] ?? styles[.text] ?? .plain
    }

    public static let bundledNames = ["default", "light", "high-contrast", "mono"]

    /// A theme by name (bundled, or `$XDG_CONFIG_HOME/till/themes/NAME.toml`) or by file path.
    public static func load(_ nameOrPath: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Theme {
        if nameOrPath.hasSuffix(".toml") || nameOrPath.contains("/") {
            return try load(file: nameOrPath)
        }
        let configHome = environment["XDG_CONFIG_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? (environment["HOME"].map { $0 + "/.config" } ?? "")
        let userFile = configHome + "/till/themes/\(nameOrPath).toml"
        if !configHome.isEmpty, FileManager.default.fileExists(atPath: userFile) { return try load(file: userFile) }
        let bundled = ThemeFiles.directory.appendingPathComponent("\(nameOrPath).toml").path
        guard FileManager.default.fileExists(atPath: bundled) else {
            throw TillError.invalid("unknown theme \"\(nameOrPath)\" (bundled: \(bundledNames.joined(separator: ", ")); or a .toml file)")
        }
        return try load(file: bundled)
    }

    /// Which theme to use: `--theme`, else `TILL_THEME`, else `mono` when `NO_COLOR` is set, else `default`.
    public static func choose(flag: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let flag, !flag.isEmpty { return flag }
        if let named = environment["TILL_THEME"], !named.isEmpty { return named }
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return "mono" }
        return "default"
    }

    public static func load(file path: String) throws -> Theme {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw TillError.notFound("theme file \(path)")
        }
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String) throws -> Theme {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw TillError.invalid("\(file):\(error.source.begin.line): \(error.description)")
        } catch {
            throw TillError.invalid("\(file): not valid TOML")
        }
        let name = table["name"]?.string ?? ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        guard let roles = table["roles"]?.table else {
            throw TillError.invalid("\(file): missing [roles] table")
        }
        var styles: [ThemeRole: CellStyle] = [:]
        for key in roles.keys {
            guard let role = ThemeRole(rawValue: key) else {
                throw TillError.invalid("\(file): roles.\(key): unknown role (known: \(ThemeRole.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard let entry = roles[key]?.table else {
                throw TillError.invalid("\(file): roles.\(key): expected a table such as { fg = \"cyan\", bold = true }")
            }
            styles[role] = try style(entry, key: "roles.\(key)", file: file)
        }
        var ascii = false
        if let value = table["ascii"] {
            guard let flag = value.bool else { throw TillError.invalid("\(file): ascii: expected true or false") }
            ascii = flag
        }
        return Theme(name: name, styles: styles, ascii: ascii)
    }

    private static func style(_ entry: TOMLTable, key: String, file: String) throws -> CellStyle {
        var style = CellStyle()
        for attribute in entry.keys {
            let value = entry[attribute]
            let path = "\(key).\(attribute)"
            switch attribute {
            case "fg": style.foreground = try color(value, key: path, file: file)
            case "bg": style.background = try color(value, key: path, file: file)
            case "bold", "dim", "reverse", "underline":
                guard let flag = value?.bool else { throw TillError.invalid("\(file): \(path): expected true or false") }
                switch attribute {
                case "bold": style.bold = flag
                case "dim": style.dim = flag
                case "reverse": style.reverse = flag
                default: style.underline = flag
                }
            default:
                throw TillError.invalid("\(file): \(path): unknown attribute (use fg, bg, bold, dim, reverse, underline)")
            }
        }
        return style
    }

    static let colorNames: [String: Int] = [
        "black": 0, "red": 1, "green": 2, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6, "white": 7,
        "bright-black": 8, "gray": 8, "grey": 8, "bright-red": 9, "bright-green": 10, "bright-yellow": 11,
        "bright-blue": 12, "bright-magenta": 13, "bright-cyan": 14, "bright-white": 15,
    ]

    private static func color(_ value: TOMLValueConvertible?, key: String, file: String) throws -> TerminalColor {
        if let index = value?.int {
            guard (0...255).contains(index) else { throw TillError.invalid("\(file): \(key): colour index \(index) is not 0-255") }
            return .indexed(index)
        }
        if let name = value?.string?.lowercased() {
            if name == "default" { return .terminalDefault }
            if let index = colorNames[name] { return .indexed(index) }
            throw TillError.invalid("\(file): \(key): unknown colour \"\(name)\" (use default, a name such as cyan or bright-red, or 0-255)")
        }
        throw TillError.invalid("\(file): \(key): expected a colour name or a number 0-255")
    }
}
