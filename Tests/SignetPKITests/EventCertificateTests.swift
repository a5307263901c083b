import Foundation
import SignetCrypto
import SignetCryptoTestSupport
import SignetPKI
import SignetTestSupport
import Testing

/// A fake but well-formed unified social credit code.
let testCreditCode = "91350211MA2Y0KTE1" + String(UnifiedSocialCreditCode.checkCharacter(for: "91350211MA2Y0KTE1")!)

private func eventSubject(event: String = UUID().uuidString, digest: [UInt8]? = nil) -> EventSubject {
    EventSubject(organizationName: "厦门示例商贸有限公司", unifiedSocialCreditCode: testCreditCode, signerName: "王小明",
                 contractNumber: "SA-2026-000123", signingEventID: event, documentSHA256: digest)
}

private func eventAuthority(_ pki: TestPKI, recorder: (any IssuedCertificateRecorder)? = nil) throws -> EventCertificateAuthority {
    try EventCertificateAuthority(issuer: pki.issuing, chain: [pki.issuing.certificate, pki.root.certificate],
                                  crlDistributionPoints: [TestPKI.crlURL], ocspURLs: [TestPKI.ocspURL], recorder: recorder)
}

/// Holds a weak reference to the event key, as a test's window onto its lifetime.
private final class WeakKeyBox: @unchecked Sendable {
    // Unchecked: touched by one test task only.
    weak var key: PrivateKey?
    var privateKeyDER: [UInt8] = []
}

@Suite("One-time event certificates")
struct EventCertificateTests {
    @Test("The unified social credit code check character follows GB 32100 (published codes validate)")
    func creditCodes() {
        #expect(UnifiedSocialCreditCode.isValid("9144030071526726XG"))
        #expect(UnifiedSocialCreditCode.isValid("91330100716105852F"))
        #expect(!UnifiedSocialCreditCode.isValid("9144030071526726XH"))
        #expect(!UnifiedSocialCreditCode.isValid("91350211MA2XYZ1234"))  // Z is not in the alphabet
        #expect(!UnifiedSocialCreditCode.isValid("914403007152672"))
        #expect(UnifiedSocialCreditCode.isValid(testCreditCode))
    }

