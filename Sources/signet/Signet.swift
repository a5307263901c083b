import ArgumentParser

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
            BenchCommand.self,
        ]
    )
}
