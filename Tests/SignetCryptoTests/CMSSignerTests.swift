import Foundation
import SignetCrypto
import SignetCryptoTestSupport
import SignetPKI
import SignetTestSupport
import Testing

@Suite("CMS signing for PAdES")
struct CMSSignerTests {
    @Test("A Signet CMS verifies with openssl cms -verify and holds exactly the three PAdES signed attributes",
          arguments: [KeySpec.p256, .p384, .rsa(bits: 2048)])
    func opensslVerifies(spec: KeySpec) async throws {
        let pki = try CMSTestPKI(signerKey: spec)
        let content = CMSBytes.random(4096)
        let signer = try CMSSigner(key: pki.signerKey, certificate: pki.signer, chain: [pki.issuing.certificate])
        #expect(signer.digestAlgorithm == (spec == .p384 ? .sha384 : .sha256))
        let cms = try await signer.sign(messageDigest: signer.digestAlgorithm.hash(content))
        try pki.save(content, "content.bin")
        try pki.save(cms, "sig.der")

        try CMSOpenSSL.run([
            "cms", "-verify", "-binary", "-inform", "DER", "-in", pki.path("sig.der"), "-content", pki.path("content.bin"),
            "-CAfile", pki.path("root.pem"), "-purpose", "any", "-out", "/dev/null",
        ])
        try pki.save(CMSBytes.flipped(content, at: 100), "tampered.bin")
        let tampered = try CMSOpenSSL.run([
            "cms", "-verify", "-binary", "-inform", "DER", "-in", pki.path("sig.der"), "-content", pki.path("tampered.bin"),
            "-CAfile", pki.path("root.pem"), "-purpose", "any", "-out", "/dev/null",
        ], expect: nil)
        #expect(tampered.status != 0)

        let printed = try CMSOpenSSL.run(["cms", "-cmsout", "-print", "-inform", "DER", "-in", pki.path("sig.der"), "-noout"]).output
        let signedOIDs = CMSOpenSSL.signedAttributeOIDs(printed)
        #expect(Set(signedOIDs) == [CMSObjectIdentifier.contentType, CMSObjectIdentifier.messageDigest,
                                    CMSObjectIdentifier.signingCertificateV2])
        #expect(signedOIDs.count == 3)
        #expect(!printed.contains(CMSObjectIdentifier.signingTime))
        #expect(printed.contains("eContent: <ABSENT>"))
        #expect(CMSOpenSSL.unsignedAttributeOIDs(printed).isEmpty)

        let parsed = try CMSSignedData(berEncoded: cms)
        #expect(parsed.isDetached)
        #expect(parsed.certificates.count == 2)
        let attributes = try #require(parsed.signerInfos.first?.signedAttributes)
        #expect(attributes.isDEREncoded)
        #expect(attributes.signingTime == nil)
        #expect(attributes.contentType == CMSObjectIdentifier.data)
        let v2 = try #require(attributes.signingCertificateV2)
        #expect(v2.certificates.first?.issuerSerial != nil)
        // SHA-256 is signing-certificate-v2's DEFAULT, so DER leaves the algorithm out.
        #expect(v2.certificates.first?.hashAlgorithm == CMSAlgorithmIdentifier(digest: .sha256))
        let verification = try parsed.verifySigner(
            contentDigest: signer.digestAlgorithm.hash(content),
            options: CMSVerificationOptions(requireDetached: true, requireSigningCertificateReference: true))
        #expect(verification.isValid, "\(verification.results)")
        #expect(verification.signerCertificate == pki.signer)
        #expect(verification.boundBy == .v2)
    }

    @Test("The signature-time-stamp attribute is present and its token covers the signature value")
    func signatureTimestamp() async throws {
        let pki = try CMSTestPKI()
        let tsa = try pki.authority()
        let signer = try CMSSigner(key: pki.signerKey, certificate: pki.signer, chain: [pki.issuing.certificate])
        let digest = DigestAlgorithm.sha256.hash(Array("the contract".utf8))
        let cms = try await signer.sign(messageDigest: digest, timestampProvider: tsa)
        try pki.save(cms, "sig.der")
        let printed = try CMSOpenSSL.run(["cms", "-cmsout", "-print", "-inform", "DER", "-in", pki.path("sig.der"), "-noout"]).output
        #expect(CMSOpenSSL.unsignedAttributeOIDs(printed) == [CMSObjectIdentifier.signatureTimeStampToken])
        #expect(CMSOpenSSL.signedAttributeOIDs(printed).count == 3)

        let parsed = try CMSSignedData(berEncoded: cms)
        let signerInfo = try #require(parsed.signerInfos.first)
        #expect(try parsed.verifySigner(contentDigest: digest).isValid)
        let tokenBytes = try #require(signerInfo.signatureTimeStampTokens.first)
        let token = try TimeStampToken(berEncoded: tokenBytes)
        try token.checkImprint(covering: signerInfo.signature)
        let result = try token.verify(digest: DigestAlgorithm.sha256.hash(signerInfo.signature), algorithm: .sha256,
                                      trust: pki.trust())
        #expect(result.tsaCertificate == pki.tsa)
        #expect(result.chain?.last == pki.root.certificate)
        #expect(abs(result.genTime.timeIntervalSinceNow) < 600)

        // openssl agrees: the token is a valid timestamp over the signature value.
        try pki.save(tokenBytes, "token.der")
        try pki.save(signerInfo.signature, "signature-value.bin")
        let verified = try CMSOpenSSL.run([
            "ts", "-verify", "-in", pki.path("token.der"), "-token_in", "-data", pki.path("signature-value.bin"),
            "-CAfile", pki.path("root.pem"), "-untrusted", pki.path("tsa-chain.pem"),
        ])
        #expect(verified.output.contains("Verification: OK"))
    }

    @Test("Timestamping fails closed: a provider error propagates and a token over other data is refused")
    func timestampFailsClosed() async throws {
        let pki = try CMSTestPKI()
        let signer = try CMSSigner(key: pki.signerKey, certificate: pki.signer)
        let digest = DigestAlgorithm.sha256.hash(Array("x".utf8))
        await #expect(throws: TimeStampError.timeout) {
            try await signer.sign(messageDigest: digest, timestampProvider: CMSTestFailingProvider())
        }
        let wrong = CMSTestWrongImprintProvider(authority: try pki.authority())
        await #expect(throws: CMSError.timestampDoesNotCoverSignature) {
            try await signer.sign(messageDigest: digest, timestampProvider: wrong)
        }
    }

    @Test("An external signing key plugs in; a faulty one or a key that does not match the certificate is refused")
    func externalKeys() async throws {
        let pki = try CMSTestPKI()
        let external = CMSTestRemoteKey(key: pki.signerKey)
        let digest = DigestAlgorithm.sha256.hash(Array("hsm".utf8))
        let cms = try await CMSSigner(key: external, certificate: pki.signer).sign(messageDigest: digest)
        #expect(external.calls.value == 1)
        #expect(try CMSSignedData(berEncoded: cms).verifySigner(contentDigest: digest).isValid)

        let faulty = try CMSSigner(key: CMSTestRemoteKey(key: pki.signerKey, corrupt: true), certificate: pki.signer)
        await #expect {
            try await faulty.sign(messageDigest: digest)
        } throws: { error in
            if case CMSError.signingFailed = error { return true }
            return false
        }
        #expect {
            try CMSSigner(key: try PrivateKey.generate(.p256), certificate: pki.signer)
        } throws: { error in
            if case CMSError.signingFailed = error { return true }
            return false
        }
        await #expect(throws: CMSError.digestLengthMismatch(expected: 32, actual: 20)) {
            try await CMSSigner(key: pki.signerKey, certificate: pki.signer).sign(messageDigest: [UInt8](repeating: 1, count: 20))
        }
    }

    @Test("The size estimate bounds every CMS, with and without a timestamp", arguments: [KeySpec.p256, .rsa(bits: 2048)])
    func sizeEstimate(spec: KeySpec) async throws {
        let pki = try CMSTestPKI(signerKey: spec)
        let tsa = try pki.authority()
        let signer = try CMSSigner(key: pki.signerKey, certificate: pki.signer, chain: [pki.issuing.certificate])
        let plainEstimate = try await signer.estimatedSize(timestampProvider: nil)
        let stampedEstimate = try await signer.estimatedSize(timestampProvider: tsa)
        #expect(stampedEstimate > plainEstimate + 500)
        for _ in 0..<12 {
            let digest = DigestAlgorithm.sha256.hash(CMSBytes.random(64))
            let plain = try await signer.sign(messageDigest: digest)
            let stamped = try await signer.sign(messageDigest: digest, timestampProvider: tsa)
            #expect(plain.count <= plainEstimate)
            #expect(plainEstimate - plain.count <= 8)
            #expect(stamped.count <= stampedEstimate)
            #expect(stampedEstimate - stamped.count <= 40)
        }
    }
}

