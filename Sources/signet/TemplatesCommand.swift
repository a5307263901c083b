import ArgumentParser
import FoundationEssentials
import SignetTemplates

/// `signet templates list|show|lock`.
struct TemplatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "templates",
        abstract: "List, inspect and lock contract templates.",
        subcommands: [List.self, Show.self, Lock.self]
    )

    /// `signet templates list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List templates and their versions.")

        @OptionGroup var templates: TemplatesDirectoryOption
        @Flag(help: "Print JSON.") var json = false

        struct Item: Encodable {
            let id: String
            let versions: [String]
            let title: String?
            let locale: String?
            let signers: [String]?
        }

        func run() throws {
            let listings = try templates.store.list()
            let items = listings.map { listing in
                Item(id: listing.id, versions: listing.versions.map(\.description),
                     title: listing.latest?.displayTitle, locale: listing.latest?.locale.rawValue,
                     signers: listing.latest?.signers.map(\.role.rawValue))
            }
            if json { return try JSONOutput.print(items) }
            for item in items {
                print("\(item.id)  versions \(item.versions.joined(separator: ", "))  [\(item.locale ?? "?")]  \(item.title ?? "(manifest unreadable)")")
            }
        }
    }

    /// `signet templates show ID [--version V]`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a template's signers and fields with their rules.")

        @OptionGroup var templates: TemplatesDirectoryOption
        @Argument(help: "Template id.") var id: String
        @Option(help: "Version (default: the newest).") var version: String?
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let template = try templates.store.load(id: id, version: version)
            let description = TemplateDescription(template)
            if json { return try JSONOutput.print(description) }
            print(description.text)
        }
    }

    /// `signet templates lock [--check]`.
    struct Lock: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lock",
            abstract: "Record new template versions in templates.lock (never rewrites a locked version).",
            discussion: """
            Every version directory is loaded and checked. Versions not yet in templates.lock are \
            added with their digest. A locked version whose files changed is an error: publish \
            the change as a new version instead. With --check nothing is written (for CI).
            """
        )

        @OptionGroup var templates: TemplatesDirectoryOption
        @Flag(help: "Only verify; fail if a version is unlocked or changed.") var check = false

        func run() throws {
            let store = templates.store
            let result = try store.lock(write: !check)
            for reference in result.unchanged.sorted() { print("ok       \(reference)") }
            for (reference, digest) in result.added.sorted(by: { $0.key < $1.key }) {
                print("\(check ? "unlocked" : "locked  ") \(reference) \(digest)")
            }
            if check, !result.added.isEmpty {
                printError("error: \(result.added.count) version(s) not in \(store.lockURL.path); run `signet templates lock`")
                throw ExitCode.failure
            }
        }
    }
}
