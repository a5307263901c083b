import Foundation
import SignetCrypto
import SignetCryptoTestSupport
import SignetPKI
import SignetTestSupport
import Testing

@Suite("Certificate revocation lists")
struct CRLTests {
    @Test("openssl crl reads a Signet CRL: issuer, number, AKI, dates, entries with reasons")
    func opensslReadsCRL() throws {
        let pki = try TestPKI()
        let (revoked, _) = try pki.issueSigner()
        let (held, _) = try pki.issueSigner()
        let revokedAt = pki.now.addingTimeInterval(-600).roundedDown
        let compromisedAt = pki.now.addingTimeInterval(-7200).roundedDown
        let crl = try pki.issuing.issueCRL(
            revoked: [
                RevokedCertificate(serialNumber: revoked.serialNumber, revocationDate: revokedAt, reason: .keyCompromise,
                                   invalidityDate: compromisedAt),
                RevokedCertificate(serialNumber: held.serialNumber, revocationDate: revokedAt, reason: .certificateHold),
                RevokedCertificate(serialNumber: [0x01, 0x23], revocationDate: revokedAt),
            ],
            number: 42, thisUpdate: pki.now, nextUpdate: pki.now.addingTimeInterval(7 * 86_400))
        let dir = try TemporaryDirectory()
        let path = try write(crl.pem, "issuing.crl.pem", in: dir)
        let text = try openssl(["crl", "-in", path, "-noout", "-text"])
        for needle in [
            "Version 2 (0x1)",
            "Signature Algorithm: ecdsa-with-SHA256",
            "Issuer: C = CN, O = Signet Test, CN = Signet Test Issuing CA",
            "X509v3 CRL Number: \n                42",
            "X509v3 Authority Key Identifier",
            "Serial Number: \(revoked.serialNumberHex)",
            "X509v3 CRL Reason Code: \n                Key Compromise",
            "Invalidity Date: \n                \(opensslDate(compromisedAt))",
            "Serial Number: \(held.serialNumberHex)",
            "Certificate Hold",
            "Serial Number: 0123",
        ] {
            #expect(text.contains(needle), "missing \(needle) in\n\(text)")
        }
        let issuingPath = try write(pki.issuing.certificate.pem, "issuing.pem", in: dir)
        let verified = try openssl(["crl", "-in", path, "-noout", "-CAfile", issuingPath])
        #expect(verified.contains("verify OK"), "\(verified)")
        // DER round trip through openssl.
        let derPath = dir.file("issuing.crl").path
        try openssl(["crl", "-in", path, "-outform", "DER", "-out", derPath])
        let fromDER = try CertificateRevocationList(contentsOfFile: derPath)
        #expect(fromDER == crl)
    }

