import Foundation
import SignetTestSupport

/// An external RFC 3161 TSA for the CLI tests: `Tests/Fixtures/tsa/tsa-server.py` (`openssl
/// ts -reply` over HTTP) signing with the TSA certificate of `signet keys init` in `dir`.
enum ExternalTSAFixture {
    static func start(in dir: TemporaryDirectory) throws -> LocalHTTPFileServer {
        let config = """
            [ tsa ]
            default_tsa = tsa_default

            [ tsa_default ]
            dir = \(dir.file("keys").path)
            serial = \(dir.file("tsa-serial").path)
            crypto_device = builtin
            signer_cert = $dir/tsa.cert.pem
            certs = $dir/chain.pem
            signer_key = $dir/tsa.key.pem
            signer_digest = sha256
            default_policy = 1.3.6.1.4.1.99999.2.1
            digests = sha256, sha384, sha512
            accuracy = secs:1
            ess_cert_id_chain = no
            ess_cert_id_alg = sha256

            """
        try Data(config.utf8).write(to: dir.file("tsa.cnf"))
        try Data("01\n".utf8).write(to: dir.file("tsa-serial"))
        // The server takes its OpenSSL configuration as its one argument.
        return try LocalHTTPFileServer(directory: dir.file("tsa.cnf"), script: "tsa/tsa-server.py")
    }
}
