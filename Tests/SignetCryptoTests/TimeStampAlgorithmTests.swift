import Foundation
import SignetCrypto
import SignetCryptoTestSupport
import SignetPKI
import SignetTestSupport
import Testing

@Suite("Timestamp tokens with other signature algorithms")
struct TimeStampAlgorithmTests {
    @Test("Tokens of a TSA signing with another scheme over a SHA-3 imprint verify; a flipped value does not",
          arguments: [
            // openssl ts (PKCS#7 code) checks an RSA key's signature with PKCS#1 v1.5 padding
            // whatever the algorithm says; an RSASSA-PSS key it checks with PSS.
            (KeySpec.rsa(bits: 2048), SignatureScheme.rsaPSS(.sha3_256, mgf1: .sha3_256, saltLength: 32), false),
            (.rsaPSS(bits: 2048), .rsaPSS(.sha384, mgf1: .sha384, saltLength: 48), true),
            (.p521, .ecdsa(.sha3_512), true),
            (.brainpoolP256r1, .ecdsa(.sha256), true),
            (.brainpoolP384r1, .ecdsaPlain(.sha384), false),
            (.rsa(bits: 2048), .rsaPKCS1v15(.sha3_384), true),
          ])
    func token(key: KeySpec, scheme: SignatureScheme, openSSLVerifies: Bool) async throws {
        let pki = try CMSTestPKI(tsaKey: key)
        let tsa = try TimeStampAuthority(
            key: try pki.tsaKey.signing(with: scheme), certificate: pki.tsa, chain: [pki.issuing.certificate],
            serials: TimeStampSerialCounter(),
            configuration: TimeStampAuthorityConfiguration(policy: "1.3.6.1.4.1.99999.1.1", acceptedDigests: [.sha3_256]))
        try pki.save(CMSBytes.random(5000), "data.bin")
        try CMSOpenSSL.run(["ts", "-query", "-data", pki.path("data.bin"), "-sha3-256", "-cert", "-out", pki.path("q.tsq")])
        let request = try TimeStampRequest(berEncoded: try pki.load("q.tsq"))
        #expect(request.messageImprint.algorithm.digestAlgorithm == .sha3_256)
        let reply = await tsa.respond(to: try pki.load("q.tsq"))
        try pki.save(reply, "r.tsr")
        let token = try #require(try TimeStampResponse(berEncoded: reply).token)
        #expect(try token.signerInfo.signatureScheme == scheme)
        _ = try token.verify(digest: request.messageImprint.digest, algorithm: .sha3_256, nonce: request.nonce, trust: pki.trust())

        if openSSLVerifies {
            let verified = try CMSOpenSSL.run(["ts", "-verify", "-in", pki.path("r.tsr"), "-queryfile", pki.path("q.tsq"),
                                               "-CAfile", pki.path("root.pem"), "-untrusted", pki.path("tsa-chain.pem")], expect: nil)
            #expect(verified.output.contains("Verification: OK"), "openssl ts -verify: \(verified.combinedOutput)")
        }

        let signature = token.signerInfo.signature
        let at = try #require(CMSBytes.offset(of: signature, in: token.encoded))
        let tampered = try TimeStampToken(berEncoded: CMSBytes.flipped(token.encoded, at: at + signature.count / 2))
        let outcome = try tampered.signedData.verifySigner().outcome(.signature)
        #expect(outcome == .failed(.signatureInvalid))
    }
}
