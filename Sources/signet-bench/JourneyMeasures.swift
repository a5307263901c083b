import FoundationEssentials
import Glibc
import Synchronization

/// Durations accumulated per name (an operation the service reports, or a storage category
/// the timing decorators add), read as snapshots so a measured window is a difference.
final class OperationTimes: Sendable {
    /// A total: how many durations and their sum in seconds.
    struct Total: Sendable {
        var count = 0
        var seconds = 0.0
    }

    private let totals = Mutex<[String: Total]>([:])

    /// Adds a duration.
    func record(_ name: String, seconds: Double) {
        totals.withLock { $0[name, default: Total()].count += 1; $0[name, default: Total()].seconds += seconds }
    }

    /// Adds the time since `start`.
    func record(_ name: String, since start: ContinuousClock.Instant) {
        record(name, seconds: (ContinuousClock.now - start).seconds)
    }

    /// The totals so far.
    func snapshot() -> [String: Total] { totals.withLock { $0 } }

    /// `later` minus `earlier`, per name.
    static func difference(_ later: [String: Total], _ earlier: [String: Total]) -> [String: Total] {
        later.reduce(into: [:]) { result, entry in
            let before = earlier[entry.key] ?? Total()
            result[entry.key] = Total(count: entry.value.count - before.count, seconds: entry.value.seconds - before.seconds)
        }
    }
}

/// Latencies of each step of the journey, in milliseconds, recorded only while `recording`.
final class StepLatencies: Sendable {
    private let samples = Mutex<(recording: Bool, values: [String: [Double]])>((false, [:]))

    /// Starts or stops recording.
    func setRecording(_ on: Bool) { samples.withLock { $0.recording = on } }

    /// Records one journey's step durations; false when not recording (the journey is not counted).
    @discardableResult
    func record(_ steps: [(String, Duration)]) -> Bool {
        samples.withLock { state in
            guard state.recording else { return false }
            for (name, duration) in steps { state.values[name, default: []].append(duration.seconds * 1000) }
            return true
        }
    }

    /// The recorded values of a step.
    func values(_ step: String) -> [Double] { samples.withLock { $0.values[step] ?? [] } }

    /// "p50 a p95 b p99 c max d ms (n)" of a step.
    func summary(_ step: String) -> String {
        let sorted = values(step).sorted()
        guard !sorted.isEmpty else { return "no samples" }
        func rank(_ p: Double) -> Double { sorted[min(sorted.count - 1, max(0, Int((p * Double(sorted.count)).rounded(.up)) - 1))] }
        return "p50 \(BenchRate.fixed(rank(0.50), places: 1)) p95 \(BenchRate.fixed(rank(0.95), places: 1)) "
            + "p99 \(BenchRate.fixed(rank(0.99), places: 1)) max \(BenchRate.fixed(sorted[sorted.count - 1], places: 1)) ms (n=\(sorted.count))"
    }

    /// The p99 of a step in milliseconds (nearest rank), nil without samples.
    func p99(_ step: String) -> Double? {
        let sorted = values(step).sorted()
        guard !sorted.isEmpty else { return nil }
        return sorted[min(sorted.count - 1, Int((0.99 * Double(sorted.count)).rounded(.up)) - 1)]
    }
}

/// This process's CPU time and peak resident set, from getrusage(2).
struct ProcessUsage {
    /// User plus system CPU seconds so far.
    let cpuSeconds: Double
    /// User CPU seconds.
    let userSeconds: Double
    /// Peak RSS in MiB (ru_maxrss is in KiB on Linux).
    let peakRSSMiB: Double

    static func now() -> ProcessUsage {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return ProcessUsage(cpuSeconds: user + system, userSeconds: user, peakRSSMiB: Double(usage.ru_maxrss) / 1024)
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
