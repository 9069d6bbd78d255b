import Foundation
import TillCore
import TillHQ

/// `till bench --hq`: head office's figures, on a fresh database of a PostgreSQL the caller names, dropped at
/// the end. HQ's ingest is timed against plain INSERT and COPY of the same event rows in the same run (the
/// limit PostgreSQL sets); then a store's catch-up of 5,000 sales, 50 stores reconnecting at once, and a
/// store's scan → cart while its sync agent uploads.
public struct HQBench {
    public struct Options: Sendable {
        public var adminURL: PostgresURL
        public var products: Int
        public var ingestEvents: Int
        public var catchUpSales: Int
        public var stores: Int
        public var runs: Int

        public init(adminURL: PostgresURL, products: Int, ingestEvents: Int, catchUpSales: Int, stores: Int, runs: Int) {
            self.adminURL = adminURL
            self.products = products
            self.ingestEvents = ingestEvents
            self.catchUpSales = catchUpSales
            self.stores = stores
            self.runs = runs
        }
    }

    public struct Report: Encodable, Sendable {
        public var ingestEventsPerSecond: Double
        public var rawInsertEventsPerSecond: Double
        public var copyEventsPerSecond: Double
        public var catchUpSales: Int
        public var catchUpEvents: Int
        public var catchUpSeconds: Double
        public var stores: Int
        public var reconnectEvents: Int
        public var reconnectSeconds: Double
        public var reconnectBatchP99Milliseconds: Double
        public var products: Int
        public var scanBeforeJoining: Timing
        public var scanIdle: Timing
        public var scanWhileUploading: Timing
        public var eventsUploadedDuringScans: Int
        public var lines: [String]
    }

    let options: Options
    let log: (String) -> Void

    public init(options: Options, log: @escaping (String) -> Void) {
        self.options = options
        self.log = log
    }

