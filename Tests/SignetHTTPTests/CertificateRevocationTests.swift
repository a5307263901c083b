import Foundation
import NIOHTTP1
import SignetCrypto
import SignetPKI
import SignetService
import SignetTemplates
import SignetTestSupport
import Testing

extension LiveService {
    /// Revocation through one instance, seen by another on the same database at once: the
    /// issuing CA's registry is the service's database, OCSP answers and CRLs come from it.
    @Suite("Certificate revocation across instances (live)")
    struct CertificateRevocationTests {
        /// `openssl ocsp` about `serial` (hex) against `harness`'s responder, the response
        /// verified against the PKI's chain; the status word openssl prints.
        static func ocspStatus(of serial: String, at harness: APIHarness, work: TemporaryDirectory) throws -> String {
            let keys = harness.keys
            let result = try ExternalTool.run("openssl", [
                "ocsp", "-issuer", keys.path(KeyDirectory.Role.issuingCA.certificateFile), "-serial", "0x" + serial,
                "-url", harness.baseURL + "/pki/ocsp", "-CAfile", keys.path(KeyDirectory.File.chain),
                "-respout", work.file("ocsp-\(UUID().uuidString).der").path,
            ])
            #expect(result.combinedOutput.contains("Response verify OK"), "\(result.combinedOutput)")
            let line = try #require(result.output.split(separator: "\n").first { $0.hasPrefix("0x") }, "\(result.combinedOutput)")
            return String(line.split(separator: ":").last ?? "").trimmingCharacters(in: .whitespaces)
        }

        static func issuingCRL(at harness: APIHarness) async throws -> CertificateRevocationList {
            let reply = try await harness.call(.GET, "/pki/crl/issuing-ca.crl")
            #expect(reply.status == 200)
            return try CertificateRevocationList(der: reply.body)
        }

        @Test("an event certificate of a signing is good via OCSP on another instance; revoked through the API, both instances' OCSP and CRLs report it")
        func revokeAcrossInstances() async throws {
            let first = try await APIHarness.start()
            let second = try await APIHarness.start(beside: first)
            let work = try TemporaryDirectory("signet-revocation")
            defer { Task { try? await second.stop(); try? await first.stop() } }

            // A signing through the first instance records its event certificate in the database.
            let (_, contract) = try await first.merchantAndContract()
            let contractID = try #require(contract["id"] as? String)
            let signed = try await first.service.sign(contractID: contractID, role: .merchant, evidence: SigningEvidence(
                origin: RequestOrigin(actor: "signer:merchant", ip: "127.0.0.1", userAgent: "CertificateRevocationTests"),
                authentication: "service"))
            let serialHex = try #require(signed.signers.first { $0.role == .merchant }?.certificateSerial)
            let serial = try #require(CertificateRegistryKey.serialBytes(serialHex))
            let serialText = CertificateRegistryKey.serial(serial)
            #expect(try Self.ocspStatus(of: serialHex, at: second, work: work) == "good")
            // The seal, from the key directory's index, was imported at start.
            #expect(try Self.ocspStatus(of: first.keys.seal.certificate.serialNumberHex, at: second, work: work) == "good")
            let before = try await Self.issuingCRL(at: first)
            #expect(!before.entries.contains { $0.serialNumber == serial })
            #expect(try await Self.issuingCRL(at: first) == before)  // cached while nothing changes

            // Revoked through the first instance's API…
            let revoked = try await first.call(.POST, "/v1/certificates/\(serialHex)/revoke", json: ["reason": "keyCompromise"])
            #expect(revoked.status == 200, "\(revoked.json)")
            #expect(revoked.json["object"] as? String == "certificate_revocation" && revoked.json["serial"] as? String == serialText)
            #expect(revoked.json["status"] as? String == "revoked" && revoked.json["reason"] as? String == "keyCompromise")

            // …the second instance's OCSP and CRL report it at once, and so does the first's (its cached CRL is replaced).
            #expect(try Self.ocspStatus(of: serialHex, at: second, work: work) == "revoked")
            let secondCRL = try await Self.issuingCRL(at: second)
            let entry = try #require(secondCRL.entries.first { $0.serialNumber == serial })
            #expect(entry.reason == .keyCompromise)
            #expect(secondCRL.isIssued(by: first.keys.issuingAuthority.certificate))
            let firstCRL = try await Self.issuingCRL(at: first)
            #expect(firstCRL.entries.contains { $0.serialNumber == serial })
            // CRL numbers are shared: each new CRL, whichever instance issues it, has a higher one.
            let numbers = [before, secondCRL, firstCRL].compactMap(\.crlNumberValue)
            #expect(numbers.count == 3 && numbers == numbers.sorted() && Set(numbers).count == 3)

            // A second revocation (through the other instance) is refused; the first stands.
            let again = try await second.call(.POST, "/v1/certificates/\(serialHex)/revoke", json: ["reason": "superseded"])
            #expect(again.status == 409 && again.code == "certificate_already_revoked")
            #expect(try Self.ocspStatus(of: serialHex, at: first, work: work) == "revoked")

            // Unknown serials, bad serials and reasons, no key.
            let unknown = try await second.call(.POST, "/v1/certificates/7E57A11/revoke")
            #expect(unknown.status == 404 && unknown.code == "certificate_unknown")
            let badSerial = try await second.call(.POST, "/v1/certificates/not-hex/revoke", json: [String: Any]())
            #expect(badSerial.status == 422 && badSerial.code == "validation_failed")
            let badReason = try await second.call(.POST, "/v1/certificates/\(first.keys.seal.certificate.serialNumberHex)/revoke",
                                                  json: ["reason": "removeFromCRL"])
            #expect(badReason.status == 422 && badReason.code == "validation_failed")
            #expect(try Self.ocspStatus(of: first.keys.seal.certificate.serialNumberHex, at: first, work: work) == "good")
            let unknownMember = try await second.call(.POST, "/v1/certificates/7E57A11/revoke", json: ["why": "x"])
            #expect(unknownMember.status == 400 && unknownMember.code == "invalid_request")
            let anonymous = try await second.call(.POST, "/v1/certificates/\(serialHex)/revoke", auth: false)
            #expect(anonymous.status == 401)

            try first.conformance.check()
            try second.conformance.check()
        }
    }
}
