import Foundation

/// Timings of one path: p50, p99 and max over many runs, in microseconds.
public struct Timing: Codable, Equatable, Sendable {
    public var runs: Int
    public var p50: Double
    public var p99: Double
    public var max: Double

    init(samples nanoseconds: [UInt64]) {
        let sorted = nanoseconds.sorted()
        func at(_ fraction: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            return Double(sorted[min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.down)))]) / 1000
        }
        runs = sorted.count
        p50 = at(0.5)
        p99 = at(0.99)
        max = Double(sorted.last ?? 0) / 1000
    }
}

/// One line of the benchmark's table: Till's timing, the raw C-API reference where there is one, and the target.
public struct BenchResult: Encodable, Sendable {
    public var name: String
    public var till: Timing
    public var raw: Timing?
    /// Till p50 ÷ raw p50.
    public var ratio: Double? { raw.map { $0.p50 > 0 ? till.p50 / $0.p50 : 0 } }
    public var target: String
    public var met: Bool

    enum CodingKeys: String, CodingKey { case name, till, raw, ratio, target, met }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(till, forKey: .till)
        try c.encodeIfPresent(raw, forKey: .raw)
        try c.encodeIfPresent(ratio, forKey: .ratio)
        try c.encode(target, forKey: .target)
        try c.encode(met, forKey: .met)
    }
}

enum Clock {
    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// Runs `body` `runs` times and times each run, after a tenth as many untimed runs to warm the caches
    /// (a till that has been open a minute has them warm).
    static func sample(_ runs: Int, _ body: (Int) throws -> Void) rethrows -> [UInt64] {
        for run in 0..<(runs / 10) { try body(run) }
        var samples: [UInt64] = []
        samples.reserveCapacity(runs)
        for run in 0..<runs {
            let start = now()
            try body(run)
            samples.append(now() - start)
        }
        return samples
    }
}

/// Resident set size high-water mark of this process, in MB.
func peakResidentMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024  // Linux reports kilobytes
}
