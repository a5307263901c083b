public import SignetCrypto

/// The operating system's CA bundle, for callers that explicitly ask to trust it
/// (`signet verify --system-trust`). Never used implicitly: Signet trusts nothing unless
/// told to. Note that web-PKI roots say nothing about who may sign contracts.
public enum SystemTrustStore {
    /// Where Debian/Ubuntu, Fedora/RHEL, Alpine and macOS Homebrew keep the bundle.
    public static let candidatePaths = [
        "/etc/ssl/certs/ca-certificates.crt",
        "/etc/pki/tls/certs/ca-bundle.crt",
        "/etc/ssl/cert.pem",
        "/opt/homebrew/etc/ca-certificates/cert.pem",
    ]

    /// Every certificate of the first bundle found.
    public static func load() throws -> [Certificate] {
        for path in candidatePaths {
            if let certificates = try? Certificate.loadAll(contentsOfFile: path), !certificates.isEmpty { return certificates }
        }
        throw SystemTrustStoreError.notFound(candidatePaths)
    }
}

/// Why the system CA bundle could not be loaded.
public enum SystemTrustStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// None of the paths holds a readable bundle.
    case notFound([String])

    /// A stable, machine-readable code for the case, e.g. `system_trust_store.not_found` (docs/error-codes.md):
    /// for programs and the API's problem details; `description` is for people.
    public var code: String {
        switch self {
        case .notFound: "system_trust_store.not_found"
        }
    }

    /// A one-line message for people, listing the paths looked in.
    public var description: String {
        switch self {
        case .notFound(let paths): "no system CA bundle found (looked in \(paths.joined(separator: ", ")))"
        }
    }
}
