import ArgumentParser
import FoundationEssentials
import SignetService
import SignetStore

/// `signet apikeys create|list|revoke`: the integrators' API keys, stored as SHA-256 in the
/// service's database. `create` prints the key once, alone on its last line, for scripts.
struct APIKeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apikeys",
        abstract: "Create, list and revoke API keys of the service.",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    /// `--data DIR` or `--database URL` (default `$SIGNET_DATABASE_URL`), as `signet serve` has them.
    struct DataOption: ParsableArguments {
        @Option(help: ArgumentHelp("The service's data directory (SQLite).", valueName: "dir")) var data = "data"
        @Option(help: ArgumentHelp("The service's PostgreSQL database instead (default: $SIGNET_DATABASE_URL).", valueName: "url"))
        var database: String?

        /// The registry over the service's database (created and migrated when missing).
        func registry() async throws -> APIKeyRegistry {
            let url = database ?? ProcessInfo.processInfo.environment[ServeCommand.databaseEnvironmentVariable].flatMap { $0.isEmpty ? nil : $0 }
            do {
                let location = try StorageLocation.resolve(database: url, dataDirectory: data)
                return APIKeyRegistry(repository: try await location.open().storage.apiKeys)
            } catch {
                printError("signet apikeys: cannot open the database (\(url.flatMap { try? PostgresLocation(url: $0).description } ?? data)): \(error)")
                throw ExitCode.failure
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a key; prints it once (last line, alone). Only its SHA-256 is stored.")
        @Option(help: "A name to recognise the key by.") var name: String
        @OptionGroup var data: DataOption

        func run() async throws {
            let registry = try await data.registry()
            do {
                let key = try await registry.create(name: name)
                printError("created API key \(key.record.id) (\(key.record.name)); it is shown only now:")
                print(key.secret)
            } catch let error as ServiceError {
                printError("signet apikeys create: \(error.fieldErrors.map(\.description).joined(separator: "; "))")
                throw ExitCode.validationFailure
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys (id, prefix, name, created, revoked); never the keys.")
        @OptionGroup var data: DataOption

        func run() async throws {
            for key in try await data.registry().list() {
                let revoked = key.revokedAt.map { "revoked \(TimeText.iso8601($0))" } ?? "active"
                print("\(key.id)\t\(key.prefix)…\t\(key.name)\tcreated \(TimeText.iso8601(key.createdAt))\t\(revoked)")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key by its id (key_…); it stops working at once.")
        @Argument(help: "The key's id.") var id: String
        @OptionGroup var data: DataOption

        func run() async throws {
            guard try await data.registry().revoke(id: id) else {
                printError("signet apikeys revoke: no active key \(id)")
                throw ExitCode.failure
            }
            printError("revoked \(id)")
        }
    }
}

import SignetCrypto