    public func run() throws -> Report {
        let admin = try HQConnection.connect(options.adminURL)
        defer { admin.close() }
        let name = "till_bench_\(getpid())"
        _ = try admin.query("DROP DATABASE IF EXISTS \(name)")
        _ = try admin.query("CREATE DATABASE \(name)")
        defer { _ = try? admin.query("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
        var url = options.adminURL
        url.database = name
        let hq = try HQConnection.connect(url, callTimeout: .seconds(300))
        defer { hq.close() }
        try HQSchema.migrate(hq, currency: "EUR")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("till-hq-bench-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var lines: [String] = []
        func say(_ line: String) {
            lines.append(line)
            log(line)
        }

        // 1. Ingest against INSERT and COPY of the same rows.
        let storeURL = try HQStores.add(hq, code: "B001", name: "Bench ingest")
        let events = (1...options.ingestEvents).map { Self.saleEvent(seq: $0) }
        let batches = stride(from: 0, to: events.count, by: 200).map { Array(events[$0..<min($0 + 200, events.count)]) }
        let asStore = try HQConnection.connect(storeURL, callTimeout: .seconds(300))
        defer { asStore.close() }
        let ingestSeconds = try Self.seconds {
            for batch in batches {
                _ = try asStore.query("SELECT hq.ingest($1::jsonb)", [#"{"store":"B001","events":[\#(batch.joined(separator: ","))]}"#])
            }
        }
        let applied = Int64(try hq.query("SELECT count(*)::text FROM hq.sale WHERE store = 'B001'")[0][0] ?? "0") ?? 0
        guard applied == Int64(options.ingestEvents) else { throw HQError.invalid("bench: HQ applied \(applied) of \(options.ingestEvents) sales") }
        try hq.simple("""
            CREATE TABLE public.bench_insert (store text, seq bigint, event_id uuid, kind text, payload jsonb, PRIMARY KEY (store, seq), UNIQUE (store, event_id));
            CREATE TABLE public.bench_copy (store text, seq bigint, event_id uuid, kind text, payload jsonb, PRIMARY KEY (store, seq), UNIQUE (store, event_id));
            """)
        let insertSeconds = try Self.seconds {
            for batch in batches {
                _ = try hq.query("""
                    INSERT INTO public.bench_insert SELECT 'B001', (e->>'seq')::bigint, (e->>'event_id')::uuid, e->>'kind', e->'payload'
                    FROM jsonb_array_elements($1::jsonb) AS e ON CONFLICT DO NOTHING
                    """, ["[" + batch.joined(separator: ",") + "]"])
            }
        }
        let copyLines = (1...options.ingestEvents).map { seq -> String in
            let payload = Self.salePayload(seq: seq).replacingOccurrences(of: "\\", with: "\\\\")
            return "B001\t\(seq)\t\(UUIDv7.make())\tsale\t\(payload)"
        }
        let copySeconds = try Self.seconds {
            for start in stride(from: 0, to: copyLines.count, by: 200) {
                try hq.copy(table: "bench_copy", columns: ["store", "seq", "event_id", "kind", "payload"],
                            lines: Array(copyLines[start..<min(start + 200, copyLines.count)]))
            }
        }
        let n = Double(options.ingestEvents)
        let report1 = (n / ingestSeconds, n / insertSeconds, n / copySeconds)
        say(String(format: "HQ ingest, %d sale events in batches of 200: %.0f events/s — raw INSERT of the same rows %.0f/s (ingest %.1f× slower), COPY %.0f/s (%.1f×); ingest also applies each sale to 3 projections and checks the catalog",
                   options.ingestEvents, report1.0, report1.1, report1.1 / report1.0, report1.2, report1.2 / report1.0))

        // 2. One store's catch-up after selling offline.
        let template = folder.appendingPathComponent("template.sqlite").path
        try SyntheticStore(products: 2_000, orders: 200).generate(at: template, progress: { _, _, _ in })
        let catchUpPath = folder.appendingPathComponent("catchup.sqlite").path
        try Self.copyStore(template, to: catchUpPath)
        let catchUp = try StoreDatabase.open(path: catchUpPath)
        let catchUpURL = try HQStores.add(hq, code: "C001", name: "Bench catch-up")
        try ChainStore.join(catchUp, code: "C001", TillContext())
        let before = try ChainOutbox.count(catchUp)
        try Self.sell(catchUp, count: options.catchUpSales, products: 2_000)
        let catchUpEvents = Int(try ChainOutbox.count(catchUp))
        let catchUpSeconds = try Self.seconds { _ = try SyncAgent(store: catchUp, url: catchUpURL).runRound() }
        say(String(format: "catch-up of %d sales offline (%d events, %d of them the store's history): %.1f s, %.0f events/s",
                   options.catchUpSales, catchUpEvents, Int(before), catchUpSeconds, Double(catchUpEvents) / catchUpSeconds))

        // 3. Many stores reconnecting at once, each with its history and 100 sales to send.
        var agents: [SyncAgent] = []
        let latencies = Latencies()
        for index in 1...options.stores {
            let path = folder.appendingPathComponent("store\(index).sqlite").path
            try Self.copyStore(template, to: path)
            let store = try StoreDatabase.open(path: path)
            let code = String(format: "R%03d", index)
            let url = try HQStores.add(hq, code: code, name: "Bench store \(index)")
            try ChainStore.join(store, code: code, TillContext())
            try Self.sell(store, count: 100, products: 2_000)
            let agent = SyncAgent(store: store, url: url)
            agent.onBatch = { nanoseconds, _ in latencies.add(nanoseconds) }
            agents.append(agent)
        }
        let reconnectEvents = try agents.reduce(0) { $0 + Int(try ChainOutbox.count($1.store)) }
        let failures = Latencies()
        let ready = agents
        // One thread per store, as 50 shops' agents are 50 processes: all connect and send at once.
        let reconnectSeconds = Self.seconds {
            let group = DispatchGroup()
            for agent in ready {
                group.enter()
                Thread.detachNewThread {
                    do { _ = try agent.runRound() } catch { failures.add(1) }
                    group.leave()
                }
            }
            group.wait()
        }
        guard failures.count == 0 else { throw HQError.invalid("bench: \(failures.count) of \(agents.count) stores failed to sync") }
        let p99 = latencies.timing.p99 / 1000
        say(String(format: "%d stores reconnecting at once (%d events): all caught up in %.1f s; p99 per batch of 200 %.0f ms (p50 %.0f ms)",
                   options.stores, reconnectEvents, reconnectSeconds, p99, latencies.timing.p50 / 1000))

        // 4. A store's scan → cart while its agent uploads.
        let bigPath = folder.appendingPathComponent("big.sqlite").path
        try SyntheticStore(products: options.products, orders: 20_000).generate(at: bigPath, progress: { _, _, _ in })
        let big = try StoreDatabase.open(path: bigPath)
        let checkpoints = try big.startBackgroundCheckpoints()
        defer { withExtendedLifetime(checkpoints) {} }
        let bigURL = try HQStores.add(hq, code: "L001", name: "Bench large store")
        let alone = try Self.scans(big, runs: options.runs, products: options.products)
        try ChainStore.join(big, code: "L001", TillContext())
        let idle = try Self.scans(big, runs: options.runs, products: options.products)
        let uploading = AtomicFlag()
        let agent = SyncAgent(store: big, url: bigURL, batchSize: 200)
        let uploaded = Latencies()
        agent.onBatch = { _, count in uploaded.add(UInt64(count)) }
        let thread = Thread {
            while !uploading.isSet { _ = try? agent.runRound(); if (try? ChainStore.syncState(big)?.toSend) == 0 { break } }
        }
        thread.start()
        let busy = try Self.scans(big, runs: options.runs, products: options.products)
        let sentDuring = Int(uploaded.sum)
        uploading.set()
        while thread.isExecuting { Thread.sleep(forTimeInterval: 0.05) }
        say(String(format: "scan → cart at %d products, p99: %.0f µs before joining a chain, %.0f µs in the chain with the agent idle, %.0f µs while it uploaded (%d events sent meanwhile); limit 1,000 µs — %@",
                   options.products, Timing(samples: alone).p99, Timing(samples: idle).p99, Timing(samples: busy).p99, sentDuring,
                   Timing(samples: busy).p99 < 1000 ? "met" : "NOT met"))

        return Report(ingestEventsPerSecond: report1.0, rawInsertEventsPerSecond: report1.1, copyEventsPerSecond: report1.2,
                      catchUpSales: options.catchUpSales, catchUpEvents: catchUpEvents, catchUpSeconds: catchUpSeconds,
                      stores: options.stores, reconnectEvents: reconnectEvents, reconnectSeconds: reconnectSeconds,
                      reconnectBatchP99Milliseconds: p99, products: options.products, scanBeforeJoining: Timing(samples: alone),
                      scanIdle: Timing(samples: idle),
                      scanWhileUploading: Timing(samples: busy), eventsUploadedDuringScans: sentDuring, lines: lines)
    }

    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = Clock.now()
        try body()
        return Double(Clock.now() - start) / 1e9
    }

    /// `count` cash sales of one random SKU each, through the same checkout the till uses.
    /// A copy of the template store with its journal key, which signs the copy's sales (every copy shares the
    /// template's key: good enough for timing HQ, never for real stores).
    static func copyStore(_ template: String, to path: String) throws {
        try FileManager.default.copyItem(atPath: template, toPath: path)
        try FileManager.default.copyItem(atPath: JournalKey.path(forStore: template), toPath: JournalKey.path(forStore: path))
    }

    static func sell(_ store: StoreDatabase, count: Int, products: Int) throws {
        let manager = try Staff(store: store).member(username: "max")
        let ctx = TillContext(staffID: manager.id, register: "bench")
        if try Shifts(store: store).current(register: "bench") == nil { _ = try Shifts(store: store).open(float: 0, ctx) }
        let catalog = Catalog(store: store)
        var random = SplitMix(seed: 11)
        for _ in 0..<count {
            let code = SyntheticStore.barcode(Int(random.next() % UInt64(products)) + 1)
            guard let item = try catalog.resolveScan(code)?.item else { throw HQError.invalid("bench: barcode \(code) not found") }
            _ = try Checkout(store: store).sell(lines: [SaleLineRequest(variantID: item.variantID, quantity: .one)], orderDiscount: nil,
                                                customerID: nil, tenders: [ScriptedTender(method: .cash)], ctx)
        }
    }

    static func scans(_ store: StoreDatabase, runs: Int, products: Int) throws -> [UInt64] {
        let manager = try Staff(store: store).member(username: "max")
        let ctx = TillContext(staffID: manager.id, register: "bench-scan")
        let carts = Carts(store: store)
        let catalog = Catalog(store: store)
        var random = SplitMix(seed: 5)
        return try Clock.sample(runs) { run in
            let code = SyntheticStore.barcode(Int(random.next() % UInt64(products)) + 1)
            guard let scanned = try catalog.resolveScan(code) else { throw HQError.invalid("bench: barcode \(code) not found") }
            let cart = try carts.add(variantID: scanned.item.variantID, ctx)
            if run % 5 == 4 { try carts.discard(cartID: cart.id, ctx) }
        }
    }

    static func salePayload(seq: Int) -> String {
        let price = 100 + seq % 5_000
        return #"{"number":\#(1000 + seq),"register":"till-\#(seq % 4)","currency":"EUR","tax_inclusive":1,"subtotal":\#(price * 3),"discount_total":0,"tax_total":\#(price * 3 / 6),"total":\#(price * 3),"cash_rounding":0,"completed_at":"2026-12-01T10:00:00Z","business_day":"2026-12-01","staff":"ana","reference_version":0,"lines":[{"position":1,"sku":"SKU-\#(seq % 997)","name":"Item","category":"Bench","quantity_milli":1000,"unit_price":\#(price),"discount":0,"tax_class":"standard","tax_rate_ppm":200000,"tax":\#(price / 6),"total":\#(price),"unit_cost":50},{"position":2,"sku":"SKU-\#(seq % 991)","name":"Item","category":"Bench","quantity_milli":1000,"unit_price":\#(price),"discount":0,"tax_class":"standard","tax_rate_ppm":200000,"tax":\#(price / 6),"total":\#(price),"unit_cost":50},{"position":3,"sku":"SKU-\#(seq % 983)","name":"Item","category":"Bench","quantity_milli":1000,"unit_price":\#(price),"discount":0,"tax_class":"standard","tax_rate_ppm":200000,"tax":\#(price / 6),"total":\#(price),"unit_cost":50}],"payments":[{"method":"cash","amount":\#(price * 3),"status":"captured"}]}"#
    }

    static func saleEvent(seq: Int) -> String {
        #"{"seq":\#(seq),"event_id":"\#(UUIDv7.make())","kind":"sale","schema_version":2,"recorded_at":"2026-12-01T10:00:00Z","payload":\#(salePayload(seq: seq))}"#
    }
}

/// Nanosecond samples gathered from several threads.
final class Latencies: @unchecked Sendable {
    private let lock = NSLock()
    private var samples: [UInt64] = []
    func add(_ value: UInt64) { lock.lock(); samples.append(value); lock.unlock() }
    var count: Int { lock.lock(); defer { lock.unlock() }; return samples.count }
    var sum: UInt64 { lock.lock(); defer { lock.unlock() }; return samples.reduce(0, +) }
    var timing: Timing { lock.lock(); defer { lock.unlock() }; return Timing(samples: samples) }
}

final class AtomicFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.lock(); value = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
}
