import Foundation
import SignetCrypto
import SignetCryptoTestSupport
import SignetPKI
import SignetTestSupport
import Testing

/// A PKI with a CA database and a delegated OCSP responder; one good, one revoked and
/// one unrecorded end-entity certificate.
private struct OCSPFixture {
    let pki: TestPKI
    let dir: TemporaryDirectory
    let database: CertificateAuthorityDatabase
    let responderCert: Certificate
    let responderKey: PrivateKey
    let good: Certificate
    let revoked: Certificate
    let stranger: Certificate
    let revokedAt: Date

    init() throws {
        pki = try TestPKI()
        dir = try TemporaryDirectory()
        database = try CertificateAuthorityDatabase(indexPath: dir.file("index.txt").path)
        (responderCert, responderKey) = try pki.issueOCSPResponder()
        (good, _) = try pki.issueSigner()
        (revoked, _) = try pki.issueSigner(commonName: "Revoked Signer")
        (stranger, _) = try pki.issueSigner(commonName: "Not In The Database")
        try database.recordIssued(good)
        try database.recordIssued(revoked)
        revokedAt = pki.now.addingTimeInterval(-1800).roundedDown
        try database.revoke(serialNumber: revoked.serialNumber, at: revokedAt, reason: .keyCompromise)
    }

    func responder(signedByCA: Bool = false) throws -> OCSPResponder {
        signedByCA
            ? try OCSPResponder(issuer: pki.issuing.certificate, signerCertificate: pki.issuing.certificate,
                                signerKey: pki.issuing.privateKey, statusProvider: database)
            : try OCSPResponder(issuer: pki.issuing.certificate, signerCertificate: responderCert,
                                signerKey: responderKey, statusProvider: database)
    }

    func path(_ name: String, _ text: String) throws -> String { try write(text, name, in: dir) }
    func path(_ name: String, _ bytes: [UInt8]) throws -> String { try write(bytes, name, in: dir) }
}

@Suite("OCSP: requests, responder, responses")
struct OCSPTests {
    @Test("openssl ocsp accepts the delegated responder's good, revoked and unknown answers, with the nonce", arguments: [false, true])
    func opensslAcceptsResponder(byKeyHash: Bool) async throws {
        let f = try OCSPFixture()
        var responder = try f.responder()
        responder.responderIDByKeyHash = byKeyHash
        let issuing = try f.path("issuing.pem", f.pki.issuing.certificate.pem)
        let chain = try f.path("chain.pem", f.pki.root.certificate.pem + f.pki.issuing.certificate.pem)
        let cases: [(Certificate, String)] = [(f.good, "good"), (f.revoked, "revoked"), (f.stranger, "unknown")]
        for (index, (cert, expected)) in cases.enumerated() {
            let request = try OCSPRequest(certificates: [(cert, f.pki.issuing.certificate)])
            let response = await responder.respond(to: request.der, at: f.pki.now)
            let reqPath = try f.path("req\(index).der", request.der)
            let respPath = try f.path("resp\(index).der", response)
            let certPath = try f.path("cert\(index).pem", cert.pem)
            let attime = String(Int(f.pki.now.timeIntervalSince1970))
            // Signature, responder authorization (its certificate comes from the response and
            // must chain to the CA file) and nonce against the request. openssl builds its own
            // request from -cert, so the statuses are read in a second run.
            let verified = try openssl(["ocsp", "-reqin", reqPath, "-respin", respPath, "-CAfile", chain, "-attime", attime])
            #expect(verified.contains("Response verify OK") && !verified.contains("Nonce"), "\(verified)")
            let output = try openssl(["ocsp", "-respin", respPath, "-issuer", issuing, "-cert", certPath,
                                      "-CAfile", chain, "-no_nonce", "-attime", attime])
            #expect(output.contains("Response verify OK"), "\(output)")
            #expect(output.contains("\(certPath): \(expected)"), "\(output)")
            if expected == "revoked" {
                #expect(output.contains("Reason: keyCompromise"), "\(output)")
                #expect(output.contains("Revocation Time: \(opensslDate(f.revokedAt))"), "\(output)")
            }
            #expect(!output.contains("WARNING"), "\(output)")
            // Trusting the responder certificate directly (-VAfile) also works.
            let responderPath = try f.path("responder.pem", f.responderCert.pem)
            let direct = try openssl(["ocsp", "-respin", respPath, "-issuer", issuing, "-cert", certPath, "-VAfile", responderPath,
                                      "-no_nonce", "-attime", attime])
            #expect(direct.contains("Response verify OK") && direct.contains(": \(expected)"), "\(direct)")
        }
        // A response for another request's nonce is rejected by openssl.
        let first = try OCSPRequest(certificates: [(f.good, f.pki.issuing.certificate)])
        let other = try OCSPRequest(certificates: [(f.good, f.pki.issuing.certificate)])
        let mismatched = try openssl(["ocsp", "-reqin", try f.path("first.der", first.der),
                                      "-respin", try f.path("other.der", await responder.respond(to: other.der, at: f.pki.now)),
                                      "-CAfile", chain, "-attime", String(Int(f.pki.now.timeIntervalSince1970))],
                                   expectedStatus: nil)
        #expect(mismatched.contains("Nonce Verify error"), "\(mismatched)")
    }

