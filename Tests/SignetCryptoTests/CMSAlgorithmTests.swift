import Foundation
@testable import SignetCrypto
import SignetCryptoTestSupport
import SignetPKI
import SignetTestSupport
import Testing

@Suite("CMS signature algorithms")
struct CMSAlgorithmTests {
    @Test("Every algorithm OpenSSL can check verifies; a flipped value is SIG_CRYPTO, other content a digest mismatch",
          arguments: AlgorithmCase.all)
    func algorithm(testCase: AlgorithmCase) throws {
        let maker = AlgorithmCMS(pki: try AlgorithmCMS.pki(for: testCase))
        let cms = try maker.make(testCase)
        let parsed = try CMSSignedData(berEncoded: cms)
        #expect(try parsed.signerInfos[0].signatureScheme == testCase.scheme)
        #expect(parsed.signerInfos[0].digestAlgorithm == testCase.digest)
        let verification = try maker.verify(cms, digest: testCase.digest)
        #expect(verification.isValid, "\(verification.results)")

        if testCase.openSSLVerifies {
            let openssl = try maker.openSSLVerify(cms)
            #expect(openssl.status == 0, "openssl cms -verify: \(openssl.combinedOutput)")
        }

        let signature = parsed.signerInfos[0].signature
        var flipped = signature
        flipped[flipped.count / 2] ^= 0x10
        let tampered = try maker.verify(try maker.make(testCase, signature: flipped), digest: testCase.digest)
        #expect(tampered.outcome(.messageDigest) == .passed)
        #expect(tampered.outcome(.signature) == .failed(.signatureInvalid))

        let other = CMSBytes.flipped(maker.content, at: 7)
        let changed = try maker.verify(cms, digest: testCase.digest, content: other)
        #expect(changed.outcome(.messageDigest) == .failed(.messageDigestMismatch(
            attribute: testCase.digest.hash(maker.content), computed: testCase.digest.hash(other))))
    }

    @Test("Plain ECDSA: r‖s agrees with the cryptography package's DER decoding; a value of the wrong length is a wrong signature",
          arguments: [KeySpec.p256, .p521, .brainpoolP384r1])
    func plainECDSA(spec: KeySpec) throws {
        let maker = AlgorithmCMS(pki: try CMSTestPKI(signerKey: spec))
        let attributes = try CMSBuilder.signedAttributes(contentType: CMSObjectIdentifier.data,
                                                         messageDigest: DigestAlgorithm.sha256.hash(maker.content), signer: maker.pki.signer)
        let der = try maker.pki.signerKey.sign(attributes, digest: .sha256)
        let orderLength = SignatureScheme.orderLength(of: maker.pki.signerKey.pointer)
        let script = """
            import sys
            from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
            r, s = decode_dss_signature(bytes.fromhex(sys.argv[1]))
            n = int(sys.argv[2])
            print((r.to_bytes(n, "big") + s.to_bytes(n, "big")).hex())
            """
        let python = try ExternalTool.run(RepositoryPaths.root.appendingPathComponent(".venv/bin/python").path,
                                          ["-c", script, der.hexString, String(orderLength)])
        #expect(python.status == 0, "\(python.combinedOutput)")
        let plain = python.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(ECDSASignatureEncoding.plain(fromDER: der, orderLength: orderLength)?.hexString == plain)
        #expect(ECDSASignatureEncoding.der(fromPlain: try #require(ECDSASignatureEncoding.plain(fromDER: der, orderLength: orderLength)),
                                           orderLength: orderLength) == der)

        let testCase = AlgorithmCase(spec, .ecdsaPlain(.sha256))
        let value = try #require(ECDSASignatureEncoding.plain(fromDER: der, orderLength: orderLength))
        #expect(try maker.verify(try maker.make(testCase, signature: value), digest: .sha256).isValid)
        for wrong in [Array(value.dropLast()), value + [0], [UInt8](), der] {
            let result = try maker.verify(try maker.make(testCase, signature: wrong), digest: .sha256)
            #expect(result.outcome(.signature) == .failed(.signatureInvalid), "\(wrong.count) bytes")
        }
    }

    @Test("RSA-PSS parameters as openssl cms -sign writes them (defaults, other MGF1 digests, salt lengths) resolve and verify",
          arguments: [
            (["-md", "sha1", "-keyopt", "rsa_pss_saltlen:20"], SignatureScheme.rsaPSS(.sha1, mgf1: .sha1, saltLength: 20)),
            (["-md", "sha256", "-keyopt", "rsa_mgf1_md:sha512", "-keyopt", "rsa_pss_saltlen:17"], .rsaPSS(.sha256, mgf1: .sha512, saltLength: 17)),
            (["-md", "sha384", "-keyopt", "rsa_pss_saltlen:0"], .rsaPSS(.sha384, mgf1: .sha384, saltLength: 0)),
            (["-md", "sha512", "-keyopt", "rsa_pss_saltlen:max"], .rsaPSS(.sha512, mgf1: .sha512, saltLength: 256 - 64 - 2)),
          ])
    func opensslPSS(arguments: [String], expected: SignatureScheme) throws {
        let pki = try CMSTestPKI(signerKey: .rsa(bits: 2048))
        let content = CMSBytes.random(1000)
        try pki.save(content, "content.bin")
        try CMSOpenSSL.run(["cms", "-sign", "-binary", "-in", pki.path("content.bin"), "-signer", pki.path("signer.pem"),
                            "-inkey", pki.path("signer.key"), "-keyopt", "rsa_padding_mode:pss", "-outform", "DER",
                            "-out", pki.path("pss.der")] + arguments)
        let parsed = try CMSSignedData(berEncoded: try pki.load("pss.der"))
        let signer = parsed.signerInfos[0]
        #expect(signer.signatureAlgorithm.oid == CMSObjectIdentifier.rsaPSS)
        if expected == .rsaPSS(.sha1, mgf1: .sha1, saltLength: 20) {
            // Every field at its DEFAULT: DER leaves the parameters an empty SEQUENCE.
            #expect(signer.signatureAlgorithm.parameters == [0x30, 0x00])
        }
        #expect(try signer.signatureScheme == expected)
        let digest = try #require(signer.digestAlgorithm)
        #expect(try parsed.verifySigner(contentDigest: digest.hash(content)).isValid)
    }

    @Test("RSASSA-PSS-params: explicit trailer 1 and NULL hash parameters are read; other trailers, masks and negative salts are not")
    func pssParameters() throws {
        func identifier(_ hex: String) -> CMSAlgorithmIdentifier {
            let digits = Array(hex.utf8)
            let bytes = stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
            return CMSAlgorithmIdentifier(oid: CMSObjectIdentifier.rsaPSS, parameters: bytes)
        }
        // [0] sha256 with NULL, [1] MGF1(sha256 with NULL), [2] 32, [3] 1.
        let sha256Null = "300d06096086480165030402010500"
        let mgf1 = "301a06092a864886f70d010108" + "300d06096086480165030402010500"
        let full = identifier("3039" + "a00f" + sha256Null + "a11c" + mgf1 + "a203020120" + "a303020101")
        #expect(try full.signatureScheme(digest: nil) == .rsaPSS(.sha256, mgf1: .sha256, saltLength: 32))
        let trailer2 = identifier("3039" + "a00f" + sha256Null + "a11c" + mgf1 + "a203020120" + "a303020102")
        #expect(throws: CMSError.unsupportedAlgorithm("RSA-PSS with a trailer field other than 1")) { try trailer2.signatureScheme(digest: nil) }
        let negativeSalt = identifier("3005" + "a2030201e0")
        #expect(throws: CMSError.self) { try negativeSalt.signatureScheme(digest: nil) }
        let otherMask = identifier("3011" + "a10f" + "300d06092a864886f70d0101090500")
        #expect(throws: CMSError.unsupportedAlgorithm("RSA-PSS with mask generation 1.2.840.113549.1.1.9")) {
            try otherMask.signatureScheme(digest: nil)
        }
        // Absent or NULL parameters: all defaults.
        #expect(try CMSAlgorithmIdentifier(oid: CMSObjectIdentifier.rsaPSS).signatureScheme(digest: nil) == .rsaPSS(.sha1, mgf1: .sha1, saltLength: 20))
        // What Signet writes reads back.
        for scheme in [SignatureScheme.rsaPSS(.sha3_384, mgf1: .sha256, saltLength: 7), .rsaPSS(.sha1, mgf1: .sha1, saltLength: 20)] {
            #expect(try CMSAlgorithmIdentifier(signature: scheme).signatureScheme(digest: nil) == scheme)
        }
    }

    @Test("An algorithm the signer's key cannot use is a signature failure, not 'unsupported'")
    func keyMismatch() throws {
        let rsa = AlgorithmCMS(pki: try CMSTestPKI(signerKey: .rsa(bits: 2048)))
        let ecdsaOverRSA = try rsa.make(AlgorithmCase(.rsa(bits: 2048), .rsaPKCS1v15(.sha256)),
                                        identifier: CMSAlgorithmIdentifier(signature: .ecdsa(.sha256)))
        let first = try rsa.verify(ecdsaOverRSA, digest: .sha256)
        guard case .failed(.signatureAlgorithmKeyMismatch(let why)) = first.outcome(.signature) else {
            Issue.record("\(first.outcome(.signature))"); return
        }
        #expect(why.contains("ECDSA with SHA-256") && why.contains("RSA 2048"), "\(why)")

        let ec = AlgorithmCMS(pki: try CMSTestPKI(signerKey: .p256))
        for scheme in [SignatureScheme.ed25519, .rsaPKCS1v15(.sha256), .rsaPSS(.sha256, mgf1: .sha256, saltLength: 32)] {
            let cms = try ec.make(AlgorithmCase(.p256, .ecdsa(.sha256)), identifier: CMSAlgorithmIdentifier(signature: scheme))
            let outcome = try ec.verify(cms, digest: .sha256).outcome(.signature)
            #expect({ if case .failed(.signatureAlgorithmKeyMismatch) = outcome { true } else { false } }(), "\(scheme): \(outcome)")
        }

        // An RSASSA-PSS key may not make PKCS#1 v1.5 signatures.
        let pss = AlgorithmCMS(pki: try CMSTestPKI(signerKey: .rsaPSS(bits: 2048)))
        let pkcs1 = try pss.make(AlgorithmCase(.rsaPSS(bits: 2048), .rsaPSS(.sha256, mgf1: .sha256, saltLength: 32)),
                                 identifier: CMSAlgorithmIdentifier(signature: .rsaPKCS1v15(.sha256)))
        let pkcs1Outcome = try pss.verify(pkcs1, digest: .sha256).outcome(.signature)
        #expect({ if case .failed(.signatureAlgorithmKeyMismatch) = pkcs1Outcome { true } else { false } }(), "\(pkcs1Outcome)")
        // Signing refuses such combinations too.
        #expect(throws: CryptoError.self) { _ = try pss.pki.signerKey.signing(with: .rsaPKCS1v15(.sha256)) }
        #expect(throws: CryptoError.self) { _ = try ec.pki.signerKey.signing(with: .ed25519) }
    }

    @Test("An RSASSA-PSS key restricted to SHA-256: its own parameters verify, other ones cannot be its signatures")
    func restrictedPSSKey() throws {
        let pki = try CMSTestPKI()
        try CMSOpenSSL.run(["genpkey", "-algorithm", "RSA-PSS", "-pkeyopt", "rsa_keygen_bits:2048", "-pkeyopt", "rsa_pss_keygen_md:sha256",
                            "-pkeyopt", "rsa_pss_keygen_mgf1_md:sha256", "-pkeyopt", "rsa_pss_keygen_saltlen:32",
                            "-out", pki.path("restricted.key")])
        let key = try PrivateKey(contentsOfFile: pki.path("restricted.key"))
        let certificate = try pki.issuing.issue(CertificateBuilder.signer(
            subject: try DistinguishedName([(.commonName, "Restricted PSS")]), publicKey: try key.publicKey,
            notBefore: pki.now.addingTimeInterval(-60), notAfter: pki.now.addingTimeInterval(86_400)))
        #expect(certificate.keyAlgorithmDescription == "RSA-PSS 2048")
        let message = Array("signed attributes".utf8)
        let allowed = SignatureScheme.rsaPSS(.sha256, mgf1: .sha256, saltLength: 32)
        let signature = try key.sign(digest: DigestAlgorithm.sha256.hash(message), scheme: allowed)
        #expect(try certificate.verifySignature(signature, message: message, scheme: allowed))
        #expect(throws: SignatureKeyMismatch.self) {
            try certificate.verifySignature(signature, message: message, scheme: .rsaPSS(.sha512, mgf1: .sha512, saltLength: 64))
        }
    }

    @Test("Unknown algorithms stay 'unsupported': signature OIDs, ecdsa-plain-RIPEMD160, digest OIDs, SHAKE256 of another length")
    func unknownAlgorithms() throws {
        let maker = AlgorithmCMS(pki: try CMSTestPKI())
        let ecdsa = AlgorithmCase(.p256, .ecdsa(.sha256))
        for oid in ["1.2.3.4.5", "0.4.0.127.0.7.1.1.4.1.6", "1.2.643.7.1.1.3.2"] {
            let cms = try maker.make(ecdsa, identifier: CMSAlgorithmIdentifier(oid: oid))
            #expect(try maker.verify(cms, digest: .sha256).outcome(.signature) == .failed(.unsupportedAlgorithm("signature algorithm \(oid)")))
        }
        // SHA-256's OID with its last arc changed to 99 (same length): an unknown digest.
        let cms = try maker.make(ecdsa)
        let sha256OID: [UInt8] = [0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01]
        var unknownDigest = cms
        while let at = CMSBytes.offset(of: sha256OID, in: unknownDigest) { unknownDigest[at + 10] = 99 }
        let parsed = try CMSSignedData(berEncoded: unknownDigest)
        #expect(parsed.signerInfos[0].digestAlgorithm == nil)
        #expect(try parsed.verifySigner(contentDigest: DigestAlgorithm.sha256.hash(maker.content)).outcome(.messageDigest)
            == .failed(.unsupportedAlgorithm("digest algorithm 2.16.840.1.101.3.4.2.99")))

        #expect(CMSAlgorithmIdentifier(oid: DigestAlgorithm.shake256.oid, parameters: [0x02, 0x02, 0x01, 0x00]).digestAlgorithm == nil)
        #expect(CMSAlgorithmIdentifier(oid: DigestAlgorithm.shake256.oid).digestAlgorithm == nil)
        #expect(CMSAlgorithmIdentifier(digest: .shake256).digestAlgorithm == .shake256)
        #expect(CMSAlgorithmIdentifier(oid: "2.16.840.1.101.3.4.2.12").digestAlgorithm == .shake256)
        // EdDSA with parameters is not EdDSA as RFC 8410 defines it.
        #expect(throws: CMSError.unsupportedAlgorithm("Ed448 with parameters")) {
            try CMSAlgorithmIdentifier(oid: CMSObjectIdentifier.ed448, parameters: [0x05, 0x00]).signatureScheme(digest: .shake256)
        }
    }

    @Test("Each digest agrees with openssl dgst (SHAKE256: 512 bits)", arguments: DigestAlgorithm.allCases)
    func digest(algorithm: DigestAlgorithm) throws {
        let pki = try CMSTestPKI()
        let data = CMSBytes.random(777)
        try pki.save(data, "data.bin")
        let name: [String] = switch algorithm {
        case .sha1: ["-sha1"]
        case .sha224: ["-sha224"]
        case .sha256: ["-sha256"]
        case .sha384: ["-sha384"]
        case .sha512: ["-sha512"]
        case .sha512_256: ["-sha512-256"]
        case .sha3_224: ["-sha3-224"]
        case .sha3_256: ["-sha3-256"]
        case .sha3_384: ["-sha3-384"]
        case .sha3_512: ["-sha3-512"]
        case .shake256: ["-shake256", "-xoflen", "64"]
        }
        let output = try CMSOpenSSL.run(["dgst"] + name + ["-r", pki.path("data.bin")]).output
        let expected = String(output.prefix { $0 != " " })
        #expect(algorithm.hash(data).hexString == expected)
        #expect(algorithm.hash(data).count == algorithm.outputLength)
        var hasher = Hasher(algorithm)
        hasher.update(data.prefix(100))
        hasher.update(data.dropFirst(100))
        #expect(hasher.finalize().hexString == expected)
        #expect(CMSAlgorithmIdentifier(digest: algorithm).digestAlgorithm == algorithm)
    }
}
