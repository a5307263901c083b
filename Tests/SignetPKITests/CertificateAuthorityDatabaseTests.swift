import Foundation
import SignetCrypto
import SignetCryptoTestSupport
import SignetPKI
import SignetTestSupport
import Testing

@Suite("CA database (OpenSSL index.txt format)")
struct CertificateAuthorityDatabaseTests {
    @Test("Records, revokes, reports status; refuses duplicates, double revocation and unknown serials")
    func lifecycle() throws {
        let pki = try TestPKI()
        let dir = try TemporaryDirectory()
        let database = try CertificateAuthorityDatabase(indexPath: dir.file("index.txt").path)
        let (a, _) = try pki.issueSigner()
        let (b, _) = try pki.issueSigner()
        try database.recordIssued(a)
        try database.recordIssued(b)
        #expect(throws: CertificateAuthorityDatabaseError.duplicateSerial(a.serialNumberHex)) { try database.recordIssued(a) }
        #expect(try database.status(ofSerialNumber: a.serialNumber) == .good)
        #expect(try database.status(ofSerialNumber: [0x42]) == .unknown)
        let when = pki.now.addingTimeInterval(-10).roundedDown
        let compromised = pki.now.addingTimeInterval(-86_400).roundedDown
        try database.revoke(serialNumber: b.serialNumber, at: when, reason: .keyCompromise, invalidityDate: compromised)
        let expected = RevokedCertificate(serialNumber: b.serialNumber, revocationDate: when, reason: .keyCompromise, invalidityDate: compromised)
        #expect(try database.status(ofSerialNumber: b.serialNumber) == .revoked(expected))
        #expect(try database.revokedCertificates() == [expected])
        #expect(throws: CertificateAuthorityDatabaseError.alreadyRevoked(b.serialNumberHex)) {
            try database.revoke(serialNumber: b.serialNumber, reason: nil)
        }
        #expect(throws: CertificateAuthorityDatabaseError.unknownSerial("42")) { try database.revoke(serialNumber: [0x42], reason: nil) }
        // A second instance over the same files sees the same state.
        let again = try CertificateAuthorityDatabase(indexPath: database.indexPath)
        #expect(try again.entries().count == 2)
        #expect(try again.entries().first?.subject.contains("/CN=") == true)

        // CRLs from the database carry the revocation and increasing numbers.
        let first = try database.issueCRL(with: pki.issuing, thisUpdate: pki.now)
        let second = try again.issueCRL(with: pki.issuing, thisUpdate: pki.now)
        #expect(first.crlNumberValue == 1 && second.crlNumberValue == 2)
        #expect(first.entry(for: b) == expected)
        #expect(first.entry(for: a) == nil)
    }

    @Test("openssl ca -gencrl reads the index Signet writes, reasons and invalidity dates included")
    func opensslReadsIndex() throws {
        let pki = try TestPKI()
        let dir = try TemporaryDirectory()
        let database = try CertificateAuthorityDatabase(indexPath: dir.file("index.txt").path)
        var revoked: [(Certificate, RevocationReason?)] = []
        for reason in [RevocationReason.keyCompromise, .cACompromise, .superseded, .certificateHold, nil] {
            let (cert, _) = try pki.issueSigner()
            try database.recordIssued(cert)
            try database.revoke(serialNumber: cert.serialNumber, at: pki.now.addingTimeInterval(-60), reason: reason,
                                invalidityDate: reason == .keyCompromise ? pki.now.addingTimeInterval(-3600) : nil)
            revoked.append((cert, reason))
        }
        let keyPath = dir.file("ca.key").path
        try pki.issuing.privateKey.write(toFile: keyPath)
        let config = """
        [ ca ]
        default_ca = test
        [ test ]
        database = \(database.indexPath)
        crlnumber = \(database.crlNumberPath)
        default_md = sha256
        default_crl_days = 1
        """
        let out = dir.file("crl.pem").path
        try openssl(["ca", "-config", try write(config, "ca.cnf", in: dir), "-gencrl", "-keyfile", keyPath,
                     "-cert", try write(pki.issuing.certificate.pem, "ca.pem", in: dir), "-out", out])
        let crl = try CertificateRevocationList(contentsOfFile: out)
        for (cert, reason) in revoked {
            let entry = try #require(crl.entry(for: cert))
            #expect(entry.reason == reason)
            #expect(entry.revocationDate == pki.now.addingTimeInterval(-60).roundedDown)
            if reason == .keyCompromise {
                #expect(entry.invalidityDate == pki.now.addingTimeInterval(-3600).roundedDown)
            }
        }
        #expect(crl.entries.count == revoked.count)
    }
}
