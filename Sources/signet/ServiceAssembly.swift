import FoundationEssentials
import Logging
import SignetCrypto
import SignetHTTP
import SignetPKI

/// The composition root of `signet serve`: everything the service needs, made from the
/// command line's configuration, in one place. The store and the service join here.
enum ServiceAssembly {
    /// The PKI (created in `keysDirectory` with the base URL when there is none), the data
    /// directory, the readiness checks and the OpenAPI document.
    static func assemble(configuration: ServerConfiguration, passphrase: String?, logger: Logger) throws -> HTTPServices {
        let keys = try loadOrCreateKeys(configuration: configuration, passphrase: passphrase, logger: logger)
        try FileManager.default.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true)
        let readiness = [
            // The OCSP responder and the CRLs answer from the issuing CA's database.
            ReadinessCheck(name: "keys") { _ = try keys.issuingDatabase.entries() },
        ]
        return HTTPServices(keys: keys, readinessChecks: readiness, openAPIDocument: OpenAPIDocument.bytes)
    }

    /// The PKI in the keys directory; a new development PKI whose URLs start with the base URL
    /// when the directory holds none of its files.
    static func loadOrCreateKeys(configuration: ServerConfiguration, passphrase: String?, logger: Logger) throws -> KeyDirectory {
        let directory = configuration.keysDirectory
        let existing = KeyDirectory.managedFiles.contains { FileManager.default.fileExists(atPath: directory + "/" + $0) }
        guard existing else {
            var options = KeyDirectory.CreationOptions()
            options.baseURL = configuration.baseURL
            let keys = try KeyDirectory.create(at: directory, options: options, passphrase: passphrase)
            logger.info("created a development PKI", metadata: ["keys": .string(directory), "base_url": .string(configuration.baseURL)])
            return keys
        }
        let keys = try KeyDirectory.load(from: directory, passphrase: passphrase)
        if let base = keys.manifest.urls?.base, base != configuration.baseURL {
            logger.warning("the PKI's certificates name another base URL; revocation checks will not reach this server",
                           metadata: ["pki_base_url": .string(base), "base_url": .string(configuration.baseURL)])
        }
        return keys
    }
}
