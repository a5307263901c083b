import Foundation
import SignetCrypto
import SignetCryptoTestSupport
import SignetPKI
import SignetTestSupport
import Testing

@Suite("Revocation checking from supplied CRLs and OCSP responses")
struct RevocationCheckerTests {
    private func path(_ pki: TestPKI, _ leaf: Certificate, at time: Date? = nil) throws -> CertificatePath {
        try PathValidator(anchors: [pki.root.certificate], intermediates: [pki.issuing.certificate])
            .validate(leaf, policy: .signing(at: time.map { .at($0) } ?? .notChecked))
    }

    @Test("CRLs decide each certificate but the anchor: revoked leaf with date and reason, good issuing CA")
    func crls() throws {
        let pki = try TestPKI()
        let (signer, _) = try pki.issueSigner()
        let revokedAt = pki.now.addingTimeInterval(-120).roundedDown
        let issuingCRL = try pki.issuing.issueCRL(
            revoked: [RevokedCertificate(serialNumber: signer.serialNumber, revocationDate: revokedAt, reason: .keyCompromise)],
            number: 3, thisUpdate: pki.now.addingTimeInterval(-60), nextUpdate: pki.now.addingTimeInterval(86_400))
        let rootCRL = try pki.root.issueCRL(revoked: [], number: 1, thisUpdate: pki.now.addingTimeInterval(-60),
                                           nextUpdate: pki.now.addingTimeInterval(30 * 86_400))
        // DER input, as it comes out of a DSS.
        let checker = RevocationChecker(crlDER: [issuingCRL.der, rootCRL.der], ocspDER: [])
        let results = checker.check(try path(pki, signer))
        #expect(results.count == 2)
        #expect(results[0].certificate == signer && results[0].issuer == pki.issuing.certificate)
        guard case .revoked(let entry, let evidence) = results[0].status else {
            Issue.record("expected revoked, got \(results[0].status)")
            return
        }
        #expect(entry.revocationDate == revokedAt && entry.reason == .keyCompromise)
        #expect(evidence.der == issuingCRL.der && evidence.thisUpdate == issuingCRL.thisUpdate)
        #expect(evidence.isFresh(at: pki.now) && !evidence.isFresh(at: pki.now.addingTimeInterval(2 * 86_400)))
        #expect(results[0].hasRevocationPointers)
        guard case .good(let rootEvidence) = results[1].status else {
            Issue.record("expected good, got \(results[1].status)")
            return
        }
        #expect(rootEvidence.der == rootCRL.der)
    }

    @Test("OCSP from a delegated responder decides; its producedAt and signer are reported")
    func ocsp() async throws {
        let pki = try TestPKI()
        let dir = try TemporaryDirectory()
        let database = try CertificateAuthorityDatabase(indexPath: dir.file("index.txt").path)
        let (signer, _) = try pki.issueSigner()
        try database.recordIssued(signer)
        let (responderCert, responderKey) = try pki.issueOCSPResponder()
        let responder = try OCSPResponder(issuer: pki.issuing.certificate, signerCertificate: responderCert,
                                          signerKey: responderKey, statusProvider: database)
        let request = try OCSPRequest(certificates: [(signer, pki.issuing.certificate)])
        let response = try OCSPResponse(der: await responder.respond(to: request.der, at: pki.now))
        let result = RevocationChecker(crls: [], ocspResponses: [response]).check(signer, issuer: pki.issuing.certificate)
        guard case .good(let evidence) = result.status else {
            Issue.record("expected good, got \(result.status) \(result.notes)")
            return
        }
        #expect(evidence.producedAt == pki.now.roundedDown)
        #expect(evidence.source == .ocsp(response, signer: .delegated(responder: responderCert)))

        // Revoked later: a newer response says revoked.
        try database.revoke(serialNumber: signer.serialNumber, at: pki.now.addingTimeInterval(10), reason: .affiliationChanged)
        let later = try OCSPResponse(der: await responder.respond(to: request.der, at: pki.now.addingTimeInterval(20)))
        let both = RevocationChecker(crls: [], ocspResponses: [response, later]).check(signer, issuer: pki.issuing.certificate)
        guard case .revoked(let entry, _) = both.status else {
            Issue.record("expected revoked, got \(both.status)")
            return
        }
        #expect(entry.reason == .affiliationChanged && entry.revocationDate == pki.now.addingTimeInterval(10).roundedDown)

        // The responder's own certificate in a path is exempt (nocheck), not unknown.
        let responderPath = try PathValidator(anchors: [pki.root.certificate], intermediates: [pki.issuing.certificate])
            .validate(responderCert, policy: .ocspSigning(at: .at(pki.now)))
        let responderResult = RevocationChecker(crls: [], ocspResponses: []).check(responderPath)[0]
        #expect(responderResult.status == .exempt(reason: "a delegated OCSP responder with id-pkix-ocsp-nocheck"))
        #expect(!responderResult.hasRevocationPointers)
    }

