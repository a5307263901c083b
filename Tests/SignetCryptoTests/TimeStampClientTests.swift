import Foundation
import SignetCrypto
import SignetCryptoTestSupport
import SignetPKI
import SignetTestSupport
import Testing

/// `Tests/Fixtures/tsa/tsa-server.py` running `openssl ts -reply` behind HTTP, with an
/// OpenSSL TSA configuration over the test PKI's TSA certificate.
final class ExternalTSAServer: Sendable {
    private let server: FixtureServer
    let port: Int

    init(pki: CMSTestPKI) throws {
        try pki.save("01\n", "openssl-tsa-serial")
        let section = { (name: String, digests: String) in
            """
            [ \(name) ]
            dir = \(pki.dir.url.path)
            serial = $dir/openssl-tsa-serial
            crypto_device = builtin
            signer_cert = $dir/tsa.pem
            certs = $dir/issuing.pem
            signer_key = $dir/tsa.key
            signer_digest = sha256
            default_policy = 1.3.6.1.4.1.99999.2.1
            other_policies = 1.3.6.1.4.1.99999.2.2
            digests = \(digests)
            accuracy = secs:1, millisecs:500
            clock_precision_digits = 3
            ordering = yes
            tsa_name = yes
            ess_cert_id_chain = no
            ess_cert_id_alg = sha256

            """
        }
        let config = "[ tsa ]\ndefault_tsa = tsa_default\n\n" + section("tsa_default", "sha256, sha384, sha512")
            + section("tsa_sha512_only", "sha512")
        let configPath = try pki.save(config, "openssl-tsa.cnf")

        server = try FixtureServer(script: "tsa/tsa-server.py", arguments: [configPath])
        port = try server.ports(1)[0]
    }

    /// The URL for one of the server's behaviours ("ok", "wrong-nonce", ...).
    func url(_ behaviour: String) -> URL { URL(string: "http://127.0.0.1:\(port)/\(behaviour)")! }
}

@Suite("RFC 3161 client against an external TSA (openssl ts -reply over HTTP)")
struct TimeStampClientTests {
    @Test("Tokens from the external TSA are accepted: imprint, nonce, TSA certificate and chain checked")
    func acceptsExternalTokens() async throws {
        let pki = try CMSTestPKI()
        let server = try ExternalTSAServer(pki: pki)
        let client = TimeStampClient(url: server.url("ok"), trust: pki.trust(), timeout: TestTimeouts.exchange)
        for algorithm in [DigestAlgorithm.sha256, .sha512] {
            let digest = algorithm.hash(CMSBytes.random(100))
            let token = try await client.timestamp(digest: digest, algorithm: algorithm)
            #expect(token.info.messageImprint.matches(digest: digest, algorithm: algorithm))
            #expect(token.info.policy == "1.3.6.1.4.1.99999.2.1")
            #expect(token.info.ordering)
            #expect(token.info.accuracy == TimeStampAccuracy(seconds: 1, milliseconds: 500))
            #expect(token.info.tsaName?.matches(pki.tsa.subject) == true)
            #expect(token.info.genTimeText.count >= 15)
            #expect(token.signerInfo.signedAttributes?.signingTime != nil)  // OpenSSL's TSA adds one
            #expect(try token.checkSignature() == pki.tsa)
        }
        // A policy the TSA also serves is requested and checked.
        var withPolicy = client
        withPolicy.policy = "1.3.6.1.4.1.99999.2.2"
        let token = try await withPolicy.timestamp(digest: DigestAlgorithm.sha256.hash([1]), algorithm: .sha256)
        #expect(token.info.policy == "1.3.6.1.4.1.99999.2.2")

        // Signet signs a CMS with the external TSA as its timestamp provider.
        let signer = try CMSSigner(key: pki.signerKey, certificate: pki.signer)
        let cms = try await signer.sign(messageDigest: DigestAlgorithm.sha256.hash([7]), timestampProvider: client)
        let parsed = try CMSSignedData(berEncoded: cms)
        let stamp = try TimeStampToken(berEncoded: try #require(parsed.signerInfos[0].signatureTimeStampTokens.first))
        try stamp.checkImprint(covering: parsed.signerInfos[0].signature)
        let estimate = try await signer.estimatedSize(timestampProvider: client)
        #expect(cms.count <= estimate)
    }

    @Test("A wrong nonce, a wrong imprint or a missing nonce is refused")
    func misbehavingTSA() async throws {
        let pki = try CMSTestPKI()
        let server = try ExternalTSAServer(pki: pki)
        let digest = DigestAlgorithm.sha256.hash(Array("contract".utf8))
        await #expect {
            try await TimeStampClient(url: server.url("wrong-nonce"), timeout: TestTimeouts.exchange).timestamp(digest: digest, algorithm: .sha256)
        } throws: { error in
            if case TimeStampError.nonceMismatch(let expected, let actual) = error { return actual != nil && actual != expected }
            return false
        }
        await #expect {
            try await TimeStampClient(url: server.url("no-nonce"), timeout: TestTimeouts.exchange).timestamp(digest: digest, algorithm: .sha256)
        } throws: { error in
            if case TimeStampError.nonceMismatch(_, nil) = error { return true }
            return false
        }
        await #expect {
            try await TimeStampClient(url: server.url("wrong-imprint"), timeout: TestTimeouts.exchange).timestamp(digest: digest, algorithm: .sha256)
        } throws: { error in
            if case TimeStampError.imprintMismatch = error { return true }
            return false
        }
        // Fail closed in signing, too.
        let signer = try CMSSigner(key: pki.signerKey, certificate: pki.signer)
        await #expect(throws: TimeStampError.self) {
            try await signer.sign(messageDigest: digest, timestampProvider: TimeStampClient(url: server.url("wrong-nonce"), timeout: TestTimeouts.exchange))
        }
    }

    @Test("Rejections, HTTP errors, wrong media types, garbage, timeouts and unreachable TSAs are typed errors")
    func transportFailures() async throws {
        let pki = try CMSTestPKI()
        let server = try ExternalTSAServer(pki: pki)
        let digest = DigestAlgorithm.sha256.hash([1, 2, 3])
        func failure(_ behaviour: String, timeout: TimeInterval = TestTimeouts.exchange, url: URL? = nil) async -> TimeStampError? {
            do {
                _ = try await TimeStampClient(url: url ?? server.url(behaviour), timeout: timeout).timestamp(digest: digest, algorithm: .sha256)
                return nil
            } catch {
                return error as? TimeStampError
            }
        }
        guard case .rejected(let status, _, let info)? = await failure("reject") else {
            Issue.record("expected a rejection")
            return
        }
        #expect(status == PKIStatus.rejection.rawValue)
        #expect(info == ["badAlg"])
        #expect(await failure("http-500") == .httpStatus(500))
        #expect(await failure("wrong-type") == .unexpectedContentType("text/html"))
        if case .malformed? = await failure("garbage") {} else { Issue.record("garbage must be malformed") }
        #expect(await failure("slow", timeout: 1) == .timeout)
        // A port nobody listens on.
        let closed = URL(string: "http://127.0.0.1:1/ok")!
        if case .transport? = await failure("", url: closed) {} else { Issue.record("expected a transport error") }
        // Trust in another root makes an otherwise good token unacceptable.
        let stranger = try CMSTestPKI()
        await #expect {
            try await TimeStampClient(url: server.url("ok"), trust: stranger.trust(), timeout: TestTimeouts.exchange).timestamp(digest: digest, algorithm: .sha256)
        } throws: { error in
            if case TimeStampError.untrusted = error { return true }
            return false
        }
    }
}
