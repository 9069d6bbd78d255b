import ArgumentParser
import Foundation
import TillCore

struct SettingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings", abstract: "Show or change store settings (changes are audited).",
        subcommands: [Show.self, Set.self], defaultSubcommand: Show.self)

    struct Show: ParsableCommand {
        @OptionGroup var store: StoreOptions
        func run() throws {
            for (key, value) in try StoreSettingsEditor(store: try store.open()).show() { print("\(key) = \(value)") }
        }
    }

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(
            discussion: StoreSettingsEditor.keys.map { "\($0.key): \($0.takes)" }.joined(separator: "\n"))
        @OptionGroup var store: StoreOptions
        @Argument(help: "The setting.") var key: String
        @Argument(help: "Its new value.") var value: String
        func run() throws {
            let database = try store.open()
            try StoreSettingsEditor(store: database).set(key, to: value, try store.context(in: database))
            print("\(key) = \(value)")
        }
    }
}
