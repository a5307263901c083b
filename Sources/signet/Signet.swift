import ArgumentParser
import FoundationEssentials
import Glibc
import SignetCrypto

/// `signet`: the one executable. Each subcommand lives in its own file and stays thin
/// over the library targets.
@main
struct Signet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signet",
        abstract: "Electronic contract signing: templates, PAdES signatures, verification.",
        subcommands: [
            KeysCommand.self,
            TemplatesCommand.self,
            RenderCommand.self,
            DemoCommand.self,
            SignCommand.self,
            VerifyCommand.self,
        ]
    )

    /// Runs the command. A process verifies one PDF in a few milliseconds, so its start-up
    /// counts: OpenSSL is set up without its clean-up at exit, and common `verify` command
    /// lines skip ArgumentParser (see `VerifyRequest(fastParsing:)`); everything else, and
    /// any usage error, goes through it.
    static func main() async {
        CryptoLibrary.prepare()
        if let request = VerifyRequest(fastParsing: CommandLine.arguments.dropFirst()), let status = try? request.run() {
            Glibc.exit(status)
        }
        await main(nil)
    }
}
