import ArgumentParser
import Dispatch
import FoundationEssentials
import Glibc
import SignetCrypto
import SignetTemplates
import Synchronization

/// `signet-bench render`: each template's sample rendered `--count` times in one process
/// through `ContractRenderer.render`, a different contract number each time, as the service
/// renders: the first render of the process is cold (fonts, fontconfig, Pango set up), the
/// later ones warm. Prints, per template, the first render and the median and p95 of the
/// rest, wall and CPU time (user + system of the whole process) per render, and a digest of
/// every PDF made (contract numbers `BENCH-100001`…, so runs with the same `--count` compare).
/// With `--images SCALE`, each render also draws every page as PNG at SCALE
/// (`ContractRenderer.renderPageImages`, as the service does for signers' review pages); the
/// PDFs are the same, so the digest is too, and the line adds the PNG bytes per page.
struct RenderBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Cold and warm contract rendering in one process (ContractRenderer.render)."
    )

    @Option(help: "Template directory.") var templates = "contract-templates"
    @Option(help: "Only this template (default: every template in the directory).") var template: String?
    @Option(help: "Renders per template.") var count = 50
    @Option(help: "Then, per template, this many threads rendering --count contracts each at once (0: skip).")
    var threads = 0
    @Option(help: "Also draw every page as PNG at this scale (pixels per point, 1…4; 0: PDF only).")
    var images = 0

    func run() throws {
        let store = TemplateStore(root: URL(fileURLWithPath: templates))
        let ids = try template.map { [$0] } ?? store.templateIDs()
        guard count >= 2 else { throw BenchError("--count must be at least 2 (one cold render, then warm ones)") }
        for id in ids {
            let loaded = try store.load(id: id)
            guard let fields = loaded.sample else { throw BenchError("\(loaded.reference) has no sample.json") }
            var samples: [RenderSample] = []
            var pages = 0, size = 0, imageBytes = 0
            var digests = ""
            for index in 0..<count {
                let metadata = try ContractMetadata(number: "BENCH-\(100_001 + index)", issuedAt: "2025-03-01T10:00:00+08:00")
                let sample = try RenderSample.measure {
                    let rendered: RenderedContract
                    if images > 0 {
                        let drawn = try ContractRenderer.renderPageImages(template: loaded, fields: fields, metadata: metadata, scale: images)
                        rendered = drawn.contract
                        imageBytes = drawn.pages.reduce(0) { $0 + $1.png.count }
                    } else {
                        rendered = try ContractRenderer.render(template: loaded, fields: fields, metadata: metadata)
                    }
                    pages = rendered.pageCount
                    size = rendered.pdf.count
                    digests += rendered.sha256
                }
                samples.append(sample)
            }
            let warm = samples.dropFirst()
            func ms(_ value: Double) -> String { BenchRate.fixed(value * 1000, places: 1) }
            func quantile(_ values: [Double], _ q: Double) -> Double {
                let sorted = values.sorted()
                return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * q).rounded()))]
            }
            let wall = warm.map(\.wall), cpu = warm.map(\.cpu)
            let imageNote = images > 0 ? ", with page images at \(images)× (\(imageBytes / max(pages, 1)) PNG bytes per page)" : ""
            print("render \(loaded.reference) (\(pages) pages, \(size) bytes\(imageNote)): "
                  + "first wall \(ms(samples[0].wall)) ms cpu \(ms(samples[0].cpu)) ms; "
                  + "warm (\(warm.count)) wall median \(ms(quantile(wall, 0.5))) p95 \(ms(quantile(wall, 0.95))) ms, "
                  + "cpu median \(ms(quantile(cpu, 0.5))) p95 \(ms(quantile(cpu, 0.95))) ms; "
                  + "SHA-256 of the renders' SHA-256s \(DigestAlgorithm.sha256.hash(Array(digests.utf8)).hexString.prefix(16))")
            if threads > 0 { try concurrent(loaded, fields: fields) }
        }
    }
}

extension RenderBenchCommand {
    /// `threads` threads rendering `count` contracts each, all at once: renders per second and
    /// CPU per render, the throughput a service gets from the renderer.
    func concurrent(_ template: ContractTemplate, fields: FieldValues) throws {
        let failures = Mutex<[String]>([])
        let total = try RenderSample.measure {
            DispatchQueue.concurrentPerform(iterations: threads) { thread in
                for index in 0..<count {
                    do {
                        let metadata = try ContractMetadata(number: "BENCH-\(thread + 2)\(100_001 + index)", issuedAt: "2025-03-01T10:00:00+08:00")
                        _ = try ContractRenderer.render(template: template, fields: fields, metadata: metadata)
                    } catch {
                        failures.withLock { $0.append("\(error)") }
                    }
                }
            }
        }
        if let failure = failures.withLock({ $0.first }) { throw BenchError("concurrent render failed: \(failure)") }
        let renders = Double(threads * count)
        print("render \(template.reference) on \(threads) threads: \(threads * count) renders in \(BenchRate.fixed(total.wall, places: 2)) s = "
              + "\(BenchRate.fixed(renders / total.wall, places: 1)) renders/s, cpu \(BenchRate.fixed(total.cpu * 1000 / renders, places: 1)) ms per render")
    }
}

/// Wall and process CPU time of one call.
struct RenderSample {
    let wall: Double
    let cpu: Double

    static func measure(_ body: () throws -> Void) throws -> RenderSample {
        let clock = ContinuousClock()
        let cpuStart = processCPUSeconds()
        let start = clock.now
        try body()
        let elapsed = start.duration(to: clock.now)
        let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return RenderSample(wall: wall, cpu: processCPUSeconds() - cpuStart)
    }

    /// User + system CPU time of the process so far.
    static func processCPUSeconds() -> Double {
        var time = Glibc.timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
