import Foundation
import TillCore
import TillTUI

/// What `till bench` measures of the app itself, in a process of its own (`till pane-tour`): the headless app
/// on the bench store, signed in as the admin, opens every pane and the settings, then scans at the register.
/// Each figure is from the key to the frame drawn — the reducer, the effect against the store, the render —
/// and the peak resident memory is the whole process's after all of it.
public struct PaneTour {
    public struct Figures: Codable, Sendable {
        /// Pane title and nanoseconds from its key to its first frame.
        public var panes: [Pane]
        /// Nanoseconds from a scan's Enter to the frame with the line in the cart.
        public var scans: [UInt64]
        /// VmHWM of the process, in kB.
        public var peakResidentKilobytes: Int
    }

    public struct Pane: Codable, Sendable {
        public var name: String
        public var nanoseconds: UInt64
    }

    let path: String
    let products: Int
    let scans: Int

    public init(path: String, products: Int, scans: Int) {
        self.path = path
        self.products = products
        self.scans = scans
    }

    public func run() throws -> Figures {
        let store = try StoreDatabase.open(path: path)
        let settings = try store.read { db in try StoreSettings.load(db) }
        let admin = try Staff(store: store).member(username: "ada")
        let driver = AppDriver(state: AppState(store: StoreInfo(name: settings.name, currency: settings.currency,
                                                                taxInclusive: settings.taxInclusive, staff: "ada (admin)",
                                                                staffID: admin.id),
                                               size: ScreenSize(width: 200, height: 60)),
                               theme: try Theme.load("default"), runner: EffectRunner(store: store, staffID: admin.id))
        var frame = driver.frame
        func timed(_ keys: [Key]) -> UInt64 {
            let start = Clock.now()
            driver.handle(keys.map { .key($0) })
            frame = driver.frame
            return Clock.now() - start
        }
        let startup = Clock.now()
        driver.start()
        frame = driver.frame
        var panes = [Pane(name: "Register (start)", nanoseconds: Clock.now() - startup)]
        for (name, key) in [("Catalog", Key.function(2)), ("Inventory", .function(3)), ("Orders", .function(4)),
                            ("Reports", .function(5)), ("Register", .function(1))] {
            panes.append(Pane(name: name, nanoseconds: timed([key])))
        }
        panes.append(Pane(name: "Settings", nanoseconds: timed([.control("o")])))
        _ = timed([.escape])
        // Scans: the digits arrive as a scanner types them (untimed), then Enter is timed to the frame. Every
        // ten lines the sale is voided, so the cart stays a realistic size.
        var random = SplitMix(seed: 11)
        var samples: [UInt64] = []
        samples.reserveCapacity(scans)
        for run in 0..<scans {
            let code = SyntheticStore.barcode(Int(random.next() % UInt64(max(1, products))) + 1)
            driver.handle(code.map { .key(.character($0)) })
            samples.append(timed([.enter]))
            if run % 10 == 9 { driver.handle([.key(.function(11)), .key(.character("y"))]) }
        }
        withExtendedLifetime(frame) {}
        return Figures(panes: panes, scans: samples, peakResidentKilobytes: Self.peakResidentKilobytes())
    }

    /// The high-water mark of resident memory (VmHWM in /proc/self/status; getrusage elsewhere).
    static func peakResidentKilobytes() -> Int {
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
           let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
           let value = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) {
            return value
        }
        return Int(peakResidentMegabytes() * 1024)
    }
}
