import ArgumentParser
import FoundationEssentials

/// `signet-bench`: the in-process micro-benchmarks behind the scripts in benchmarks/, kept out
/// of the `signet` product.
@main
struct SignetBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signet-bench",
        abstract: "Signet's micro-benchmarks (see benchmarks/ and docs/benchmarks.md).",
        subcommands: [EventSigningBenchCommand.self, PAdESSigningBenchCommand.self, RenderBenchCommand.self, JourneyBenchCommand.self,
                      PopulateBenchCommand.self, ZipBenchCommand.self]
    )
}

/// A benchmark could not run.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// How long a measured loop ran and how many iterations it made, printed as the scripts in
/// benchmarks/ read it.
struct BenchRate {
    let count: Int
    let elapsed: Duration

    var seconds: Double { elapsed.seconds }

    /// "N things in S s = R/s (M ms each": the caller closes the parenthesis with its details.
    func summary(_ things: String, ratePlaces: Int) -> String {
        "\(count) \(things) in \(Self.fixed(seconds, places: 2)) s = \(Self.fixed(Double(count) / seconds, places: ratePlaces))/s "
            + "(\(Self.fixed(seconds * 1000 / Double(max(count, 1)), places: 2)) ms each"
    }

    /// `value` (non-negative) with `places` decimals, without Foundation's number formats.
    static func fixed(_ value: Double, places: Int) -> String {
        guard value.isFinite, value >= 0, value < 1e15 else { return "\(value)" }
        let scale = (0..<places).reduce(1) { product, _ in product * 10 }
        let units = Int((value * Double(scale)).rounded())
        let fraction = String(units % scale)
        return "\(units / scale)" + (places == 0 ? "" : "." + String(repeating: "0", count: places - fraction.count) + fraction)
    }
}
