import Foundation
import SignetTestSupport
import Testing

/// `signet serve`'s options for the signer rate limits and framing: refused before anything
/// starts when out of range, and listed in the help.
@Suite("signet serve options")
struct ServeOptionsTests {
    private func signet(_ arguments: [String], in dir: TemporaryDirectory) throws -> ToolResult {
        try ExternalTool.run(try RepositoryPaths.signetExecutable().path, arguments, currentDirectory: dir.url)
    }

    @Test("--codes-per-signer, --requests-per-address, --rate-window, --signing-lease and --frame-ancestors are checked before the server starts")
    func refusedValues() throws {
        let dir = try TemporaryDirectory()
        for (arguments, message) in [(["--codes-per-signer", "0"], "--codes-per-signer"), (["--requests-per-address", "-1"], "--requests-per-address"),
                                     (["--rate-window", "15"], "--rate-window"), (["--rate-window", "1h,2h"], "--rate-window"),
                                     (["--signing-lease", "0s"], "--signing-lease"), (["--signing-lease", "2"], "--signing-lease"),
                                     (["--frame-ancestors", "http://app.example.com"], "--frame-ancestors[0]"),
                                     (["--frame-ancestors", "https://a.example", "--frame-ancestors", "https://*.example"], "--frame-ancestors[1]")] {
            let result = try signet(["serve", "--data", "data", "--keys", "keys", "--port", "0"] + arguments, in: dir)
            #expect(result.status == 64 && result.errorOutput.contains(message), "\(arguments): \(result.combinedOutput)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.file("data").path), "nothing was created")
    }

    @Test("serve --help lists the rate-limit and framing options")
    func help() throws {
        let help = try signet(["serve", "--help"], in: try TemporaryDirectory())
        for option in ["--codes-per-signer", "--requests-per-address", "--rate-window", "--frame-ancestors"] {
            #expect(help.output.contains(option), "\(option)")
        }
    }
}