    @Test("Signet parses and verifies its own responses: statuses, times, nonce, delegated signer")
    func parsesOwnResponses() async throws {
        let f = try OCSPFixture()
        let request = try OCSPRequest(certificates: [(f.good, f.pki.issuing.certificate), (f.revoked, f.pki.issuing.certificate),
                                                     (f.stranger, f.pki.issuing.certificate)], hashAlgorithm: .sha256)
        #expect(request.certIDs.count == 3 && request.certIDs[0].hashAlgorithm == .sha256)
        #expect(request.nonce?.count == 16)
        let response = try OCSPResponse(der: try await f.responder().respond(to: request.der, at: f.pki.now))
        #expect(response.status == .successful)
        #expect(response.producedAt == f.pki.now.roundedDown)
        #expect(response.responderID == .byName(f.responderCert.subject))
        #expect(response.nonce == request.nonce)
        #expect(response.certificates == [f.responderCert])
        #expect(try response.verifySigner(issuer: f.pki.issuing.certificate) == .delegated(responder: f.responderCert))

        let good = try #require(response.singleResponse(for: f.good, issuer: f.pki.issuing.certificate))
        #expect(good.status == .good)
        #expect(good.thisUpdate == f.pki.now.roundedDown)
        #expect(good.nextUpdate == f.pki.now.addingTimeInterval(86_400).roundedDown)
        #expect(response.singleResponse(for: f.revoked, issuer: f.pki.issuing.certificate)?.status
                == .revoked(time: f.revokedAt, reason: .keyCompromise))
        #expect(response.singleResponse(for: f.stranger, issuer: f.pki.issuing.certificate)?.status == .unknown)
        // The CertID names the issuing CA, so the pair (good, root) finds nothing.
        #expect(response.singleResponse(for: f.good, issuer: f.pki.root.certificate) == nil)