    @Test("The event certificate is bound to merchant and act, chains for openssl, and the act's signature verifies")
    func certificateContents() async throws {
        let pki = try TestPKI()
        let authority = try eventAuthority(pki)
        let digest = DigestAlgorithm.sha256.hash(Array("prepared contract".utf8))
        let act = pki.now.roundedDown
        let message = Array("bytes to sign".utf8)
        let (certificate, chain, signature) = try await authority.withEventCredential(for: eventSubject(event: "evt-42", digest: digest), at: act) {
            credential in
            (credential.certificate, credential.chain, try credential.privateKey.sign(message, digest: .sha256))
        }
        #expect(try certificate.publicKey.verify(signature: signature, message: message, scheme: .ecdsa(.sha256)))
        #expect(chain == [pki.issuing.certificate, pki.root.certificate])
        #expect(try certificate.publicKey.algorithmDescription == "EC P-256")
        #expect(certificate.subject.organization == "厦门示例商贸有限公司")
        #expect(certificate.subject.commonName == "王小明")
        #expect(certificate.subject.organizationIdentifier == "NTRCN-\(testCreditCode)")
        #expect(certificate.subject.serialNumber == testCreditCode)
        #expect(certificate.subject.value(of: "2.5.4.13") == "Contract SA-2026-000123, signing event evt-42")
        #expect(certificate.signingEvent == SigningEventBinding(contractNumber: "SA-2026-000123", signingEventID: "evt-42", documentSHA256: digest))
        #expect(certificate.subjectAlternativeURIs == ["ni:///sha-256;" + Data(digest).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")])
        #expect(certificate.keyUsage == [.digitalSignature, .nonRepudiation] && !certificate.isCA && certificate.extendedKeyUsage.isEmpty)
        #expect(certificate.notBefore == act.addingTimeInterval(-300) && certificate.notAfter == act.addingTimeInterval(3600))
        #expect(certificate.crlDistributionPoints == [TestPKI.crlURL] && certificate.ocspURLs == [TestPKI.ocspURL])
        // Validates with Signet's path validation and with openssl.
        let path = try PathValidator(anchors: [pki.root.certificate], intermediates: chain).validate(certificate, policy: .signing(at: .at(act)))
        #expect(path.certificates.count == 3)
        let dir = try TemporaryDirectory()
        let leafPath = try write(certificate.pem, "event.pem", in: dir)
        let verified = try openssl(["verify", "-x509_strict", "-CAfile", try write(pki.root.certificate.pem, "root.pem", in: dir),
                                    "-untrusted", try write(pki.issuing.certificate.pem, "issuing.pem", in: dir), leafPath])
        #expect(verified.contains("\(leafPath): OK"), "\(verified)")
        let text = try openssl(["x509", "-in", leafPath, "-noout", "-text", "-nameopt", "RFC2253,-esc_msb"])
        #expect(text.contains("description=Contract SA-2026-000123\\, signing event evt-42"), "\(text)")
        #expect(text.contains("organizationIdentifier=NTRCN-\(testCreditCode)"), "\(text)")
        #expect(text.contains("X509v3 Subject Alternative Name: \n                URI:ni:///sha-256;"), "\(text)")
        // Only extensions every X.509 parser knows: no private OIDs.
        let extensionOIDs = try openssl(["asn1parse", "-in", leafPath]).split(separator: "\n").filter { $0.contains("OBJECT") }
        #expect(!extensionOIDs.contains { $0.contains(":2.") || $0.contains(":1.3.6.1.4.1.") }, "\(extensionOIDs)")
        // Without a document digest the binding has none.
        let plain = try await authority.withEventCredential(for: eventSubject(event: "evt-43")) { $0.certificate }
        #expect(plain.signingEvent?.documentSHA256 == nil && plain.signingEvent?.signingEventID == "evt-43")
        #expect(plain.subjectAlternativeURIs.isEmpty)
    }

    @Test("The event key is gone after the act: released, never written, no copy in any file touched")
    func keyIsGone() async throws {
        let pki = try TestPKI()
        let dir = try TemporaryDirectory()
        let database = try CertificateAuthorityDatabase(indexPath: dir.file("index.txt").path)
        let authority = try eventAuthority(pki, recorder: database)
        let started = Date().addingTimeInterval(-1)
        let box = WeakKeyBox()
        let message = Array("contract digest".utf8)
        let (certificate, signature) = try await authority.withEventCredential(for: eventSubject()) { credential in
            box.key = credential.privateKey
            // Only to search for it afterwards; never written by Signet.
            box.privateKeyDER = try credential.privateKey.derPKCS8()
            #expect(box.key != nil)
            return (credential.certificate, try credential.privateKey.sign(message, digest: .sha256))
        }
        #expect(box.key == nil, "the event key must be released when the act ends")
        #expect(try certificate.publicKey.verify(signature: signature, message: message, scheme: .ecdsa(.sha256)))

        // The raw private scalar: the OCTET STRING (04 20 ...) inside the ECPrivateKey.
        let der = box.privateKeyDER
        let start = try #require(scalarOffset(in: der))
        let scalar = Array(der[start + 2..<start + 34])
        let needles: [[UInt8]] = [scalar, der, Array(Data(der).base64EncodedString().prefix(40).utf8), Array(scalar.hexString.utf8)]
        // The only directory the event CA touches (its database's), plus any file created or
        // changed since the act began at the top of the temporary and working directories.
        var files = try FileManager.default.contentsOfDirectory(atPath: dir.url.path).map { dir.url.appendingPathComponent($0) }
        for top in [FileManager.default.temporaryDirectory, URL(fileURLWithPath: FileManager.default.currentDirectoryPath)] {
            let entries = (try? FileManager.default.contentsOfDirectory(at: top, includingPropertiesForKeys: [.contentModificationDateKey, .isRegularFileKey])) ?? []
            for url in entries {
                let values = try? url.resourceValues(forKeys: [.contentModificationDateKey, .isRegularFileKey])
                if values?.isRegularFile == true, let modified = values?.contentModificationDate, modified >= started { files.append(url) }
            }
        }
        #expect(files.count >= 3)  // index, crlnumber, lock at least
        for file in files {
            guard let data = try? Data(contentsOf: file), data.count < 50_000_000 else { continue }
            let bytes = [UInt8](data)
            for needle in needles {
                #expect(!contains(bytes, needle), "\(file.path) holds a copy of the event key")
            }
            #expect(!String(decoding: bytes, as: UTF8.self).contains("PRIVATE KEY") || !file.path.hasPrefix(dir.url.path))
        }
        // What the database did record: the certificate, by serial.
        #expect(try database.status(ofSerialNumber: certificate.serialNumber) == .good)
    }

