import FoundationEssentials
import SignetService
import SignetTemplates
import Synchronization

/// Runs journeys: closed loop (each worker starts the next journey when its last one is
/// done) or open loop (journeys start at a fixed rate whatever is in flight). A journey
/// creates a contract over HTTP, then the merchant signs on the signing page over HTTP
/// (`JourneyClient.signOnPage`) or through the service function in this process (`Mode`).
/// A failed journey is counted, and it ends its worker's iteration (the next one starts).
final class JourneyDriver: Sendable {
    let client: JourneyClient
    let service: SignetService
    let codes: CapturedCodes
    let merchantIDs: [String]
    let times: OperationTimes
    private let next = Atomic<Int>(0)

    init(client: JourneyClient, service: SignetService, codes: CapturedCodes, merchantIDs: [String], times: OperationTimes) {
        self.client = client
        self.service = service
        self.codes = codes
        self.merchantIDs = merchantIDs
        self.times = times
    }

    /// How the merchant signs in a journey.
    struct Mode: Sendable {
        /// `page`: the signing page over HTTP; `service`: the service function in process.
        let via: SignVia
        /// Whether the review step also loads every page image (page mode only).
        let images: Bool

        /// The steps it times, with their labels.
        var steps: [(key: String, label: String)] {
            switch via {
            case .service:
                return [("create", "create (POST /v1/contracts, HTTP)"), ("sign", "sign (service function, in process)"),
                        ("download", "download (GET /v1/contracts/{id}/signed.pdf, HTTP)"), ("journey", "whole journey")]
            case .page:
                return [("create", "create (POST /v1/contracts)"), ("landing", "landing (GET /s/{token})"),
                        ("code", "code (POST /s/{token}/code + GET the code form)"), ("verify", "verify (POST /s/{token}/verify)"),
                        ("review", "review (GET /s/{token}/review)")]
                    + (images ? [("images", "page images (GET /s/{token}/pages/{n}.png, all at once)")] : [])
                    + [("sign", "sign POST (POST /s/{token}/sign)"), ("done", "done (GET /s/{token}/done)"),
                       ("download", "download (GET /s/{token}/signed.pdf)"), ("journey", "whole journey")]
            }
        }

        var description: String {
            via == .service ? "signing through the service function" : "signing page " + (images ? "with page images" : "without page images")
        }
    }

    /// Which way the merchant signs (`--sign-via`).
    enum SignVia: String, Sendable, CaseIterable {
        case page, service
    }

    /// A run's counters, shared by its tasks.
    private final class Counters: Sendable {
        let stop = Atomic<Bool>(false)
        let completed = Atomic<Int>(0)
        let failed = Atomic<Int>(0)

        /// Counts a failure; prints the first few.
        func fail(_ error: any Error) {
            if failed.add(1, ordering: .relaxed).newValue <= 3 { print("journey failed: \(error)") }
        }
    }

    /// What a measured window gave.
    struct Result {
        let mode: Mode
        let completed: Int
        let failed: Int
        let elapsed: Duration
        let cpuSeconds: Double
        let operations: [String: OperationTimes.Total]
        let latencies: StepLatencies

        var throughput: Double { Double(completed) / elapsed.seconds }

        func print(title: String) {
            Swift.print("\(title): \(completed) completed contracts in \(BenchRate.fixed(elapsed.seconds, places: 2)) s = "
                        + "\(BenchRate.fixed(throughput, places: 1)) completed contracts/s, \(failed) failed")
            for (step, label) in mode.steps {
                Swift.print("  \(label): \(latencies.summary(step))")
            }
            let perContract = completed > 0 ? cpuSeconds * 1000 / Double(completed) : 0
            Swift.print("  CPU (getrusage user+sys, whole process) \(BenchRate.fixed(cpuSeconds, places: 2)) s = "
                        + "\(BenchRate.fixed(perContract, places: 1)) ms per completed contract "
                        + "(\(BenchRate.fixed(cpuSeconds / elapsed.seconds * 100, places: 0))% of one core)")
            // Wall time inside each operation, per completed contract: it includes waiting (for
            // a core, for fsync: the TSA serial counter, the CA database and the blobs are
            // fsynced inside the signatures), so at load it exceeds the operation's CPU time.
            for name in ["render", "render_page_images", "sign_merchant", "countersign", "database", "blobs"] {
                let total = operations[name] ?? OperationTimes.Total()
                let ms = completed > 0 ? total.seconds * 1000 / Double(completed) : 0
                Swift.print("  \(name): \(BenchRate.fixed(ms, places: 1)) ms wall per contract (\(total.count) calls)")
            }
        }
    }

