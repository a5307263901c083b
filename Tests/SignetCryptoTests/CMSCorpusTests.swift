import Foundation
import SignetCrypto
import SignetCryptoTestSupport
import SignetTestSupport
import Testing

/// The CMS of one PDF signature, found through its /ByteRange (test-only; the PDF layer has
/// the real parser): the hex string in the excluded gap, and the signed byte ranges.
struct CorpusSignature: CustomStringConvertible {
    let file: String
    let index: Int
    let cms: [UInt8]
    let ranges: [Range<Int>]
    let pdf: [UInt8]

    var description: String { "\(file)#\(index)" }

    /// The digest of the byte ranges, or nil when they run past the end of the file.
    func digest(_ algorithm: DigestAlgorithm) -> [UInt8]? {
        guard ranges.allSatisfy({ $0.upperBound <= pdf.count }) else { return nil }
        var hasher = Hasher(algorithm)
        for range in ranges { hasher.update(pdf[range]) }
        return hasher.finalize()
    }

    /// Every signature of a corpus PDF whose gap is exactly one hex string.
    static func load(_ file: String) throws -> [CorpusSignature] {
        let pdf = [UInt8](try Data(contentsOf: RepositoryPaths.corpus.appendingPathComponent(file)))
        let marker = Array("/ByteRange".utf8)
        var result: [CorpusSignature] = []
        var position = 0
        while let found = CMSBytes.offset(of: marker, in: Array(pdf[position...])) {
            let start = position + found + marker.count
            position = start
            var cursor = start
            while cursor < pdf.count && pdf[cursor] != UInt8(ascii: "[") { cursor += 1 }
            var numbers: [Int] = []
            var current: Int?
            cursor += 1
            while cursor < pdf.count && pdf[cursor] != UInt8(ascii: "]") {
                let byte = pdf[cursor]
                if byte >= 0x30 && byte <= 0x39 {
                    current = (current ?? 0) * 10 + Int(byte - 0x30)
                } else if let value = current {
                    numbers.append(value)
                    current = nil
                }
                cursor += 1
            }
            if let value = current { numbers.append(value) }
            guard numbers.count == 4, numbers[0] == 0 else { continue }
            let gap = numbers[0] + numbers[1]..<numbers[2]
            guard gap.lowerBound < gap.upperBound, gap.upperBound <= pdf.count,
                  pdf[gap.lowerBound] == UInt8(ascii: "<"), pdf[gap.upperBound - 1] == UInt8(ascii: ">") else { continue }
            guard let cms = hexDecode(pdf[(gap.lowerBound + 1)..<(gap.upperBound - 1)]) else { continue }
            result.append(CorpusSignature(
                file: file, index: result.count, cms: cms,
                ranges: [numbers[0]..<numbers[0] + numbers[1], numbers[2]..<numbers[2] + numbers[3]], pdf: pdf))
        }
        return result
    }

    private static func hexDecode(_ hex: ArraySlice<UInt8>) -> [UInt8]? {
        var digits: [UInt8] = []
        for byte in hex {
            switch byte {
            case 0x30...0x39: digits.append(byte - 0x30)
            case 0x41...0x46: digits.append(byte - 0x41 + 10)
            case 0x61...0x66: digits.append(byte - 0x61 + 10)
            case 0x20, 0x0A, 0x0D, 0x09: continue
            default: return nil
            }
        }
        if digits.count % 2 == 1 { digits.append(0) }
        return stride(from: 0, to: digits.count, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
    }
}

@Suite("Third-party CMS from the signed-PDF corpus")
struct CMSCorpusTests {
    static let files: [String] = {
        let lines = (try? String(contentsOf: RepositoryPaths.corpus.appendingPathComponent("expected.tsv"), encoding: .utf8)) ?? ""
        return lines.split(separator: "\n").dropFirst().compactMap { $0.split(separator: "\t").first.map(String.init) }
    }()

    /// Signatures whose CMS-level integrity is expected to fail, and how. (Files whose
    /// ByteRange was tampered with fail in the PDF layer: this test reads the CMS through
    /// the declared ByteRange, so it checks what the ranges point at.)
    static let expectedFailures: [String: (check: CMSCheck, error: CMSError)] = [
        "dss/dss-818/Signature-P-DE_CRY-2_HASH_FAILURE.pdf#0": (.signature, .signatureOverNonDERSignedAttributes),
        "dss/dss-818/Signature-P-IT_ADO-1_HASH_FAILURE_ECDSA.pdf#0": (.signature, .signatureOverNonDERSignedAttributes),
    ]

