import Foundation
import NIOHTTP1
import SignetArchive
import SignetCrypto
import SignetPKI
import SignetTestSupport
import Testing

extension LiveService {
    /// The whole journey over three `signet serve` processes on one PostgreSQL database behind
    /// nginx, every request going somewhere else than the one before it.
    @Suite("Scale-out: a journey across instances (live)", .serialized)
    struct ScaleOutJourneyTests {
        @Test("API → landing → code → verify → review → sign (countersigned) → done → signed PDF (pdfsig, OCSP through nginx) → evidence → export (every instance serves the same archive; ArchiveVerifier passes), each request on the next instance or nginx",
              .timeLimit(.minutes(10)))
        func alternatingJourney() async throws {
            let cluster = try ScaleOutCluster(instances: 3)
            defer { cluster.stop() }
            let (merchantID, contract) = try await cluster.merchantAndContract(externalID: "m-scale-1")
            let contractID = try #require(contract["id"] as? String)
            let token = try APIHarness.token(of: contract)
            let signingURL = try #require((contract["signers"] as? [[String: Any]])?.first?["signing_url"] as? String)
            #expect(signingURL.hasPrefix(cluster.baseURL + "/s/"), "links name the balancer: \(signingURL)")

            // The signer's session and code live in the database: each step on another instance.
            let browser = ScaleOutBrowser()
            #expect(try await browser.get(cluster.nextURL(), "/s/\(token)").status == 200)
            let sent = try await browser.post(cluster.nextURL(), "/s/\(token)/code")
            #expect(sent.status == 303 && sent.header("Location") == "/s/\(token)/code?sent=1", "\(sent.text.prefix(300))")
            let codes = cluster.loggedCodes(contractID: contractID)
            let code = try #require(codes.first)
            #expect(codes.count == 1, "one code sent: \(codes.count)")
            let verified = try await browser.post(cluster.nextURL(), "/s/\(token)/verify", ["code": code])
            #expect(verified.status == 303 && verified.header("Location") == "/s/\(token)/review", "\(verified.text.prefix(300))")
            let review = try await browser.get(cluster.nextURL(), "/s/\(token)/review")
            #expect(review.status == 200, "\(review.text.prefix(300))")
            let csrf = try #require(review.hidden("csrf"))
            let sha = try #require(review.hidden("document_sha256"))
            let signed = try await browser.post(cluster.nextURL(), "/s/\(token)/sign", ["csrf": csrf, "document_sha256": sha, "consent": "yes"])
            #expect(signed.status == 303 && signed.header("Location") == "/s/\(token)/done", "\(signed.status) \(signed.text.prefix(300))")
            let done = try await browser.get(cluster.nextURL(), "/s/\(token)/done")
            #expect(done.status == 200 && done.text.contains("data-page=\"done\""), "\(done.text.prefix(400))")
            let download = try await browser.get(cluster.nextURL(), "/s/\(token)/signed.pdf")
            #expect(download.status == 200)
            #expect(done.text.contains(DigestAlgorithm.sha256.hash(download.body).hexString), "the done page shows the signed PDF's SHA-256")

            // pdfsig asks the certificates' OCSP URLs: the balancer, then whichever instance.
            let file = cluster.directory.file("signed.pdf")
            try Data(download.body).write(to: file)
            let pdfsig = try PDFSig.verify(file, trusting: [cluster.rootFile])
            let approvals = pdfsig.verdicts.filter { $0.signatureType == "ETSI.CAdES.detached" }
            #expect(approvals.map(\.fieldName) == ["merchant", "platform"], "\(pdfsig.raw.combinedOutput)")
            #expect(approvals.allSatisfy { $0.isValid && $0.isTrusted }, "\(pdfsig.raw.combinedOutput)")

            let evidence = try await cluster.call(.GET, "/v1/contracts/\(contractID)/evidence.pdf")
            #expect(evidence.status == 200 && evidence.body.starts(with: Array("%PDF-".utf8)), "\(evidence.status)")
            let (events, chainValid) = try await cluster.auditEvents(contractID)
            #expect(chainValid)
            #expect(events.compactMap { $0["type"] as? String } == [
                "contract.created", "contract.sent", "signer.link_issued", "contract.viewed", "signer.otp_requested",
                "signer.otp_verified", "signer.signed", "contract.signed", "signer.signed", "contract.completed", "evidence.sealed"])

            // The export: queued through one instance, run by whichever worker claims it, polled
            // and downloaded through every instance and the balancer: the same bytes everywhere.
            let created = try await cluster.call(.POST, "/v1/exports", json: ["merchant_id": merchantID])
            #expect(created.status == 202, "\(created.text)")
            let exportID = try #require(created.json["id"] as? String)
            let deadline = Date().addingTimeInterval(TestTimeouts.exchange)
            var state = ""
            while Date() < deadline {
                state = try await cluster.call(.GET, "/v1/exports/\(exportID)").json["state"] as? String ?? ""
                if state == "succeeded" || state == "failed" { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            try #require(state == "succeeded", "export \(state)")
            var archives: [[UInt8]] = []
            for url in cluster.everyURL {
                let archive = try await cluster.call(.GET, "/v1/exports/\(exportID)/archive", at: url)
                #expect(archive.status == 200 && archive.header("Content-Type") == "application/vnd.etsi.asic-e+zip", "\(url): \(archive.status)")
                archives.append(archive.body)
            }
            #expect(Set(archives).count == 1, "every instance serves the same archive")
            let archiveFile = cluster.directory.file("export.asice")
            try Data(archives[0]).write(to: archiveFile)
            let keys = try KeyDirectory.load(from: cluster.keysDirectory.path)
            let report = await ArchiveVerifier(trustRoots: [keys.root]).verify(archiveAt: archiveFile)
            #expect(report.outcome == .passed, "\(report.checks.filter { !$0.passed }) \(report.contracts.flatMap(\.checks).filter { !$0.passed })")
            #expect(report.contracts.map(\.contractID) == [contractID])

            // nginx spread its share over the instances; nobody answered 5xx; all stop cleanly.
            let upstreams = Set(cluster.balancer.accessLog.split(separator: "\n").compactMap { line in
                line.split(separator: " ").first { $0.hasPrefix("upstream=") }.map(String.init)
            })
            #expect(upstreams.count >= 2, "nginx used several instances: \(upstreams)")
            #expect(cluster.serverErrors().isEmpty, "\(cluster.serverErrors())")
            #expect(cluster.stop().allSatisfy { $0 == 0 })
        }
    }
}
