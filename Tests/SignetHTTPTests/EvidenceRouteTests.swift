import Foundation
import NIOHTTP1
import SignetCrypto
import SignetService
import SignetTemplates
import SignetTestSupport
import Testing

extension LiveService {
    /// `GET /v1/contracts/{id}/evidence.pdf` on a real server, every response checked against
    /// /openapi.json.
    @Suite("Evidence report route (live)")
    struct EvidenceRouteTests {
        @Test("409 contract_not_completed before completion; then the stored, sealed report as an attachment; 404 for an unknown contract")
        func evidence() async throws {
            let api = try await APIHarness.start()
            defer { Task { try? await api.stop() } }
            let (_, contract) = try await api.merchantAndContract()
            let contractID = try #require(contract["id"] as? String)

            let early = try await api.call(.GET, "/v1/contracts/\(contractID)/evidence.pdf")
            #expect(early.status == 409 && early.code == "contract_not_completed")

            let completed = try await api.service.sign(contractID: contractID, role: .merchant, evidence: SigningEvidence(
                origin: RequestOrigin(actor: "signer:merchant", ip: "127.0.0.1", userAgent: "EvidenceRouteTests"), authentication: "service"))
            #expect(completed.state == .completed)
            #expect(await api.service.sealPendingEvidenceReports() == 1)

            let shown = try await api.call(.GET, "/v1/contracts/\(contractID)")
            let evidence = try #require((shown.json["documents"] as? [String: Any])?["evidence"] as? [String: Any])
            let download = try await api.call(.GET, "/v1/contracts/\(contractID)/evidence.pdf")
            #expect(download.status == 200 && download.header("Content-Type") == "application/pdf")
            #expect(download.header("Content-Disposition") == "attachment; filename=\"\(completed.number)-evidence.pdf\"")
            let stored = try #require(try await api.service.contract(id: contractID).evidence)
            #expect(DigestAlgorithm.sha256.hash(download.body).hexString == stored.sha256)
            #expect(evidence["sha256"] as? String == stored.sha256 && evidence["size"] as? Int == download.body.count)
            #expect(evidence["url"] as? String == "/v1/contracts/\(contractID)/evidence.pdf")
            #expect(try await api.call(.GET, "/v1/contracts/\(contractID)/evidence.pdf").body == download.body)

            let unknown = try await api.call(.GET, "/v1/contracts/ctr_aaaaaaaaaaaaaaaaaaaaaaaaaa/evidence.pdf")
            #expect(unknown.status == 404 && unknown.code == "contract_not_found")
            try api.conformance.check()
        }
    }
}
