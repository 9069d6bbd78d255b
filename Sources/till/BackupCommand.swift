import ArgumentParser
import Foundation
import TillCore

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the store to DEST with SQLite's online backup (safe while tills sell), then check the copy.")
    @OptionGroup var store: StoreOptions
    @Argument(help: "Where the backup goes (a new file).") var destination: String
    @Flag(help: "Replace DEST if it exists.") var force = false

    func run() throws {
        let database = try store.open()
        let summary = try StoreBackup.backup(database, to: destination, force: force, progress: ProgressBar.handler(label: "backup"))
        print("backed up \(summary.orders) orders (\(summary.bytes / 1024) KB, schema \(summary.schemaVersion)) to \(summary.path); the copy passed its checks")
    }
}

struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Replace the store with a backup, after checking the backup (close every till first).")
    @OptionGroup var store: StoreOptions
    @Argument(help: "The backup file.") var source: String
    @Flag(help: "Replace the existing store.") var force = false

    func run() throws {
        let summary = try StoreBackup.restore(from: source, to: store.path, force: force)
        print("restored \(summary.orders) orders into \(summary.path) from \(source)")
        // A chain store sent HQ what it recorded after this backup: those numbers are taken at HQ.
        if let membership = try? ChainStore.membership(try StoreDatabase.open(path: summary.path)) {
            FileHandle.standardError.write(Data("till: this store is \(membership.code) in a chain: head office may hold events recorded after this backup; if it does, the next `till sync` stops with a sequence conflict instead of sending (nothing is lost: events stay queued here) until head office sorts it out (`till hq exceptions`)\n".utf8))
        }
    }
}
