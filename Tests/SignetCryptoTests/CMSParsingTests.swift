import Foundation
@testable import SignetCrypto
import SignetCryptoTestSupport
import SignetPKI
import SignetTestSupport
import Testing

@Suite("CMS parsing and verification")
struct CMSParsingTests {
    /// Signs content.bin with `openssl cms -sign` and returns the CMS and the content.
    private func opensslSign(_ pki: CMSTestPKI, _ options: [String], content: [UInt8] = CMSBytes.random(3000)) throws -> (cms: [UInt8], content: [UInt8]) {
        try pki.save(content, "content.bin")
        try CMSOpenSSL.run(["cms", "-sign", "-binary", "-in", pki.path("content.bin"), "-signer", pki.path("signer.pem"),
                            "-inkey", pki.path("signer.key"), "-certfile", pki.path("issuing.pem"), "-md", "sha256",
                            "-outform", "DER", "-out", pki.path("openssl.der")] + options)
        return (try pki.load("openssl.der"), content)
    }

    @Test("openssl cms -sign output (detached, -nodetach, -noattr, -cades, -keyid) parses and verifies",
          arguments: [KeySpec.p256, .rsa(bits: 2048)])
    func opensslMade(spec: KeySpec) async throws {
        let pki = try CMSTestPKI(signerKey: spec)

        let (detached, content) = try opensslSign(pki, [])
        let parsed = try CMSSignedData(berEncoded: detached)
        let signer = try #require(parsed.signerInfos.first)
        #expect(parsed.isDetached)
        #expect(signer.signedAttributes?.signingTime != nil)  // OpenSSL always adds one
        #expect(signer.signedAttributes?.isDEREncoded == true)
        if spec == .p256 {
            #expect(try signer.signatureScheme == .ecdsa(.sha256))
        } else {
            // OpenSSL names the RSA signature algorithm rsaEncryption; the digest comes from digestAlgorithm.
            #expect(signer.signatureAlgorithm.oid == CMSObjectIdentifier.rsaEncryption)
            #expect(try signer.signatureScheme == .rsaPKCS1v15(.sha256))
        }
        let result = try parsed.verifySigner(contentDigest: DigestAlgorithm.sha256.hash(content),
                                             options: CMSVerificationOptions(requireDetached: true))
        #expect(result.isValid, "\(result.results)")
        #expect(result.boundBy == nil)
        #expect(result.outcome(.signingCertificateReference) == .notApplicable("no signing-certificate attribute"))
        let strict = try parsed.verifySigner(contentDigest: DigestAlgorithm.sha256.hash(content),
                                             options: CMSVerificationOptions(requireSigningCertificateReference: true))
        #expect(strict.outcome(.signingCertificateReference) == .failed(.signingCertificateReferenceMissing))

        let (attached, attachedContent) = try opensslSign(pki, ["-nodetach"])
        let withContent = try CMSSignedData(berEncoded: attached)
        #expect(withContent.encapsulatedContent == attachedContent)
        #expect(try withContent.verifySigner().isValid)
        #expect(throws: CMSError.encapsulatedContentPresent) { try withContent.checkDetached() }
        let asPDF = try withContent.verifySigner(options: CMSVerificationOptions(requireDetached: true))
        #expect(asPDF.outcome(.detachedContent) == .failed(.encapsulatedContentPresent))
        #expect(asPDF.outcome(.messageDigest) == .passed)
        #expect(!asPDF.isValid)
        // A timestamp token is signed content of another type: not a PDF signature.
        let token = try await CMSTestPKI().authority().timestamp(digest: DigestAlgorithm.sha256.hash([1]), algorithm: .sha256)
        let tokenAsPDF = try token.signedData.verifySigner(options: .pdfSignature(cades: true))
        #expect(tokenAsPDF.outcome(.contentType) == .failed(.unexpectedContentType(expected: CMSObjectIdentifier.data,
                                                                                   actual: CMSObjectIdentifier.tstInfo)))
        #expect(tokenAsPDF.outcome(.detachedContent) == .failed(.encapsulatedContentPresent))

        let (noAttributes, rawContent) = try opensslSign(pki, ["-noattr"])
        let bare = try CMSSignedData(berEncoded: noAttributes)
        #expect(bare.signerInfos.first?.signedAttributes == nil)
        let bareResult = try bare.verifySigner(contentDigest: DigestAlgorithm.sha256.hash(rawContent))
        #expect(bareResult.isValid, "\(bareResult.results)")
        #expect(bareResult.outcome(.signature) == .passed)
        let wrongDigest = try bare.verifySigner(contentDigest: DigestAlgorithm.sha256.hash(Array("other".utf8)))
        #expect(wrongDigest.outcome(.signature) == .failed(.signatureInvalid))

        let (cades, cadesContent) = try opensslSign(pki, ["-cades"])
        let cadesResult = try CMSSignedData(berEncoded: cades).verifySigner(
            contentDigest: DigestAlgorithm.sha256.hash(cadesContent),
            options: CMSVerificationOptions(requireSigningCertificateReference: true))
        #expect(cadesResult.isValid, "\(cadesResult.results)")
        #expect(cadesResult.boundBy == .v2)

        let (keyid, keyidContent) = try opensslSign(pki, ["-keyid"])
        let byKeyID = try CMSSignedData(berEncoded: keyid)
        let keyidSigner = try #require(byKeyID.signerInfos.first)
        #expect(keyidSigner.version == 3)
        #expect(keyidSigner.signerIdentifier == .subjectKeyIdentifier(try #require(pki.signer.subjectKeyIdentifier)))
        #expect(try byKeyID.verifySigner(contentDigest: DigestAlgorithm.sha256.hash(keyidContent)).isValid)
        // The signer is found among extra certificates when the CMS carries none.
        let (noCerts, noCertsContent) = try opensslSign(pki, ["-nocerts"])
        let withoutCerts = try CMSSignedData(berEncoded: noCerts)
        #expect(!withoutCerts.certificates.contains(pki.signer))
        #expect(try withoutCerts.verifySigner(contentDigest: DigestAlgorithm.sha256.hash(noCertsContent))
            .outcome(.signerCertificate) == .failed(.signerCertificateNotFound(withoutCerts.signerInfos[0].signerIdentifier.description)))
        #expect(try withoutCerts.verifySigner(contentDigest: DigestAlgorithm.sha256.hash(noCertsContent),
                                              options: CMSVerificationOptions(extraCertificates: [pki.signer])).isValid)
    }

    @Test("RSA-PSS signatures made by openssl resolve their parameters and verify")
    func rsaPSS() throws {
        let pki = try CMSTestPKI(signerKey: .rsa(bits: 2048))
        let (cms, content) = try opensslSign(pki, ["-keyopt", "rsa_padding_mode:pss", "-keyopt", "rsa_pss_saltlen:32"])
        let parsed = try CMSSignedData(berEncoded: cms)
        let signer = try #require(parsed.signerInfos.first)
        #expect(signer.signatureAlgorithm.oid == CMSObjectIdentifier.rsaPSS)
        #expect(try signer.signatureScheme == .rsaPSS(.sha256, mgf1: .sha256, saltLength: 32))
        #expect(try parsed.verifySigner(contentDigest: DigestAlgorithm.sha256.hash(content)).isValid)
    }

    @Test("Ed25519 (pure EdDSA over the DER signed attributes, RFC 8419) verifies")
    func ed25519() throws {
        // OpenSSL 3.0's cms -sign cannot make Ed25519 signatures; sign the attributes with pkeyutl.
        let pki = try CMSTestPKI()
        try CMSOpenSSL.run(["genpkey", "-algorithm", "ed25519", "-out", pki.path("ed.key")])
        try CMSOpenSSL.run(["req", "-x509", "-key", pki.path("ed.key"), "-out", pki.path("ed.pem"), "-subj", "/CN=Ed25519 signer", "-days", "2"])
        let certificate = try Certificate(contentsOfFile: pki.path("ed.pem"))
        let digest = DigestAlgorithm.sha512.hash(Array("content".utf8))
        let attributes = try CMSBuilder.signedAttributes(contentType: CMSObjectIdentifier.data, messageDigest: digest, signer: certificate)
        try pki.save(attributes, "attrs.der")
        try CMSOpenSSL.run(["pkeyutl", "-sign", "-rawin", "-inkey", pki.path("ed.key"), "-in", pki.path("attrs.der"), "-out", pki.path("sig.bin")])
        let signerInfo = try CMSBuilder.signerInfo(signer: CMSCertificateFields(certificate), digest: .sha512, signedAttributes: attributes,
                                                   signatureAlgorithm: CMSAlgorithmIdentifier(signature: .ed25519),
                                                   signature: try pki.load("sig.bin"), unsignedAttributes: [])
        let cms = try CMSSignedData(berEncoded: CMSBuilder.contentInfo(digest: .sha512, contentType: CMSObjectIdentifier.data, content: nil,
                                                                        certificates: [certificate], signerInfo: signerInfo))
        #expect(try cms.signerInfos[0].signatureScheme == .ed25519)
        #expect(try cms.verifySigner(contentDigest: digest).isValid)
        #expect(try cms.verifySigner(contentDigest: DigestAlgorithm.sha512.hash([1])).outcome(.messageDigest) != .passed)
    }

    @Test("BER indefinite-length CMS from openssl -stream parses and verifies, attached and detached")
    func berIndefinite() async throws {
        let pki = try CMSTestPKI()
        let (attached, content) = try opensslSign(pki, ["-stream", "-nodetach"])
        #expect(attached[1] == 0x80, "openssl -stream should write an indefinite length")
        let parsed = try CMSSignedData(berEncoded: attached)
        #expect(parsed.encapsulatedContent == content)
        #expect(try parsed.verifySigner().isValid)

        // openssl streams only attached DER; a detached BER CMS is made by re-encoding
        // Signet's own, including the signed attributes (then stored non-DER, yet signed as DER).
        let digest = DigestAlgorithm.sha256.hash(content)
        let der = try await CMSSigner(key: pki.signerKey, certificate: pki.signer, chain: [pki.issuing.certificate])
            .sign(messageDigest: digest, timestampProvider: try pki.authority())
        let ber = CMSBytes.indefiniteLengths(der)
        #expect(ber.count > der.count)
        #expect(ber[1] == 0x80)
        let parsedDetached = try CMSSignedData(berEncoded: ber)
        #expect(parsedDetached.isDetached)
        #expect(parsedDetached.certificates.count == 2)
        let attributes = try #require(parsedDetached.signerInfos.first?.signedAttributes)
        #expect(!attributes.isDEREncoded)
        #expect(attributes.storedEncoding[1] == 0x80)
        #expect(try parsedDetached.verifySigner(contentDigest: digest, options: CMSVerificationOptions(
            requireDetached: true, requireSigningCertificateReference: true)).isValid)
        // The timestamp token inside was re-encoded too, and still verifies.
        let token = try TimeStampToken(berEncoded: try #require(parsedDetached.signerInfos.first?.signatureTimeStampTokens.first))
        try token.checkImprint(covering: parsedDetached.signerInfos[0].signature)
        #expect(try token.checkSignature() == pki.tsa)
        // openssl reads it too. (Its verification would fail: OpenSSL re-encodes the signed
        // attributes with their values as stored, so BER inside them is hashed as BER; RFC 5652
        // §5.4 asks for the DER encoding, which is what Signet hashes.)
        try pki.save(ber, "ber.der")
        let printed = try CMSOpenSSL.run(["cms", "-cmsout", "-print", "-inform", "DER", "-in", pki.path("ber.der"), "-noout"]).output
        #expect(CMSOpenSSL.signedAttributeOIDs(printed).count == 3)
    }

    @Test("A flipped byte in the content, the signature or the signed attributes fails with the right error")
    func flippedBytes() async throws {
        let pki = try CMSTestPKI()
        let content = CMSBytes.random(2048)
        let signer = try CMSSigner(key: pki.signerKey, certificate: pki.signer)
        let digest = DigestAlgorithm.sha256.hash(content)
        let cms = try await signer.sign(messageDigest: digest)
        let original = try CMSSignedData(berEncoded: cms)
        #expect(try original.verifySigner(contentDigest: digest).isValid)

        // Content.
        let otherDigest = DigestAlgorithm.sha256.hash(CMSBytes.flipped(content, at: 1000))
        let contentResult = try original.verifySigner(contentDigest: otherDigest)
        #expect(contentResult.outcome(.messageDigest) == .failed(.messageDigestMismatch(attribute: digest, computed: otherDigest)))
        #expect(!contentResult.isValid)

        // Signature value.
        let signature = original.signerInfos[0].signature
        let signatureAt = try #require(CMSBytes.offset(of: signature, in: cms))
        let badSignature = try CMSSignedData(berEncoded: CMSBytes.flipped(cms, at: signatureAt + signature.count / 2))
        let signatureResult = try badSignature.verifySigner(contentDigest: digest)
        #expect(signatureResult.outcome(.messageDigest) == .passed)
        #expect(signatureResult.outcome(.signature) == .failed(.signatureInvalid))

        // Signed attributes: the ESS certificate hash.
        let hash = try #require(original.signerInfos[0].signedAttributes?.signingCertificateV2?.certificates.first?.certificateHash)
        let hashAt = try #require(CMSBytes.offset(of: hash, in: cms))
        let badAttributes = try CMSSignedData(berEncoded: CMSBytes.flipped(cms, at: hashAt + 5))
        let attributesResult = try badAttributes.verifySigner(contentDigest: digest)
        #expect(attributesResult.outcome(.signature) == .failed(.signatureInvalid))
        #expect(attributesResult.outcome(.signingCertificateReference)
            == .failed(.signingCertificateReferenceMismatch("the SHA-256 certificate hash differs")))

        // Signed attributes: the message digest itself.
        let digestAt = try #require(CMSBytes.offset(of: digest, in: cms))
        let badDigest = try CMSSignedData(berEncoded: CMSBytes.flipped(cms, at: digestAt))
        let digestResult = try badDigest.verifySigner(contentDigest: digest)
        #expect(digestResult.outcome(.messageDigest) == .failed(.messageDigestMismatch(
            attribute: CMSBytes.flipped(digest, at: 0), computed: digest)))
        #expect(digestResult.outcome(.signature) == .failed(.signatureInvalid))
    }

    @Test("Signed attributes stored non-DER: the signature must cover the DER encoding, not the stored bytes")
    func nonDERSignedAttributes() throws {
        let pki = try CMSTestPKI()
        let digest = DigestAlgorithm.sha256.hash(Array("content".utf8))
        let proper = try CMSBuilder.signedAttributes(contentType: CMSObjectIdentifier.data, messageDigest: digest, signer: pki.signer)
        let attributes = try CMSSignedAttributes(node: ASN1Read.parse(proper, "attrs"))
        let encodings = try attributes.attributes.map { try $0.derEncoded() }
        // The same attributes in descending order: valid BER, not DER.
        let unsorted = CMSTestDER.set(encodings.sorted { DERCanonicalizer.setElementLessThan($1, $0) })
        #expect(unsorted != proper)
        let fields = try CMSCertificateFields(pki.signer)
        func build(storedAs stored: [UInt8], signedOver signedBytes: [UInt8]) throws -> CMSSignedData {
            let signature = try pki.signerKey.sign(signedBytes, digest: .sha256)
            let signerInfo = try CMSBuilder.signerInfo(signer: fields, digest: .sha256, signedAttributes: stored,
                                                       signatureAlgorithm: CMSAlgorithmIdentifier(signature: .ecdsa(.sha256)),
                                                       signature: signature, unsignedAttributes: [])
            let cms = try CMSBuilder.contentInfo(digest: .sha256, contentType: CMSObjectIdentifier.data, content: nil,
                                                 certificates: [pki.signer], signerInfo: signerInfo)
            return try CMSSignedData(berEncoded: cms)
        }

        // Signed over the stored unsorted bytes (the DSS-818 defect): refused.
        let lenient = try build(storedAs: unsorted, signedOver: unsorted)
        #expect(lenient.signerInfos[0].signedAttributes?.isDEREncoded == false)
        #expect(lenient.signerInfos[0].signedAttributes?.derEncoding == proper)
        let result = try lenient.verifySigner(contentDigest: digest)
        #expect(result.outcome(.messageDigest) == .passed)
        #expect(result.outcome(.signature) == .failed(.signatureOverNonDERSignedAttributes))
        #expect(!result.isValid)

        // Stored unsorted but signed over the DER encoding: what RFC 5652 §5.4 asks, so valid.
        let strict = try build(storedAs: unsorted, signedOver: proper)
        #expect(strict.signerInfos[0].signedAttributes?.isDEREncoded == false)
        #expect(try strict.verifySigner(contentDigest: digest).isValid)

        // Stored with an indefinite length (BER) and signed over DER: valid too.
        let indefinite: [UInt8] = [0x31, 0x80] + encodings.sorted(by: DERCanonicalizer.setElementLessThan).flatMap { $0 } + [0, 0]
        let ber = try build(storedAs: indefinite, signedOver: proper)
        #expect(ber.signerInfos[0].signedAttributes?.isDEREncoded == false)
        #expect(try ber.verifySigner(contentDigest: digest).isValid)
    }

    @Test("Malformed, truncated and padded input gives typed errors, never a crash")
    func malformed() async throws {
        let pki = try CMSTestPKI()
        let cms = try await CMSSigner(key: pki.signerKey, certificate: pki.signer, chain: [pki.issuing.certificate])
            .sign(messageDigest: DigestAlgorithm.sha256.hash([1, 2, 3]), timestampProvider: try pki.authority())
        for length in stride(from: 0, to: cms.count, by: 3) {
            #expect(throws: CMSError.self) { try CMSSignedData(berEncoded: Array(cms.prefix(length))) }
        }
        for _ in 0..<300 {
            let mutated = CMSBytes.flipped(cms, at: Int.random(in: 0..<cms.count))
            // Parsing throws only CMSError (typed throws); what matters is that it returns.
            guard let parsed = try? CMSSignedData(berEncoded: mutated) else { continue }
            _ = try? parsed.verifySigner(contentDigest: DigestAlgorithm.sha256.hash([1, 2, 3]))
            for token in parsed.signerInfos.flatMap(\.signatureTimeStampTokens) { _ = try? TimeStampToken(berEncoded: token) }
        }
        #expect(throws: CMSError.self) { try CMSSignedData(berEncoded: []) }
        #expect(throws: CMSError.self) { try CMSSignedData(berEncoded: CMSBytes.random(500)) }
        #expect(throws: CMSError.self) { try CMSSignedData(berEncoded: Array(repeating: 0x30, count: 200) + [0x80]) }

        // PDF /Contents padding: zeros are accepted on request, anything else never.
        let padded = cms + [UInt8](repeating: 0, count: 777)
        #expect(throws: CMSError.self) { try CMSSignedData(berEncoded: padded) }
        let parsed = try CMSSignedData(berEncoded: padded, allowingTrailingZeroPadding: true)
        #expect(parsed.trailingPadding == 777)
        #expect(parsed.encoded == cms)
        #expect(throws: CMSError.malformed("non-zero bytes follow the ContentInfo")) {
            try CMSSignedData(berEncoded: cms + [0, 0, 1], allowingTrailingZeroPadding: true)
        }
        // A timestamp token is not PDF signature CMS, and SignedData is required.
        #expect {
            try CMSSignedData(berEncoded: [0x30, 0x0D, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01, 0xA0, 0x00])
        } throws: { error in
            (error as? CMSError) == .notSignedData(contentType: CMSObjectIdentifier.data)
        }
    }

    @Test("Repeated or multi-valued message-digest attributes are refused")
    func ambiguousAttributes() throws {
        let pki = try CMSTestPKI()
        let digest = DigestAlgorithm.sha256.hash([9])
        let proper = try CMSBuilder.signedAttributes(contentType: CMSObjectIdentifier.data, messageDigest: digest, signer: pki.signer)
        var attributes = try CMSSignedAttributes(node: ASN1Read.parse(proper, "attrs")).attributes
        let second = CMSAttribute(type: CMSObjectIdentifier.messageDigest, values: [[0x04, 0x20] + DigestAlgorithm.sha256.hash([8])])
        attributes.append(second)
        let doubled = CMSTestDER.set(try attributes.map { try $0.derEncoded() })
        #expect(throws: CMSError.invalidAttribute(oid: CMSObjectIdentifier.messageDigest, reason: "appears 2 times")) {
            try CMSSignedAttributes(node: ASN1Read.parse(doubled, "attrs"))
        }
    }
}

/// DER helpers for building deliberately odd structures.
enum CMSTestDER {
    /// A SET (0x31) holding `elements` in the given order (not sorted).
    static func set(_ elements: [[UInt8]]) -> [UInt8] {
        let content = elements.flatMap { $0 }
        var out: [UInt8] = [0x31]
        DERCanonicalizer.writeLength(content.count, into: &out)
        return out + content
    }
}