    @Test("Signet parses its CRL back: entries, lookups, signature, freshness")
    func parseBack() throws {
        let pki = try TestPKI()
        let (revoked, _) = try pki.issueSigner()
        let (good, _) = try pki.issueSigner()
        let revokedAt = pki.now.addingTimeInterval(-60).roundedDown
        let crl = try pki.issuing.issueCRL(
            revoked: [RevokedCertificate(serialNumber: revoked.serialNumber, revocationDate: revokedAt, reason: .superseded)],
            number: 7, thisUpdate: pki.now, nextUpdate: pki.now.addingTimeInterval(86_400))
        let parsed = try CertificateRevocationList(pem: crl.pem)
        #expect(parsed.der == crl.der)
        #expect(parsed.issuer == pki.issuing.certificate.subject)
        #expect(parsed.crlNumberValue == 7)
        #expect(parsed.thisUpdate == pki.now.roundedDown)
        #expect(parsed.nextUpdate == pki.now.addingTimeInterval(86_400).roundedDown)
        #expect(parsed.authorityKeyIdentifier == pki.issuing.certificate.subjectKeyIdentifier)
        #expect(parsed.entries.count == 1)
        #expect(parsed.entry(for: revoked) == RevokedCertificate(serialNumber: revoked.serialNumber, revocationDate: revokedAt, reason: .superseded))
        #expect(parsed.entry(forSerialNumber: [0] + revoked.serialNumber)?.reason == .superseded)
        #expect(parsed.entry(for: good) == nil)
        #expect(parsed.entry(for: pki.issuing.certificate) == nil)  // issued by the root, not this CRL's issuer
        #expect(parsed.isIssued(by: pki.issuing.certificate))
        #expect(!parsed.isIssued(by: pki.root.certificate))
        #expect(parsed.isCurrent(at: pki.now.addingTimeInterval(60)))
        #expect(!parsed.isCurrent(at: pki.now.addingTimeInterval(2 * 86_400)))
        #expect(parsed.unhandledCriticalExtensions.isEmpty && !parsed.isDelta && parsed.issuingDistributionPoint == nil)

        var tampered = crl.der
        tampered[tampered.count - 5] ^= 0x01
        let broken = try CertificateRevocationList(der: tampered)
        #expect(!broken.isIssued(by: pki.issuing.certificate))
        #expect(throws: (any Error).self) { try CertificateRevocationList(der: Array(crl.der.dropLast())) }
        #expect(throws: CRLError.noCRL("PEM input")) { try CertificateRevocationList(pem: pki.root.certificate.pem) }
        #expect(throws: CRLError.invalidUpdateTimes) {
            try pki.issuing.issueCRL(revoked: [], number: 1, thisUpdate: pki.now, nextUpdate: pki.now)
        }
    }

    @Test("Entries are read when looked up: the same as the full list, the first of a repeated serial, any serial form")
    func entriesOnDemand() throws {
        let pki = try TestPKI()
        let at = pki.now.addingTimeInterval(-3600).roundedDown
        var listed: [RevokedCertificate] = []
        for number in 1...300 {
            let serial: [UInt8] = [0x20, UInt8(number >> 8), UInt8(number & 0xFF)]
            let reason: RevocationReason? = number % 2 == 0 ? .keyCompromise : nil
            listed.append(RevokedCertificate(serialNumber: serial, revocationDate: at.addingTimeInterval(Double(number)), reason: reason))
        }
        listed += [
            RevokedCertificate(serialNumber: [0x80, 0x01], revocationDate: at, reason: .affiliationChanged),  // DER adds a 0x00
            RevokedCertificate(serialNumber: [0x20, 0x00, 0x07], revocationDate: at, reason: .superseded),  // repeats #7
        ]
        let crl = try CertificateRevocationList(der: pki.issuing.issueCRL(
            revoked: listed, number: 3, thisUpdate: pki.now, nextUpdate: pki.now.addingTimeInterval(86_400)).der)
        // Signing sorts the entries by serial; `entries` keeps the order of the DER.
        let entries = crl.entries
        #expect(entries.count == listed.count)
        #expect(entries.map(\.serialNumber).sorted { $0.lexicographicallyPrecedes($1) }
            == listed.map(\.serialNumber).sorted { $0.lexicographicallyPrecedes($1) })
        for entry in entries {
            #expect(crl.entry(forSerialNumber: entry.serialNumber) == entries.first { $0.serialNumber == entry.serialNumber })
        }
        let repeated = entries.filter { $0.serialNumber == [0x20, 0x00, 0x07] }
        #expect(repeated.count == 2 && crl.entry(forSerialNumber: [0x20, 0x00, 0x07]) == repeated[0])
        #expect(crl.entry(forSerialNumber: [0x00, 0x80, 0x01])?.reason == .affiliationChanged)
        #expect(crl.entry(forSerialNumber: [0x80, 0x01])?.reason == .affiliationChanged)
        #expect(crl.entry(forSerialNumber: [0x00]) == nil)
        #expect(crl.entry(forSerialNumber: [0x20, 0x01, 0x2D]) == nil)

        // A revocation date that is no calendar time (month 13) makes the whole CRL unreadable.
        let single = try pki.issuing.issueCRL(
            revoked: [RevokedCertificate(serialNumber: [0x05], revocationDate: Date(timeIntervalSince1970: 1_706_933_106))],  // 2024-02-03 04:05:06Z
            number: 4, thisUpdate: pki.now, nextUpdate: pki.now.addingTimeInterval(86_400))
        let time = Array("240203040506Z".utf8)
        let start = try #require(single.der.indices.first { single.der[$0...].starts(with: time) })
        var bad = single.der
        bad[start + 2] = UInt8(ascii: "1")
        bad[start + 3] = UInt8(ascii: "3")
        #expect(throws: (any Error).self) { try CertificateRevocationList(der: bad) }
    }

    @Test("openssl verify -crl_check rejects a revoked certificate and accepts a good one")
    func opensslCRLCheck() throws {
        let pki = try TestPKI()
        let (revoked, _) = try pki.issueSigner()
        let (good, _) = try pki.issueSigner()
        let crl = try pki.issuing.issueCRL(
            revoked: [RevokedCertificate(serialNumber: revoked.serialNumber, revocationDate: pki.now.addingTimeInterval(-60), reason: .keyCompromise)],
            number: 1, thisUpdate: pki.now.addingTimeInterval(-60), nextUpdate: pki.now.addingTimeInterval(86_400))
        let dir = try TemporaryDirectory()
        let root = try write(pki.root.certificate.pem, "root.pem", in: dir)
        let issuing = try write(pki.issuing.certificate.pem, "issuing.pem", in: dir)
        let crlPath = try write(crl.pem, "crl.pem", in: dir)
        let revokedPath = try write(revoked.pem, "revoked.pem", in: dir)
        let goodPath = try write(good.pem, "good.pem", in: dir)
        let rejected = try openssl(["verify", "-crl_check", "-CAfile", root, "-untrusted", issuing, "-CRLfile", crlPath, revokedPath],
                                   expectedStatus: 2)
        #expect(rejected.contains("certificate revoked"), "\(rejected)")
        let accepted = try openssl(["verify", "-crl_check", "-CAfile", root, "-untrusted", issuing, "-CRLfile", crlPath, goodPath])
        #expect(accepted.contains("\(goodPath): OK"), "\(accepted)")
    }

    @Test("A CRL made by openssl ca parses in Signet")
    func parsesOpenSSLCRL() throws {
        let pki = try TestPKI()
        let dir = try TemporaryDirectory()
        let (revoked, _) = try pki.issueSigner()
        let keyPath = dir.file("ca.key").path
        try pki.issuing.privateKey.write(toFile: keyPath)
        let certPath = try write(pki.issuing.certificate.pem, "ca.pem", in: dir)
        let expiry = "301231235959Z"
        let index = "R\t\(expiry)\t250101000000Z,cessationOfOperation\t\(revoked.serialNumberHex)\tunknown\t/CN=x\n"
        let indexPath = try write(index, "index.txt", in: dir)
        let config = """
        [ ca ]
        default_ca = test
        [ test ]
        database = \(indexPath)
        crlnumber = \(try write("1000\n", "crlnumber", in: dir))
        default_md = sha256
        default_crl_days = 3
        crl_extensions = crl_ext
        [ crl_ext ]
        authorityKeyIdentifier = keyid:always
        """
        let configPath = try write(config, "ca.cnf", in: dir)
        let out = dir.file("openssl.crl").path
        try openssl(["ca", "-config", configPath, "-gencrl", "-keyfile", keyPath, "-cert", certPath, "-out", out])
        let crl = try CertificateRevocationList(contentsOfFile: out)
        #expect(crl.crlNumberValue == 0x1000)
        #expect(crl.isIssued(by: pki.issuing.certificate))
        let entry = try #require(crl.entry(for: revoked))
        #expect(entry.reason == .cessationOfOperation)
        #expect(entry.revocationDate == ISO8601DateFormatter().date(from: "2025-01-01T00:00:00Z"))
    }
}