    /// One journey; its steps' durations.
    func journey(_ mode: Mode) async throws -> [(String, Duration)] {
        let clock = ContinuousClock()
        let merchantID = merchantIDs[next.add(1, ordering: .relaxed).oldValue % merchantIDs.count]
        let start = clock.now
        let created = try await client.createContract(merchantID: merchantID)
        let createdAt = clock.now
        let create = ("create", createdAt - start)
        guard mode.via == .page else { return try await signInProcess(created.id, start: start, create: create) }
        guard let url = created.merchantSigningURL else { throw BenchError("\(created.id): no signing_url for the merchant") }
        let steps = try await client.signOnPage(contractID: created.id, signingURL: url, codes: codes, images: mode.images)
        return [create] + steps + [("journey", clock.now - start)]
    }

    /// The journey's sign and download of `signet-bench journey --sign-via service`.
    private func signInProcess(_ contractID: String, start: ContinuousClock.Instant, create: (String, Duration)) async throws -> [(String, Duration)] {
        let clock = ContinuousClock()
        let created = clock.now
        let contract = try await service.sign(contractID: contractID, role: .merchant,
                                              evidence: SigningEvidence(origin: .system, authentication: "benchmark"))
        let signed = clock.now
        guard contract.state == .completed, let document = contract.signed else {
            throw BenchError("\(contractID) is \(contract.state.rawValue) after the signing call, not completed")
        }
        try await client.downloadSigned(contractID: contractID, sha256: document.sha256)
        let done = clock.now
        return [create, ("sign", signed - created), ("download", done - signed), ("journey", done - start)]
    }

    /// `workers` loops of journeys; after `warmup` seconds, `seconds` are measured: the
    /// journeys that complete inside the window.
    func closedLoop(_ mode: Mode, workers: Int, warmup: Double, seconds: Double) async throws -> Result {
        let latencies = StepLatencies()
        let counters = Counters()
        return try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<workers {
                group.addTask {
                    while !counters.stop.load(ordering: .relaxed) {
                        do {
                            if latencies.record(try await self.journey(mode)) { counters.completed.add(1, ordering: .relaxed) }
                        } catch {
                            counters.fail(error)
                        }
                    }
                }
            }
            try await Task.sleep(for: .milliseconds(Int64(warmup * 1000)))
            let failedBefore = counters.failed.load(ordering: .relaxed)
            let window = Window.open(mode: mode, times: times, latencies: latencies)
            try await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
            let result = window.close(completed: counters.completed.load(ordering: .relaxed),
                                      failed: counters.failed.load(ordering: .relaxed) - failedBefore)
            counters.stop.store(true, ordering: .relaxed)
            try await group.waitForAll()
            return result
        }
    }

    /// Journeys starting every 1/`arrivalsPerSecond` s, a warm-up and then `seconds`
    /// measured: the journeys that start in the window, which closes when the last is done.
    func fixedRate(_ mode: Mode, arrivalsPerSecond: Double, warmup: Double, seconds: Double) async throws -> Result {
        let latencies = StepLatencies()
        let counters = Counters()
        let interval = Duration.nanoseconds(Int64(1e9 / arrivalsPerSecond))
        let clock = ContinuousClock()
        return try await withThrowingTaskGroup(of: Void.self) { group in
            var window: Window?
            for (length, measured) in [(warmup, false), (seconds, true)] {
                if measured { window = Window.open(mode: mode, times: times, latencies: latencies) }
                let start = clock.now
                var due = start
                while due < start + .milliseconds(Int64(length * 1000)) {
                    try await clock.sleep(until: due)
                    group.addTask {
                        do {
                            let steps = try await self.journey(mode)
                            if measured, latencies.record(steps) { counters.completed.add(1, ordering: .relaxed) }
                        } catch {
                            if measured { counters.fail(error) } else { print("journey failed (warm-up): \(error)") }
                        }
                    }
                    due += interval
                }
            }
            try await group.waitForAll()
            guard let window else { throw BenchError("no measured window") }
            return window.close(completed: counters.completed.load(ordering: .relaxed), failed: counters.failed.load(ordering: .relaxed))
        }
    }

    /// A measured window: CPU time, operation times and latencies from its opening to its closing.
    private struct Window {
        let mode: Mode
        let times: OperationTimes
        let latencies: StepLatencies
        let start: ContinuousClock.Instant
        let usage: ProcessUsage
        let operations: [String: OperationTimes.Total]

        static func open(mode: Mode, times: OperationTimes, latencies: StepLatencies) -> Window {
            latencies.setRecording(true)
            return Window(mode: mode, times: times, latencies: latencies, start: .now, usage: .now(), operations: times.snapshot())
        }

        func close(completed: Int, failed: Int) -> Result {
            latencies.setRecording(false)
            return Result(mode: mode, completed: completed, failed: failed, elapsed: .now - start, cpuSeconds: ProcessUsage.now().cpuSeconds - usage.cpuSeconds,
                          operations: OperationTimes.difference(times.snapshot(), operations), latencies: latencies)
        }
    }
}