    @Test("Keeping the key beyond the act is detected and the act refused; a failing act also releases the key")
    func escapeIsRefused() async throws {
        let pki = try TestPKI()
        let authority = try eventAuthority(pki)
        let stash = Stash()
        await #expect(throws: EventCertificateError.keyOutlivedSigningAct) {
            try await authority.withEventCredential(for: eventSubject()) { credential in
                stash.keys.append(credential.privateKey)
                return credential.certificate
            }
        }
        stash.keys.removeAll()

        struct Failure: Error, Equatable {}
        let box = WeakKeyBox()
        await #expect(throws: Failure()) {
            try await authority.withEventCredential(for: eventSubject()) { credential in
                box.key = credential.privateKey
                throw Failure()
            }
        }
        #expect(box.key == nil)
    }

    @Test("Malformed subjects are refused before any key exists")
    func subjects() async throws {
        let pki = try TestPKI()
        let authority = try eventAuthority(pki)
        var bad = eventSubject()
        bad.unifiedSocialCreditCode = "91350211MA2Y0KTE1X"
        #expect(throws: EventCertificateError.self) { try bad.validate() }
        bad = eventSubject()
        bad.signerName = " "
        #expect(throws: EventCertificateError.invalidSubject(field: "signerName", reason: "must not be empty")) { try bad.validate() }
        bad = eventSubject()
        bad.contractNumber = "SA-1\nSA-2"
        #expect(throws: EventCertificateError.self) { try bad.validate() }
        bad = eventSubject()
        bad.contractNumber = "A, signing event B"
        #expect(throws: EventCertificateError.self) { try bad.validate() }
        bad = eventSubject()
        bad.documentSHA256 = [1, 2, 3]
        let box = WeakKeyBox()
        await #expect(throws: EventCertificateError.self) {
            try await authority.withEventCredential(for: bad) { credential in
                box.key = credential.privateKey
            }
        }
        #expect(box.key == nil)
        #expect(throws: EventCertificateError.self) {
            try EventCertificateAuthority(issuer: pki.issuing, chain: [pki.root.certificate])
        }
    }
}

private final class Stash: @unchecked Sendable {
    // Unchecked: touched by one test task only.
    var keys: [PrivateKey] = []
}

private func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard !needle.isEmpty, haystack.count >= needle.count else { return false }
    let first = needle[0]
    var index = 0
    while index <= haystack.count - needle.count {
        if haystack[index] == first && haystack[index..<index + needle.count].elementsEqual(needle) { return true }
        index += 1
    }
    return false
}

/// Offset of the EC private scalar's OCTET STRING header (04 20) in PKCS#8 DER: after the
/// AlgorithmIdentifier, inside the ECPrivateKey.
private func scalarOffset(in der: [UInt8]) -> Int? {
    guard der.count > 40 else { return nil }
    for index in 20..<(der.count - 34) where der[index] == 0x04 && der[index + 1] == 0x20 {
        return index
    }
    return nil
}
