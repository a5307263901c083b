import Foundation
import SignetCrypto
import SignetCryptoTestSupport
import SignetPKI
import SignetTestSupport
import Testing

/// `CertificatePool` and the DER form of `RevocationChecker` parse lazily; what they find
/// must be exactly what the fully parsed lists give.
@Suite("Lazily parsed validation data: certificate pool and revocation sources")
struct LazyValidationDataTests {
    /// A serial whose first byte has the high bit set: DER encodes it with a leading 0x00,
    /// OpenSSL's big-endian magnitude without (CAs outside Signet issue such serials).
    static let highBitSerial: [UInt8] = [0x80, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77]

    @Test("A pool indexes DER certificates by subject and serial, drops duplicates and refuses garbage",
          arguments: [nil, LazyValidationDataTests.highBitSerial])
    func certificatePool(serial: [UInt8]?) throws {
        let pki = try TestPKI()
        let (signer, _) = try pki.issueSigner(serialNumber: serial)
        var pool = CertificatePool()
        let refusedTruncated = pool.add(der: [0x30, 0x03, 0x02, 0x01, 0x01])
        let refusedText = pool.add(der: Array("not a certificate".utf8))
        #expect(!refusedTruncated && !refusedText && pool.count == 0)
        for der in [signer.der, pki.issuing.certificate.der, pki.root.certificate.der, signer.der] {
            let added = pool.add(der: der)
            #expect(added)
        }
        pool.add(pki.issuing.certificate)
        #expect(pool.count == 3)
        #expect(pool.all.map(\.der) == [signer.der, pki.issuing.certificate.der, pki.root.certificate.der])
        #expect(pool.certificates(withSubject: signer.issuer).map(\.der) == [pki.issuing.certificate.der])
        #expect(pool.certificates(withSubject: pki.root.certificate.subject).map(\.der) == [pki.root.certificate.der])
        // As a CMS SignerIdentifier carries it: DER content octets.
        let derSerial = signer.serialNumber[0] & 0x80 != 0 ? [0x00] + signer.serialNumber : signer.serialNumber
        let bySerial = pool.candidates(for: .issuerAndSerialNumber(issuer: signer.issuer, serialNumber: derSerial))
        #expect(bySerial.map(\.der) == [signer.der])
        var parsedPool = CertificatePool([pki.root.certificate])
        parsedPool.add(signer)
        let parsedBySerial = parsedPool.candidates(for: .issuerAndSerialNumber(issuer: signer.issuer, serialNumber: derSerial))
        #expect(parsedBySerial.map(\.der) == [signer.der])

        // Path building through the pool finds the same path as through the parsed list.
        let viaPool = try PathValidator(anchors: [pki.root.certificate], pool: pool).validate(signer, policy: .signing(at: .notChecked))
        let viaList = try PathValidator(anchors: [pki.root.certificate], intermediates: pool.all).validate(signer, policy: .signing(at: .notChecked))
        #expect(viaPool.certificates.map(\.der) == viaList.certificates.map(\.der))
        #expect(viaPool.certificates.map(\.der) == [signer.der, pki.issuing.certificate.der, pki.root.certificate.der])
    }

    @Test("Revocation from DER sources (parsed when needed) equals revocation from parsed sources",
          arguments: [nil, LazyValidationDataTests.highBitSerial])
    func revocationSources(serial: [UInt8]?) async throws {
        let pki = try TestPKI()
        let dir = try TemporaryDirectory()
        let database = try CertificateAuthorityDatabase(indexPath: dir.file("index.txt").path)
        let (signer, _) = try pki.issueSigner(serialNumber: serial)
        let (other, _) = try pki.issueSigner()
        try database.recordIssued(signer)
        try database.recordIssued(other)
        try database.revoke(serialNumber: other.serialNumber, at: pki.now.addingTimeInterval(-30), reason: .keyCompromise)
        let (responderCert, responderKey) = try pki.issueOCSPResponder()
        let responder = try OCSPResponder(issuer: pki.issuing.certificate, signerCertificate: responderCert,
                                          signerKey: responderKey, statusProvider: database)
        let aboutSigner = try OCSPRequest(certificates: [(signer, pki.issuing.certificate)])
        let aboutOther = try OCSPRequest(certificates: [(other, pki.issuing.certificate)])
        let signerResponse = try OCSPResponse(der: await responder.respond(to: aboutSigner.der, at: pki.now))
        let otherResponse = try OCSPResponse(der: await responder.respond(to: aboutOther.der, at: pki.now))
        let issuingCRL = try pki.issuing.issueCRL(
            revoked: [RevokedCertificate(serialNumber: other.serialNumber, revocationDate: pki.now.addingTimeInterval(-30), reason: .keyCompromise)],
            number: 2, thisUpdate: pki.now.addingTimeInterval(-60), nextUpdate: pki.now.addingTimeInterval(86_400))
        let rootCRL = try pki.root.issueCRL(revoked: [], number: 1, thisUpdate: pki.now.addingTimeInterval(-60),
                                           nextUpdate: pki.now.addingTimeInterval(30 * 86_400))
        let garbage: [UInt8] = [0x30, 0x00]

        let lazy = RevocationChecker(crlDER: [rootCRL.der, garbage, issuingCRL.der], ocspDER: [otherResponse.der, garbage, signerResponse.der],
                                     certificates: [responderCert])
        let parsed = RevocationChecker(crls: [rootCRL, issuingCRL], ocspResponses: [otherResponse, signerResponse],
                                       certificates: [responderCert])
        for (certificate, issuer) in [(signer, pki.issuing.certificate), (other, pki.issuing.certificate),
                                      (pki.issuing.certificate, pki.root.certificate)] {
            let fromDER = lazy.check(certificate, issuer: issuer)
            let fromParsed = parsed.check(certificate, issuer: issuer)
            #expect("\(fromDER.status)" == "\(fromParsed.status)")
            #expect(fromDER.notes == fromParsed.notes)
        }
        guard case .good(let evidence) = lazy.check(signer, issuer: pki.issuing.certificate).status else {
            Issue.record("the signer's own OCSP response should prove it good")
            return
        }
        #expect(evidence.producedAt != nil)
        guard case .revoked = lazy.check(other, issuer: pki.issuing.certificate).status else {
            Issue.record("the other certificate is revoked by CRL and OCSP")
            return
        }
        #expect(lazy.unreadableInputs == ["CRL #2 could not be read: \(try #require(errorOf { try CertificateRevocationList(der: garbage) }))",
                                         "OCSP response #2 could not be read: \(try #require(errorOf { try OCSPResponse(der: garbage) }))"])
        #expect(lazy.crls.map(\.der) == [rootCRL.der, issuingCRL.der])
        #expect(lazy.ocspResponses.map(\.der) == [otherResponse.der, signerResponse.der])
    }

    private func errorOf(_ body: () throws -> Any) -> String? {
        do {
            _ = try body()
            return nil
        } catch {
            return "\(error)"
        }
    }
}