/// A provider whose TSA never answers.
struct CMSTestFailingProvider: TimeStampProvider {
    func timestamp(digest: [UInt8], algorithm: DigestAlgorithm) async throws -> TimeStampToken { throw TimeStampError.timeout }
    func estimatedTokenSize(algorithm: DigestAlgorithm) async throws -> Int { 4096 }
}

/// A provider that returns a valid token over the wrong data.
struct CMSTestWrongImprintProvider: TimeStampProvider {
    let authority: TimeStampAuthority
    func timestamp(digest: [UInt8], algorithm: DigestAlgorithm) async throws -> TimeStampToken {
        try await authority.timestamp(digest: algorithm.hash(digest), algorithm: algorithm)
    }
    func estimatedTokenSize(algorithm: DigestAlgorithm) async throws -> Int {
        try await authority.estimatedTokenSize(algorithm: algorithm)
    }
}

/// A counter shared across tasks.
final class CMSTestCounter: @unchecked Sendable {
    // Unchecked: guarded by the lock.
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}

/// A signing key that stands in for an HSM: only signs digests, possibly badly.
struct CMSTestRemoteKey: CMSSigningKey {
    let key: PrivateKey
    var corrupt = false
    let calls = CMSTestCounter()

    var publicKey: PublicKey { get throws { try key.publicKey } }
    var signatureScheme: SignatureScheme { get throws { try key.signatureScheme } }
    func signDigest(_ digest: [UInt8]) async throws -> [UInt8] {
        calls.increment()
        let signature = try await key.signDigest(digest)
        return corrupt ? CMSBytes.flipped(signature, at: signature.count - 3) : signature
    }
}