    @Test("Every corpus signature parses; each is intact over its declared ranges unless the table says otherwise")
    func everySignature() throws {
        #expect(Self.files.count >= 25)
        var checked = 0, tokens = 0, documentTimestamps = 0
        for file in Self.files {
            for signature in try CorpusSignature.load(file) {
                let parsed = try CMSSignedData(berEncoded: signature.cms, allowingTrailingZeroPadding: true)
                if parsed.encapsulatedContentType == CMSObjectIdentifier.tstInfo {
                    // A document timestamp: its imprint is the digest of the byte ranges.
                    let token = try TimeStampToken(signedData: parsed)
                    let algorithm = try #require(token.info.messageImprint.algorithm.digestAlgorithm)
                    let digest = try #require(signature.digest(algorithm))
                    try token.checkImprint(digest: digest, algorithm: algorithm)
                    try token.checkSignature()
                    documentTimestamps += 1
                    continue
                }
                let signer = try #require(parsed.signerInfos.first, "\(signature)")
                let algorithm = try #require(signer.digestAlgorithm, "\(signature)")
                guard let digest = signature.digest(algorithm) else { continue }  // ranges past EOF (a tampered file)
                let result = try parsed.verifySigner(contentDigest: digest)
                if let expected = Self.expectedFailures[signature.description] {
                    #expect(result.outcome(expected.check) == .failed(expected.error), "\(signature): \(result.results)")
                } else {
                    // Intact: trust and time are the verifier's business, not this check's.
                    for check in [CMSCheck.signerCertificate, .contentType, .messageDigest, .signature, .signingCertificateReference] {
                        switch result.outcome(check) {
                        case .passed, .notApplicable: break
                        case .failed, .notChecked: Issue.record("\(signature): \(check) \(result.outcome(check))")
                        }
                    }
                }
                // Every signature timestamp covers its signature value and is signed by its TSA.
                for bytes in signer.signatureTimeStampTokens {
                    let token = try TimeStampToken(berEncoded: bytes)
                    try token.checkImprint(covering: signer.signature)
                    try token.checkSignature()
                    tokens += 1
                }
                checked += 1
            }
        }
        #expect(checked >= 30)
        #expect(tokens >= 9)
        #expect(documentTimestamps == 2)
    }

    private func only(_ file: String, _ index: Int = 0) throws -> (CorpusSignature, CMSSignedData) {
        let signatures = try CorpusSignature.load(file)
        let signature = try #require(signatures.count > index ? signatures[index] : nil)
        return (signature, try CMSSignedData(berEncoded: signature.cms, allowingTrailingZeroPadding: true))
    }

    @Test("pyHanko: signer identified by subject key identifier")
    func skiSid() throws {
        let (signature, cms) = try only("pyhanko/sig-with-ski-sid.pdf")
        guard case .subjectKeyIdentifier = cms.signerInfos[0].signerIdentifier else {
            Issue.record("expected a subjectKeyIdentifier sid")
            return
        }
        let result = try cms.verifySigner(contentDigest: signature.digest(.sha256),
                                          options: CMSVerificationOptions(requireDetached: true))
        #expect(result.isValid, "\(result.results)")
        #expect(result.signerCertificate?.subject.commonName == "Alice")
    }

    @Test("pyHanko: old ESS signing-certificate (v1, SHA-1, no issuerSerial) binds the signer")
    func essV1() throws {
        let (signature, cms) = try only("pyhanko/pades-with-old-style-signing-cert-attr.pdf")
        let attributes = try #require(cms.signerInfos[0].signedAttributes)
        #expect(attributes.signingCertificateV2 == nil)
        let v1 = try #require(attributes.signingCertificate)
        #expect(v1.version == .v1)
        #expect(v1.certificates[0].hashAlgorithm.digestAlgorithm == .sha1)
        #expect(v1.certificates[0].issuerSerial == nil)
        let result = try cms.verifySigner(contentDigest: signature.digest(.sha256), options: .pdfSignature(cades: true))
        #expect(result.isValid, "\(result.results)")
        #expect(result.boundBy == .v1)
        // The reference does not bind another certificate.
        let other = try #require(cms.certificates.first { $0 != result.signerCertificate })
        #expect(throws: CMSError.self) { try cms.signerInfos[0].checkSigningCertificateReference(other, required: true) }
    }

    @Test("pyHanko: adbe.pkcs7.detached without signed attributes verifies over the document digest")
    func noSignedAttributes() throws {
        let (signature, cms) = try only("pyhanko/sig-no-signed-attrs.pdf")
        let signer = cms.signerInfos[0]
        #expect(signer.signedAttributes == nil)
        let algorithm = try #require(signer.digestAlgorithm)
        let digest = try #require(signature.digest(algorithm))
        let result = try cms.verifySigner(contentDigest: digest, options: CMSVerificationOptions(requireDetached: true))
        #expect(result.isValid, "\(result.results)")
        #expect(result.outcome(.signature) == .passed)
        let tampered = try cms.verifySigner(contentDigest: CMSBytes.flipped(digest, at: 3))
        #expect(tampered.outcome(.signature) == .failed(.signatureInvalid))
    }

