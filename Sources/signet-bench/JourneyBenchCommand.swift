import ArgumentParser
import AsyncHTTPClient
import FoundationEssentials
import SignetService

/// `signet-bench journey`: the service journey — create a contract over HTTP, the merchant
/// signs (on the signing page over HTTP by default, or through the service function in this
/// same process; the platform countersigns inside the signing call), download the completed
/// B-LTA over HTTP — against `signet serve` started in this process (`JourneyService`). Runs:
/// C closed-loop workers for the maximum throughput (on the page, without and with the page
/// images), then arrivals at a fixed rate (default half that maximum) for the sign step's
/// latency at that load.
struct JourneyBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journey",
        abstract: "Completed contracts per second through the service (create over HTTP → sign on the signing page over HTTP, or in process → download over HTTP)."
    )

    /// Which closed-loop runs load the page images.
    enum PageImages: String, ExpressibleByArgument, CaseIterable {
        case off, on, both
    }

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
    @Option(help: "How the merchant signs: page (the signing page over HTTP) or service (SignetService.sign in process, as before the page existed).")
    var signVia: JourneyDriver.SignVia = .page
    @Option(help: "Page mode: the review step loads no page images (off), all of them (on), or one closed-loop run each way (both; the fixed-rate run loads them).")
    var pageImages: PageImages = .both

    func run() async throws {
        let sampleURL = URL(fileURLWithPath: "\(templates)/\(template)/\(templateVersion)/sample.json")
        let sample = try JSONDecoder().decode([String: String].self, from: Data(contentsOf: sampleURL))
        let times = OperationTimes()
        let codes = CapturedCodes()
        let server = try await JourneyService.start(templates: templates, times: times, codes: codes)
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(workers, 64)
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            let client = JourneyClient(client: http, baseURL: server.baseURL, apiKey: server.apiKey, sample: sample, templateID: template)
            var merchantIDs: [String] = []
            for index in 0..<merchants { merchantIDs.append(try await client.createMerchant(externalID: "bench-\(index)")) }
            let driver = JourneyDriver(client: client, service: server.service, codes: codes, merchantIDs: merchantIDs, times: times)
            print("journey: signet serve in this process at \(server.baseURL) (SQLite WAL synchronous=FULL in \(server.directory)); "
                  + "\(merchants) merchants, template \(template)@\(templateVersion); create and download over HTTP, " + (signVia == .service
                    ? "the merchant's signature through SignetService.sign(contractID:role:evidence:) in the same process (the platform countersigns inside that call)"
                    : "the merchant signs on the signing page over HTTP (landing, code, verify, review, sign, done; the platform countersigns inside the sign POST); "
                      + "the one-time codes go to the driver through a capturing notifier (SignetService.codeNotifier, recorded as 'benchmark'), "
                      + "the per-address limit of code requests and entries is raised to \(JourneyService.requestsPerAddress) per 15 min (all requests come from 127.0.0.1)"))

            var modes = [JourneyDriver.Mode(via: signVia, images: signVia == .page && pageImages == .on)]
            if signVia == .page && pageImages == .both { modes.append(JourneyDriver.Mode(via: .page, images: true)) }
            var results: [JourneyDriver.Result] = []
            for mode in modes {
                if mode.images {
                    do {
                        _ = try await driver.journey(mode)
                    } catch let error as PageImagesNotServed {
                        print("closed loop, \(workers) workers, \(mode.description): skipped, \(error)")
                        continue
                    }
                }
                let result = try await driver.closedLoop(mode, workers: workers, warmup: warmup, seconds: seconds)
                result.print(title: "closed loop, \(workers) workers, \(mode.description)")
                results.append(result)
            }
            guard let closed = results.last else { throw BenchError("no closed-loop run") }
            if rateSeconds > 0 {
                let arrivals = rate ?? closed.throughput / 2
                let open = try await driver.fixedRate(closed.mode, arrivalsPerSecond: arrivals, warmup: warmup, seconds: rateSeconds)
                open.print(title: "fixed rate \(BenchRate.fixed(arrivals, places: 1))/s, \(closed.mode.description)")
                let p99 = open.latencies.p99("sign") ?? .infinity
                let what = closed.mode.via == .page ? "sign POST" : "sign call"
                print("fixed rate: \(what) p99 \(BenchRate.fixed(p99, places: 1)) ms at \(BenchRate.fixed(arrivals, places: 1)) arrivals/s "
                      + "(target <= 150 ms at half the maximum load: \(p99 <= 150 ? "met" : "missed"))")
            }
            let rss = ProcessUsage.now().peakRSSMiB
            print("peak RSS \(BenchRate.fixed(rss, places: 0)) MiB (getrusage ru_maxrss of this process: server and driver; target <= 400 MiB: "
                  + "\(rss <= 400 ? "met" : "missed"))")
            for result in results {
                print("throughput target >= 50 completed contracts/s, \(result.mode.description): \(result.throughput >= 50 ? "met" : "missed") "
                      + "(\(BenchRate.fixed(result.throughput, places: 1))/s)")
            }
        } catch {
            try? await http.shutdown()
            try? await server.stop()
            throw error
        }
        try await http.shutdown()
        try await server.stop()
    }
}

extension JourneyDriver.SignVia: ExpressibleByArgument {}