        // Signed by the CA itself.
        let caSigned = try OCSPResponse(der: try await f.responder(signedByCA: true).respond(to: request.der, at: f.pki.now))
        #expect(try caSigned.verifySigner(issuer: f.pki.issuing.certificate) == .issuer(f.pki.issuing.certificate))
    }

    @Test("Signet parses responses made by openssl ocsp -index -rsigner")
    func parsesOpenSSLResponder() throws {
        let f = try OCSPFixture()
        let keyPath = f.dir.file("responder.key").path
        try f.responderKey.write(toFile: keyPath)
        let request = try OCSPRequest(certificates: [(f.good, f.pki.issuing.certificate), (f.revoked, f.pki.issuing.certificate),
                                                     (f.stranger, f.pki.issuing.certificate)])
        let respPath = f.dir.file("openssl-resp.der").path
        try openssl(["ocsp", "-index", f.database.indexPath, "-CA", try f.path("issuing.pem", f.pki.issuing.certificate.pem),
                     "-rsigner", try f.path("responder.pem", f.responderCert.pem), "-rkey", keyPath,
                     "-reqin", try f.path("req.der", request.der), "-respout", respPath, "-ndays", "1"])
        let response = try OCSPResponse(der: [UInt8](try Data(contentsOf: URL(fileURLWithPath: respPath))))
        #expect(response.status == .successful)
        #expect(response.nonce == request.nonce)
        #expect(try response.verifySigner(issuer: f.pki.issuing.certificate) == .delegated(responder: f.responderCert))
        let issuer = f.pki.issuing.certificate
        #expect(response.singleResponse(for: f.good, issuer: issuer)?.status == .good)
        #expect(response.singleResponse(for: f.revoked, issuer: issuer)?.status == .revoked(time: f.revokedAt, reason: .keyCompromise))
        #expect(response.singleResponse(for: f.stranger, issuer: issuer)?.status == .unknown)
        #expect(response.singleResponse(for: f.good, issuer: issuer)?.nextUpdate != nil)
    }

    @Test("Unauthorized signers, tampering and unknown responders are refused with typed errors")
    func refusals() async throws {
        let f = try OCSPFixture()
        let issuer = f.pki.issuing.certificate
        let request = try OCSPRequest(certificates: [(f.good, issuer)])
        let issuingPath = try f.path("issuing.pem", issuer.pem)
        let reqPath = try f.path("req.der", request.der)

        // A certificate without OCSPSigning (a plain signer) answering via openssl.
        let (impostor, impostorKey) = try f.pki.issueSigner(commonName: "Impostor")
        let impostorKeyPath = f.dir.file("impostor.key").path
        try impostorKey.write(toFile: impostorKeyPath)
        let out = f.dir.file("impostor.der").path
        try openssl(["ocsp", "-index", f.database.indexPath, "-CA", issuingPath, "-rsigner", try f.path("impostor.pem", impostor.pem),
                     "-rkey", impostorKeyPath, "-reqin", reqPath, "-respout", out, "-ndays", "1"])
        let impostorResponse = try OCSPResponse(der: [UInt8](try Data(contentsOf: URL(fileURLWithPath: out))))
        #expect(impostorResponse.isSignatureValid(signer: impostor))
        #expect(throws: OCSPError.unauthorizedResponder(responder: impostor.subject.displayString,
                                                        reason: "its certificate lacks the OCSPSigning extended key usage")) {
            try impostorResponse.verifySigner(issuer: issuer)
        }
        // Signet's responder refuses such a signer up front.
        #expect(throws: OCSPError.self) {
            try OCSPResponder(issuer: issuer, signerCertificate: impostor, signerKey: impostorKey, statusProvider: f.database)
        }
        // A responder certificate from another CA (the root) is not authorized for the issuing CA.
        let rootResponderKey = try PrivateKey.generate(.p256)
        let rootResponder = try f.pki.root.issue(CertificateBuilder.ocspResponder(
            subject: try DistinguishedName([(.commonName, "Root OCSP")]), publicKey: try rootResponderKey.publicKey,
            notBefore: f.pki.now.addingTimeInterval(-60), notAfter: f.pki.now.addingTimeInterval(86_400)))
        #expect(throws: OCSPError.self) {
            try OCSPResponder(issuer: issuer, signerCertificate: rootResponder, signerKey: rootResponderKey, statusProvider: f.database)
        }

        // A flipped byte in the signed data (inside the echoed nonce).
        var der = try await f.responder().respond(to: request.der, at: f.pki.now)
        let nonce = try #require(request.nonce)
        let at = try #require((0...(der.count - nonce.count)).first { Array(der[$0..<$0 + nonce.count]) == nonce })
        der[at] ^= 0x40
        #expect(throws: OCSPError.badSignature(responder: f.responderCert.subject.displayString)) {
            try OCSPResponse(der: der).verifySigner(issuer: issuer)
        }
        // Responder certificate missing: signed by the CA key but with the certificate stripped is
        // still found (the issuer is a candidate); a delegated response without its certificate is not.
        let unrelated = try TestPKI()
        let unrelatedAnswer = try OCSPResponse(der: await f.responder().respond(to: request.der))
        #expect(throws: OCSPError.self) {
            try unrelatedAnswer.verifySigner(issuer: unrelated.issuing.certificate)
        }
    }

    @Test("The responder answers bad requests with OCSP error statuses")
    func errorStatuses() async throws {
        let f = try OCSPFixture()
        let responder = try f.responder()
        #expect(try OCSPResponse(der: await responder.respond(to: [0x30, 0x03, 0x02, 0x01, 0x00])).status == .malformedRequest)
        #expect(try OCSPResponse(der: await responder.respond(to: [])).status == .malformedRequest)
        // Only certificates of another CA: unauthorized.
        let other = try TestPKI()
        let (foreign, _) = try other.issueSigner()
        let foreignOnly = try OCSPRequest(certificates: [(foreign, other.issuing.certificate)])
        #expect(try OCSPResponse(der: await responder.respond(to: foreignOnly.der)).status == .unauthorized)
        // Mixed: ours answered, the foreign one unknown.
        let mixed = try OCSPRequest(certificates: [(f.good, f.pki.issuing.certificate), (foreign, other.issuing.certificate)])
        let response = try OCSPResponse(der: await responder.respond(to: mixed.der))
        #expect(response.singleResponse(for: f.good, issuer: f.pki.issuing.certificate)?.status == .good)
        #expect(response.singleResponse(for: foreign, issuer: other.issuing.certificate)?.status == .unknown)
        // A failing status source: tryLater.
        let failing = try OCSPResponder(issuer: f.pki.issuing.certificate, signerCertificate: f.responderCert,
                                        signerKey: f.responderKey, statusProvider: FailingStatusProvider())
        let plain = try OCSPRequest(certificates: [(f.good, f.pki.issuing.certificate)], nonce: nil)
        #expect(try OCSPResponse(der: await failing.respond(to: plain.der)).status == .tryLater)
        // Without a nonce in the request there is none in the response.
        #expect(try OCSPResponse(der: await responder.respond(to: plain.der)).nonce == nil)
        // openssl agrees on the error status encoding.
        let text = try openssl(["ocsp", "-respin", try f.path("unauth.der", await responder.respond(to: foreignOnly.der)), "-resp_text", "-noverify"],
                               expectedStatus: nil)
        #expect(text.contains("unauthorized (6)"), "\(text)")
    }
}

private struct FailingStatusProvider: CertificateStatusProvider {
    struct Down: Error {}
    func status(ofSerialNumber serialNumber: [UInt8]) throws -> CertificateStatus { throw Down() }
    func revokedCertificates() throws -> [RevokedCertificate] { throw Down() }
}
