import ArgumentParser
import FoundationEssentials
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
            ExtendCommand.self,
            VerifyArchiveCommand.self,
            VerifyCommand.self,
            ExportCommand.self,
            CheckCommand.self,
            APIKeysCommand.self,
            ServeCommand.self,
        ]
    )

    /// Sets OpenSSL up (without its clean-up at exit: the kernel reclaims the memory anyway),
    /// then parses the command line with ArgumentParser and runs the command.
    static func main() async {
        CryptoLibrary.prepare()
        await main(nil)
    }
}
