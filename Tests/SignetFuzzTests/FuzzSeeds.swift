import Foundation
import SignetFuzzHarnesses
import SignetHTTP
import SignetTestSupport

/// The repository's seeds of each harness, built the way `scripts/fuzz-seeds.sh` builds them
/// (less what that script makes at run time with openssl and pyHanko), and the saved inputs
/// of `Tests/Fixtures/fuzz-regressions/<harness>/`.
enum FuzzSeeds {
    /// `(name, input)` pairs for `target`: seeds, then regression inputs.
    static func inputs(_ target: FuzzTarget) throws -> [(name: String, bytes: [UInt8])] {
        try seeds(target) + regressions(target)
    }

    /// The saved inputs that once crashed, hung or tripped a sanitizer in `target`.
    static func regressions(_ target: FuzzTarget) throws -> [(name: String, bytes: [UInt8])] {
        let directory = RepositoryPaths.fixtures.appendingPathComponent("fuzz-regressions/\(target.rawValue)")
        return try files(in: directory).map { ("regression \(target.rawValue)/\($0.lastPathComponent)", try bytes($0)) }
    }

    static func seeds(_ target: FuzzTarget) throws -> [(name: String, bytes: [UInt8])] {
        switch target {
        case .pdf, .verify:
            return try pdfs().map { ($0.path, try bytes($0)) }
        case .cms:
            // Every signature's CMS in the fixture PDFs, through every parser.
            var inputs: [(name: String, bytes: [UInt8])] = []
            for pdf in try pdfs() {
                for (index, der) in signatureContents(try bytes(pdf)).enumerated() {
                    for parser in CMSParsersHarness.Parser.allCases {
                        inputs.append((name: "\(pdf.lastPathComponent) #\(index) as \(parser)", bytes: CMSParsersHarness.input(parser, der)))
                    }
                }
            }
            return inputs
        case .templates:
            var inputs: [(name: String, bytes: [UInt8])] = []
            for version in try templateVersions() {
                let manifest = try bytes(version.appendingPathComponent("manifest.json"))
                let body = try bytes(version.appendingPathComponent(try bodyName(version)))
                inputs.append((name: "\(version.path) manifest", bytes: manifest))
                inputs.append((name: "\(version.path) body", bytes: body))
                inputs.append((name: "\(version.path) both", bytes: manifest + [0] + body))
            }
            return inputs
        case .json:
            return try jsonSeeds().map { ($0.name, APIJSONHarness.input($0.kind, $0.body)) }
        }
    }

    /// `Fuzz/seeds/json/N-*.json`: the route's selector N and the body.
    static func jsonSeeds() throws -> [(name: String, kind: APIRequestBodyDecoding.Kind, body: [UInt8])] {
        try files(in: RepositoryPaths.root.appendingPathComponent("Fuzz/seeds/json")).map { url in
            let name = url.lastPathComponent
            guard let number = UInt8(name.prefix(while: \.isNumber)), let kind = APIRequestBodyDecoding.Kind(rawValue: number) else {
                throw SeedError.badName(name)
            }
            return (name, kind, try bytes(url))
        }
    }

    static func pdfs() throws -> [URL] {
        let enumerator = FileManager.default.enumerator(at: RepositoryPaths.fixtures, includingPropertiesForKeys: nil)
        var found: [URL] = []
        while let url = enumerator?.nextObject() as? URL {
            if url.pathExtension == "pdf" { found.append(url) }
        }
        return found.sorted { $0.path < $1.path }
    }

    static func templateVersions() throws -> [URL] {
        var versions: [URL] = []
        for template in try directories(in: RepositoryPaths.templates) { versions += try directories(in: template) }
        return versions
    }

    /// The `/Contents <hex>` strings of 100 or more digits: the signatures' CMS, padding dropped.
    static func signatureContents(_ pdf: [UInt8]) -> [[UInt8]] {
        let marker = Array("/Contents".utf8)
        var found: [[UInt8]] = []
        var i = 0
        while i + marker.count < pdf.count {
            guard pdf[i..<(i + marker.count)].elementsEqual(marker) else { i += 1; continue }
            var j = i + marker.count
            while j < pdf.count, [0x20, 0x0A, 0x0D].contains(pdf[j]) { j += 1 }
            guard j < pdf.count, pdf[j] == UInt8(ascii: "<") else { i = j; continue }
            var digits: [UInt8] = []
            j += 1
            while j < pdf.count, let value = hexValue(pdf[j]) { digits.append(value); j += 1 }
            if j < pdf.count, pdf[j] == UInt8(ascii: ">"), digits.count >= 100 {
                if digits.count % 2 == 1 { digits.append(0) }
                var der = stride(from: 0, to: digits.count, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
                while der.last == 0 { der.removeLast() }
                found.append(der)
            }
            i = j
        }
        return found
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    private static func bodyName(_ version: URL) throws -> String {
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: version.appendingPathComponent("manifest.json")))
        guard let name = (manifest as? [String: Any])?["body"] as? String else { throw SeedError.badName(version.path) }
        return name
    }

    private static func files(in directory: URL) throws -> [URL] {
        guard FileManager.default.fileExists(atPath: directory.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: [.isRegularFileKey])
            .filter { !$0.lastPathComponent.hasPrefix(".") && (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    private static func directories(in directory: URL) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: [.isDirectoryKey])
            .filter { (try? $0.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true }
            .sorted { $0.path < $1.path }
    }

    private static func bytes(_ url: URL) throws -> [UInt8] { Array(try Data(contentsOf: url)) }

    enum SeedError: Error { case badName(String) }
}