    @Test("Unusable material leaves the status unknown, with the reasons")
    func unusable() async throws {
        let pki = try TestPKI()
        let (signer, _) = try pki.issueSigner()
        // Nothing supplied.
        let nothing = RevocationChecker(crls: [], ocspResponses: []).check(signer, issuer: pki.issuing.certificate)
        #expect(nothing.status == .unknown)
        #expect(nothing.notes == ["no CRL or OCSP response about this certificate was supplied"])

        // A CRL under the same issuer name but signed by another key.
        let twin = try TestPKI()  // same names, other keys
        let forged = try twin.issuing.issueCRL(revoked: [], number: 1, thisUpdate: pki.now, nextUpdate: pki.now.addingTimeInterval(60))
        let forgedResult = RevocationChecker(crls: [forged], ocspResponses: []).check(signer, issuer: pki.issuing.certificate)
        #expect(forgedResult.status == .unknown)
        #expect(forgedResult.notes.contains { $0.contains("signature does not verify") }, "\(forgedResult.notes)")

        // An OCSP response signed by a certificate without OCSPSigning.
        let dir = try TemporaryDirectory()
        let database = try CertificateAuthorityDatabase(indexPath: dir.file("index.txt").path)
        try database.recordIssued(signer)
        let (impostor, impostorKey) = try pki.issueSigner(commonName: "Impostor")
        let keyPath = dir.file("impostor.key").path
        try impostorKey.write(toFile: keyPath)
        let request = try OCSPRequest(certificates: [(signer, pki.issuing.certificate)])
        let out = dir.file("resp.der").path
        try openssl(["ocsp", "-index", database.indexPath, "-CA", try write(pki.issuing.certificate.pem, "ca.pem", in: dir),
                     "-rsigner", try write(impostor.pem, "impostor.pem", in: dir), "-rkey", keyPath,
                     "-reqin", try write(request.der, "req.der", in: dir), "-respout", out])
        let impostorResponse = try OCSPResponse(der: [UInt8](try Data(contentsOf: URL(fileURLWithPath: out))))
        let impostorResult = RevocationChecker(crls: [], ocspResponses: [impostorResponse]).check(signer, issuer: pki.issuing.certificate)
        #expect(impostorResult.status == .unknown)
        #expect(impostorResult.notes.contains { $0.contains("OCSPSigning") }, "\(impostorResult.notes)")

        // A delegated responder without nocheck and without CRL coverage is not relied on.
        let plainKey = try PrivateKey.generate(.p256)
        var plainBuilder = CertificateBuilder.ocspResponder(subject: try DistinguishedName([(.commonName, "Checked responder")]),
                                                            publicKey: try plainKey.publicKey, notBefore: pki.now.addingTimeInterval(-60),
                                                            notAfter: pki.now.addingTimeInterval(86_400))
        plainBuilder.ocspNoCheck = false
        let plainResponder = try pki.issuing.issue(plainBuilder)
        let plainResponse = try await OCSPResponse(der: try OCSPResponder(issuer: pki.issuing.certificate, signerCertificate: plainResponder,
                                                                    signerKey: plainKey, statusProvider: database).respond(to: request.der) as [UInt8])
        let plainResult = RevocationChecker(crls: [], ocspResponses: [plainResponse]).check(signer, issuer: pki.issuing.certificate)
        #expect(plainResult.status == .unknown)
        #expect(plainResult.notes.contains { $0.contains("lacks id-pkix-ocsp-nocheck") }, "\(plainResult.notes)")
        // With a CRL showing the responder is not revoked, the response counts.
        let crl = try pki.issuing.issueCRL(revoked: [], number: 9, thisUpdate: pki.now.addingTimeInterval(-5), nextUpdate: pki.now.addingTimeInterval(60))
        let covered = RevocationChecker(crls: [crl], ocspResponses: [plainResponse]).check(signer, issuer: pki.issuing.certificate)
        guard case .good(let evidence) = covered.status else {
            Issue.record("expected good, got \(covered.status)")
            return
        }
        #expect(evidence.producedAt != nil)  // the newer OCSP answer is preferred over the CRL

        // Unreadable DER is reported, not fatal.
        let garbage = RevocationChecker(crlDER: [[0x30, 0x00]], ocspDER: [[0x01, 0x02]])
        #expect(garbage.unreadableInputs.count == 2)
    }

