public import Foundation
import SignetCrypto
public import SignetPKI

/// A development PKI (`KeyDirectory`) in a temporary directory whose CRL and OCSP URLs point
/// at a live local publisher of it (`pki-server.py`: CRLs, CA certificates, an OCSP
/// responder), for validators that check revocation online (pdfsig, pyHanko).
public final class PublishedKeyDirectory: Sendable {
    public let directory: TemporaryDirectory
    public let server: LocalHTTPFileServer
    public let keys: KeyDirectory
    /// The root certificate's PEM file.
    public var rootFile: URL { URL(fileURLWithPath: keys.path(KeyDirectory.Role.rootCA.certificateFile)) }

    /// Creates the PKI for `organization` (with a unified social credit code for its seal).
    public init(organization: String = "星河支付有限公司", creditCode: String? = "91330106MA2KX7Q38P") throws {
        directory = try TemporaryDirectory("signet-published-pki")
        let keysURL = directory.url.appendingPathComponent("keys")
        try FileManager.default.createDirectory(at: keysURL, withIntermediateDirectories: true)
        server = try LocalHTTPFileServer(directory: keysURL, script: "pki-server.py")
        var options = KeyDirectory.CreationOptions()
        options.organization = organization
        options.creditCode = creditCode
        options.baseURL = "http://127.0.0.1:\(server.port)"
        keys = try KeyDirectory.create(at: keysURL.path, options: options, force: true)
    }
}
