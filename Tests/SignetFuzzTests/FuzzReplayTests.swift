import Foundation
import SignetFuzzHarnesses
import SignetHTTP
import Testing

/// CI's short form of the fuzzing without a sanitizer build: every harness body over every
/// repository seed and every saved regression input (`Tests/Fixtures/fuzz-regressions/`).
/// A regression that crashes again takes the test process down; docs/fuzzing.md.
@Suite("Fuzz harness replay")
struct FuzzReplayTests {
    @Test("every harness body survives its seeds and saved crash inputs", arguments: FuzzTarget.allCases)
    func replay(_ target: FuzzTarget) throws {
        let inputs = try FuzzSeeds.inputs(target)
        #expect(inputs.count >= 3, "\(target): too few seeds (\(inputs.count))")
        for input in inputs { target.run(input.bytes) }
    }

    @Test("every fixture signature's CMS is a seed of each of the six parsers")
    func cmsSeedCount() throws {
        let seeds = try FuzzSeeds.seeds(.cms)
        #expect(seeds.count >= 6 * 20)
    }

    @Test("the verifier harness trusts the corpus anchors")
    func verifierAnchors() {
        #expect(SignatureVerifierHarness.fixtureTrustAnchors().count >= 4)
    }

    @Test("the JSON seeds decode as the routes decide: the valid ones accepted, the others refused")
    func jsonSeedOutcomes() throws {
        let seeds = try FuzzSeeds.jsonSeeds()
        #expect(seeds.count >= 10)
        for seed in seeds {
            let outcome = APIRequestBodyDecoding.decode(Data(seed.body), as: seed.kind)
            if seed.name.contains("-bad") || seed.name.contains("wrong-types") || seed.name.contains("nested") {
                #expect(outcome != .accepted, "\(seed.name) should be refused")
            } else if !seed.name.contains("numbers") {  // huge numbers: either way, never a crash
                #expect(outcome == .accepted, "\(seed.name): \(outcome)")
            }
        }
        #expect(APIRequestBodyDecoding.decode(Data(), as: .merchant) == .invalidJSON)
        #expect(APIRequestBodyDecoding.decode(Data("{".utf8), as: .voidReason) == .invalidJSON)
        #expect(APIRequestBodyDecoding.decode(Data("{\"reason\":1,\"x\":2}".utf8), as: .voidReason) == .invalidRequest(issues: 2))
    }
}