    @Test("Material issued after the certificate expired cannot prove it good; a lifted hold is good again")
    func timeRules() throws {
        let pki = try TestPKI()
        let (expired, _) = try pki.issueSigner(notBefore: pki.now.addingTimeInterval(-10 * 86_400), notAfter: pki.now.addingTimeInterval(-86_400))
        let lateCRL = try pki.issuing.issueCRL(revoked: [], number: 1, thisUpdate: pki.now, nextUpdate: pki.now.addingTimeInterval(60))
        let late = RevocationChecker(crls: [lateCRL], ocspResponses: []).check(expired, issuer: pki.issuing.certificate)
        #expect(late.status == .unknown)
        #expect(late.notes.contains { $0.contains("after it expired") })
        let timelyCRL = try pki.issuing.issueCRL(revoked: [], number: 2, thisUpdate: pki.now.addingTimeInterval(-2 * 86_400),
                                                 nextUpdate: pki.now.addingTimeInterval(-86_400 + 60))
        if case .good = RevocationChecker(crls: [timelyCRL, lateCRL], ocspResponses: []).check(expired, issuer: pki.issuing.certificate).status {
        } else {
            Issue.record("a CRL from within the validity should prove the expired certificate good")
        }

        let (held, _) = try pki.issueSigner()
        let holdCRL = try pki.issuing.issueCRL(
            revoked: [RevokedCertificate(serialNumber: held.serialNumber, revocationDate: pki.now.addingTimeInterval(-600), reason: .certificateHold)],
            number: 3, thisUpdate: pki.now.addingTimeInterval(-500), nextUpdate: pki.now.addingTimeInterval(60))
        let releasedCRL = try pki.issuing.issueCRL(revoked: [], number: 4, thisUpdate: pki.now.addingTimeInterval(-100),
                                                   nextUpdate: pki.now.addingTimeInterval(60))
        let onHold = RevocationChecker(crls: [holdCRL], ocspResponses: []).check(held, issuer: pki.issuing.certificate)
        guard case .revoked(let entry, _) = onHold.status else {
            Issue.record("expected on hold, got \(onHold.status)")
            return
        }
        #expect(entry.reason == .certificateHold)
        let released = RevocationChecker(crls: [holdCRL, releasedCRL], ocspResponses: []).check(held, issuer: pki.issuing.certificate)
        guard case .good(let evidence) = released.status else {
            Issue.record("expected good after release, got \(released.status)")
            return
        }
        #expect(evidence.der == releasedCRL.der)
    }
}

@Suite("CRL scope: issuingDistributionPoint")
struct CRLScopeTests {
    /// A CRL made by `openssl ca -gencrl` with the given issuingDistributionPoint section.
    private func opensslCRL(_ pki: TestPKI, idp: String, in dir: TemporaryDirectory) throws -> CertificateRevocationList {
        let keyPath = dir.file("ca-\(UUID().uuidString).key").path
        try pki.issuing.privateKey.write(toFile: keyPath)
        let config = """
        [ ca ]
        default_ca = test
        [ test ]
        database = \(try write("", "index-\(UUID().uuidString).txt", in: dir))
        crlnumber = \(try write("01\n", "crlnumber-\(UUID().uuidString)", in: dir))
        default_md = sha256
        default_crl_days = 1
        crl_extensions = crl_ext
        [ crl_ext ]
        authorityKeyIdentifier = keyid:always
        issuingDistributionPoint = critical, @idp
        [ idp ]
        \(idp)
        """
        let out = dir.file("crl-\(UUID().uuidString).pem").path
        try openssl(["ca", "-config", try write(config, "ca-\(UUID().uuidString).cnf", in: dir), "-gencrl", "-keyfile", keyPath,
                     "-cert", try write(pki.issuing.certificate.pem, "ca-\(UUID().uuidString).pem", in: dir), "-out", out])
        return try CertificateRevocationList(contentsOfFile: out)
    }

    @Test("A partitioned CRL counts only for certificates naming its distribution point; onlyContainsCACerts skips end entities")
    func scope() throws {
        let pki = try TestPKI()
        let dir = try TemporaryDirectory()
        let (signer, _) = try pki.issueSigner()  // names TestPKI.crlURL

        let matching = try opensslCRL(pki, idp: "fullname = URI:\(TestPKI.crlURL)", in: dir)
        #expect(matching.issuingDistributionPoint?.uris == [TestPKI.crlURL])
        #expect(matching.issuingDistributionPoint?.critical == true && matching.unhandledCriticalExtensions.isEmpty)
        if case .good = RevocationChecker(crls: [matching], ocspResponses: []).check(signer, issuer: pki.issuing.certificate).status {} else {
            Issue.record("a CRL for the certificate's own distribution point should prove it good")
        }

        let other = try opensslCRL(pki, idp: "fullname = URI:http://localhost:8080/pki/crl/partition-2.crl", in: dir)
        let otherResult = RevocationChecker(crls: [other], ocspResponses: []).check(signer, issuer: pki.issuing.certificate)
        #expect(otherResult.status == .unknown)
        #expect(otherResult.notes.contains { $0.contains("partition-2.crl") }, "\(otherResult.notes)")

        let caOnly = try opensslCRL(pki, idp: "onlyCA = TRUE", in: dir)
        #expect(caOnly.issuingDistributionPoint?.onlyContainsCACerts == true)
        let caOnlyResult = RevocationChecker(crls: [caOnly], ocspResponses: []).check(signer, issuer: pki.issuing.certificate)
        #expect(caOnlyResult.status == .unknown && caOnlyResult.notes.contains { $0.contains("scope") })

        let someReasons = try opensslCRL(pki, idp: "onlysomereasons = keyCompromise", in: dir)
        let someResult = RevocationChecker(crls: [someReasons], ocspResponses: []).check(signer, issuer: pki.issuing.certificate)
        #expect(someResult.status == .unknown && someResult.notes.contains { $0.contains("only some reasons") })
    }
}