    @Test("pyHanko: eContent in a detached PDF signature is a format failure while the digest matches")
    func encapsulatedContent() throws {
        let (signature, cms) = try only("pyhanko/pdf-sig-with-econtent.pdf")
        #expect(!cms.isDetached)
        let result = try cms.verifySigner(contentDigest: signature.digest(.sha256),
                                          options: CMSVerificationOptions(requireDetached: true))
        #expect(result.outcome(.detachedContent) == .failed(.encapsulatedContentPresent))
        #expect(result.outcome(.messageDigest) == .passed)
        #expect(!result.isValid)
    }

    @Test("DSS-818: signed attributes not DER-encoded; the signature holds only over the stored bytes",
          arguments: ["dss/dss-818/Signature-P-DE_CRY-2_HASH_FAILURE.pdf", "dss/dss-818/Signature-P-IT_ADO-1_HASH_FAILURE_ECDSA.pdf"])
    func nonDER(file: String) throws {
        let (signature, cms) = try only(file)
        let attributes = try #require(cms.signerInfos[0].signedAttributes)
        #expect(!attributes.isDEREncoded)
        let result = try cms.verifySigner(contentDigest: signature.digest(try #require(cms.signerInfos[0].digestAlgorithm)))
        #expect(result.outcome(.messageDigest) == .passed)
        #expect(result.outcome(.signature) == .failed(.signatureOverNonDERSignedAttributes))
        // Proof that the stored bytes are what was signed: the lenient check passes.
        let certificate = try #require(result.signerCertificate)
        #expect(try certificate.publicKey.verify(signature: cms.signerInfos[0].signature, message: attributes.storedEncodingAsSet,
                                                 scheme: cms.signerInfos[0].signatureScheme))
    }

    @Test("revocationInfoArchival: OCSP responses in an ETSI plugtest file, an empty archive from Adobe Reader")
    func revocationArchival() throws {
        let (_, plugtest) = try only("dss/Signature-P-HU_MIC-1.pdf")
        let archival = try #require(plugtest.signerInfos[0].signedAttributes?.revocationInfoArchival)
        #expect(archival.crls.isEmpty)
        #expect(archival.ocspResponses.count == 2)
        // OCSPResponse ::= SEQUENCE { responseStatus ENUMERATED successful(0), responseBytes [0] ... }
        #expect(archival.ocspResponses.allSatisfy { $0[0] == 0x30 && CMSBytes.offset(of: [0x0A, 0x01, 0x00], in: Array($0.prefix(8))) != nil })

        let (_, adobe) = try only("pyhanko/minimal-two-fields-signed-twice.pdf")
        let empty = try #require(adobe.signerInfos[0].signedAttributes?.revocationInfoArchival)
        #expect(empty.crls.isEmpty && empty.ocspResponses.isEmpty && empty.other.isEmpty)
    }

    @Test("Adobe Reader signatures carry a GlobalSign signature timestamp whose chain is not supplied")
    func adobeTimestamp() throws {
        let (_, cms) = try only("pyhanko/minimal-two-fields-signed-twice.pdf")
        let token = try TimeStampToken(berEncoded: try #require(cms.signerInfos[0].signatureTimeStampTokens.first))
        let tsa = try token.checkSignature()
        #expect(tsa.subject.description.contains("GlobalSign"))
        try TimeStampToken.checkTimeStampingCertificate(tsa)
        // The GlobalSign chain is not supplied, so trust in the pyHanko root fails.
        let anchor = try Certificate(contentsOfFile: RepositoryPaths.corpus.appendingPathComponent("trust/pyhanko-testing-ca-root.cert.pem").path)
        #expect(throws: TimeStampError.self) {
            try TimeStampTrust(anchors: [anchor], validationTime: token.info.genTime).validateChain(for: tsa)
        }
    }

    @Test("pyHanko B-LTA: the document timestamp chains to the test root at its genTime")
    func documentTimestampTrust() throws {
        let (signature, cms) = try only("pyhanko/pades-lta-dss-indirect-arrs-test.pdf", 1)
        let token = try TimeStampToken(signedData: cms)
        let anchor = try Certificate(contentsOfFile: RepositoryPaths.corpus.appendingPathComponent("trust/pyhanko-testing-ca-root.cert.pem").path)
        let algorithm = try #require(token.info.messageImprint.algorithm.digestAlgorithm)
        let result = try token.verify(digest: try #require(signature.digest(algorithm)), algorithm: algorithm,
                                      trust: TimeStampTrust(anchors: [anchor], validationTime: token.info.genTime))
        #expect(result.chain?.last?.subject.matches(anchor.subject) == true)
        #expect(token.info.genTimeText.hasPrefix("2020"))
        // Long after the TSA certificate expired, the same chain is no longer valid.
        #expect(throws: TimeStampError.self) {
            try TimeStampTrust(anchors: [anchor], validationTime: Date(timeIntervalSince1970: 4_102_444_800 * 2))
                .validateChain(for: result.tsaCertificate, untrusted: cms.certificates)
        }
    }
}
