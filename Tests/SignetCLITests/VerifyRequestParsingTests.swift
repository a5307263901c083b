import ArgumentParser
@testable import signet
import Testing

/// `signet verify` reads common command lines without ArgumentParser (start-up time);
/// whatever that fast path accepts must mean exactly what ArgumentParser makes of it.
@Suite("signet verify: fast command-line parsing")
struct VerifyRequestParsingTests {
    /// ArgumentParser's reading of `verify ARGS`, or nil when it rejects them.
    private func argumentParser(_ arguments: [String]) -> VerifyRequest? {
        (try? VerifyCommand.parse(arguments))?.request
    }

    @Test("Typical command lines take the fast path and agree with ArgumentParser")
    func typical() throws {
        let lines: [[String]] = [
            ["a.pdf"],
            ["a.pdf", "--trust", "root.pem"],
            ["--trust", "r1.pem", "a.pdf", "--trust=r2.pem", "--format", "json"],
            ["a.pdf", "--format=text", "--at", "2030-01-01T00:00:00Z", "--no-revocation-check"],
            ["--system-trust", "--at=claimed", "dir/with space/a.pdf"],
        ]
        for line in lines {
            let fast = try #require(VerifyRequest(fastParsing: ["verify"] + line), "\(line)")
            #expect(fast == argumentParser(line), "\(line)")
        }
    }

    @Test("Help, unknown or repeated options and odd values are left to ArgumentParser")
    func declined() {
        let lines: [[String]] = [
            [], ["-h"], ["--help"], ["a.pdf", "--help"], ["a.pdf", "b.pdf"], ["a.pdf", "--format", "xml"], ["a.pdf", "--format"],
            ["a.pdf", "--trust"], ["a.pdf", "--trust", "--format", "json"], ["a.pdf", "--format", "json", "--format", "text"],
            ["a.pdf", "--bogus"], ["a.pdf", "-x"], ["--", "a.pdf"], ["a.pdf", "--repeat-count", "5"], ["a.pdf", "--system-trust=yes"],
            ["-"], ["a.pdf", "--at", "-1"], ["a.pdf", "--no-revocation-check", "--no-revocation-check"],
        ]
        for line in lines {
            #expect(VerifyRequest(fastParsing: ["verify"] + line) == nil, "\(line)")
        }
        #expect(VerifyRequest(fastParsing: ["sign", "a.pdf"]) == nil)
        #expect(VerifyRequest(fastParsing: []) == nil)
    }

    @Test("Random command lines: the fast path accepts only what ArgumentParser reads the same way")
    func randomLines() {
        let tokens = ["a.pdf", "b.pdf", "--trust", "r.pem", "--trust=s.pem", "--format", "json", "text", "--format=json",
                      "--at", "claimed", "2030-01-01", "--at=claimed", "--no-revocation-check", "--system-trust", "-h", "--x", "--", "=", "-"]
        var generator = SystemRandomNumberGenerator()
        var accepted = 0
        for _ in 0..<3_000 {
            let line = (0..<Int.random(in: 0...6, using: &generator)).map { _ in tokens.randomElement(using: &generator)! }
            guard let fast = VerifyRequest(fastParsing: ["verify"] + line) else { continue }
            accepted += 1
            #expect(fast == argumentParser(line), "\(line)")
        }
        #expect(accepted > 100)
    }
}
