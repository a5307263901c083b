import ArgumentParser
import AsyncHTTPClient
import FoundationEssentials
import SignetService

/// `signet-bench journey`: the service journey — create a contract over HTTP, sign it as
/// the merchant through the service function in this same process (the platform
/// countersigns inside that call), download the completed B-LTA over HTTP — against
/// `signet serve` started in this process (`JourneyService`). Two runs: C closed-loop workers
/// for the maximum throughput, then arrivals at a fixed rate (default half that maximum) for
/// the signing call's latency at that load.
struct JourneyBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journey",
        abstract: "Completed contracts per second through the service (create over HTTP → sign in process → download over HTTP)."
    )

    @Option(help: "Template directory.") var templates = "contract-templates"
    @Option(help: "The template of the journey's contracts (its sample.json gives the fields and the merchant).")
    var template = "merchant-service-agreement"
    @Option(help: "Template version.") var templateVersion = "1.0.0"
    @Option(help: "Merchants created before the run; journeys take them in turn.") var merchants = 20
    @Option(help: "Concurrent workers of the closed-loop run.") var workers = 8
    @Option(help: "Warm-up seconds before each measured run.") var warmup: Double = 5
    @Option(help: "Measured seconds of the closed-loop run.") var seconds: Double = 20
    @Option(help: "Measured seconds of the fixed-rate run (0: skip it).") var rateSeconds: Double = 20
    @Option(help: "Arrivals per second of the fixed-rate run (default: half the closed-loop throughput).") var rate: Double?

    func run() async throws {
        let sampleURL = URL(fileURLWithPath: "\(templates)/\(template)/\(templateVersion)/sample.json")
        let sample = try JSONDecoder().decode([String: String].self, from: Data(contentsOf: sampleURL))
        let times = OperationTimes()
        let server = try await JourneyService.start(templates: templates, times: times)
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(workers, 64)
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            let client = JourneyClient(client: http, baseURL: server.baseURL, apiKey: server.apiKey, sample: sample, templateID: template)
            var merchantIDs: [String] = []
            for index in 0..<merchants { merchantIDs.append(try await client.createMerchant(externalID: "bench-\(index)")) }
            let driver = JourneyDriver(client: client, service: server.service, merchantIDs: merchantIDs, times: times)
            print("journey: signet serve in this process at \(server.baseURL) (SQLite WAL synchronous=FULL in \(server.directory)); "
                  + "create and download over HTTP, the merchant's signature through SignetService.sign(contractID:role:evidence:) "
                  + "in the same process (the platform countersigns inside that call); \(merchants) merchants, template \(template)@\(templateVersion)")

            let closed = try await driver.closedLoop(workers: workers, warmup: warmup, seconds: seconds)
            closed.print(title: "closed loop, \(workers) workers")
            if rateSeconds > 0 {
                let arrivals = rate ?? closed.throughput / 2
                let open = try await driver.fixedRate(arrivalsPerSecond: arrivals, warmup: warmup, seconds: rateSeconds)
                open.print(title: "fixed rate \(BenchRate.fixed(arrivals, places: 1))/s")
                let p99 = open.latencies.p99("sign") ?? .infinity
                print("fixed rate: sign call p99 \(BenchRate.fixed(p99, places: 1)) ms at \(BenchRate.fixed(arrivals, places: 1)) arrivals/s "
                      + "(target <= 150 ms at half the maximum load: \(p99 <= 150 ? "met" : "missed"))")
            }
            let rss = ProcessUsage.now().peakRSSMiB
            print("peak RSS \(BenchRate.fixed(rss, places: 0)) MiB (getrusage ru_maxrss of this process: server and driver; target <= 400 MiB: "
                  + "\(rss <= 400 ? "met" : "missed"))")
            print("throughput target >= 50 completed contracts/s: \(closed.throughput >= 50 ? "met" : "missed") "
                  + "(\(BenchRate.fixed(closed.throughput, places: 1))/s)")
        } catch {
            try? await http.shutdown()
            try? await server.stop()
            throw error
        }
        try await http.shutdown()
        try await server.stop()
    }
}
