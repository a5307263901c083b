import Foundation
import NIOHTTP1
import Glibc
import SignetTestSupport
import Testing

extension LiveService {
    /// Signing when several instances share the database: racing requests make one signature,
    /// and an instance that dies while signing loses nothing.
    @Suite("Scale-out: signing across instances (live)", .serialized)
    struct ScaleOutSigningTests {
        /// A sent contract's merchant in a signing session (the integrator's embedded link,
        /// entered through one instance), the session's CSRF token and the shown document's
        /// SHA-256 (from the review page of another).
        static func session(_ cluster: ScaleOutCluster) async throws -> (id: String, token: String, browser: ScaleOutBrowser, form: [String: String]) {
            let (_, contract) = try await cluster.merchantAndContract(externalID: "m-\(UUID().uuidString.prefix(8))")
            let id = try #require(contract["id"] as? String)
            let link = try await cluster.call(.POST, "/v1/contracts/\(id)/signers/merchant/embedded-link")
            #expect(link.status == 201, "\(link.text)")
            let url = try #require(link.json["url"] as? String)
            #expect(url.hasPrefix(cluster.baseURL + "/s/"), "\(url)")
            let path = String(url.dropFirst(cluster.baseURL.count))
            let token = String(try #require(path.split(separator: "/").last))
            let browser = ScaleOutBrowser()
            let entered = try await browser.get(cluster.instanceURL(0), path)
            #expect(entered.status == 303 && entered.header("Location") == "/s/\(token)/review", "\(entered.status)")
            let review = try await browser.get(cluster.instanceURL(1 % cluster.ports.count), "/s/\(token)/review")
            #expect(review.status == 200, "\(review.text.prefix(300))")
            let form = ["csrf": try #require(review.hidden("csrf")), "document_sha256": try #require(review.hidden("document_sha256")),
                        "consent": "yes"]
            return (id, token, browser, form)
        }

        /// The signer.signed events of each role, and whether the chain holds.
        static func signatures(_ cluster: ScaleOutCluster, _ id: String) async throws -> (merchant: Int, platform: Int, completed: Int, chainValid: Bool) {
            let (events, chainValid) = try await cluster.auditEvents(id)
            let signed = events.filter { $0["type"] as? String == "signer.signed" }.compactMap { ($0["data"] as? [String: Any])?["role"] as? String }
            return (signed.filter { $0 == "merchant" }.count, signed.filter { $0 == "platform" }.count,
                    events.filter { $0["type"] as? String == "contract.completed" }.count, chainValid)
        }

        @Test("100 concurrent sign requests on one link, spread over three instances and nginx: exactly one signature per role, every answer the done page's 303 or a 409, never a 5xx",
              .timeLimit(.minutes(10)))
        func hundredConcurrentSignAttempts() async throws {
            let cluster = try ScaleOutCluster(instances: 3)
            defer { cluster.stop() }
            let (id, token, browser, form) = try await Self.session(cluster)
            let urls = cluster.everyURL
            let statuses = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                for attempt in 0..<100 {
                    group.addTask {
                        let reply = try await browser.post(urls[attempt % urls.count], "/s/\(token)/sign", form)
                        return (reply.status, reply.header("Location"))
                    }
                }
                return try await group.reduce(into: [(Int, String?)]()) { $0.append($1) }
            }
            #expect(statuses.count == 100)
            let unexpected = statuses.filter { !($0.0 == 303 && $0.1 == "/s/\(token)/done") && $0.0 != 409 }
            #expect(unexpected.isEmpty, "only the done page's 303 (a double click) or 409: \(unexpected)")
            let signatures = try await Self.signatures(cluster, id)
            #expect(signatures.merchant == 1 && signatures.platform == 1 && signatures.completed == 1, "\(signatures)")
            #expect(signatures.chainValid)
            let contract = try await cluster.call(.GET, "/v1/contracts/\(id)")
            #expect(contract.json["state"] as? String == "completed")
            #expect(cluster.serverErrors().isEmpty, "\(cluster.serverErrors())")
            #expect(cluster.stop().allSatisfy { $0 == 0 })
        }

        @Test("The sign POST sent to instance A, A SIGKILLed while it signs: the signer's next attempts through the others succeed once the lease passes; one signature per role, the chain intact, pdfsig trusts the PDF",
              .timeLimit(.minutes(10)))
        func instanceKilledMidSigning() async throws {
            let cluster = try ScaleOutCluster(instances: 2, extraArguments: ["--signing-lease", "3s"])
            defer { cluster.stop() }
            // The POST goes to instance 0; it dies while it signs (the claim is committed within a
            // few milliseconds, the signature takes hundreds). On a fast run the signing can beat
            // the kill: then the scenario starts again on a new contract with a shorter wait, and
            // the instance is restarted (on the same port) for the next try.
            var landed: (id: String, token: String, browser: ScaleOutBrowser, form: [String: String])?
            for wait in [250, 80, 20, 0] {
                let (id, token, browser, form) = try await Self.session(cluster)
                let doomed = Task { try? await browser.post(cluster.instanceURL(0), "/s/\(token)/sign", form) }
                try await Task.sleep(for: .milliseconds(wait))
                cluster.kill(0)
                let answer = await doomed.value
                #expect(answer.map { $0.status < 500 } ?? true, "the killed instance's answer, if any, is no 5xx")
                let after = try await cluster.call(.GET, "/v1/contracts/\(id)", at: cluster.instanceURL(1))
                if after.json["state"] as? String != "completed" {
                    landed = (id, token, browser, form)
                    break
                }
                try cluster.restart(0)
            }
            let (id, token, browser, form) = try #require(landed, "a kill landed mid-signing in one of the tries")

            // The signer tries again (page reloads) through the balancer and instance 1 until done.
            let deadline = Date().addingTimeInterval(TestTimeouts.exchange)
            var state = ""
            var attempts = 0
            while Date() < deadline {
                attempts += 1
                let base = attempts % 2 == 0 ? cluster.baseURL : cluster.instanceURL(1)
                let retry = try await browser.post(base, "/s/\(token)/sign", form)
                #expect((retry.status == 303 && retry.header("Location") == "/s/\(token)/done") || retry.status == 409, "\(retry.status)")
                state = try await cluster.call(.GET, "/v1/contracts/\(id)", at: cluster.instanceURL(1)).json["state"] as? String ?? ""
                if state == "completed" { break }
                try await Task.sleep(for: .seconds(1))
            }
            #expect(state == "completed", "after \(attempts) attempts")
            let signatures = try await Self.signatures(cluster, id)
            #expect(signatures.merchant == 1 && signatures.platform == 1 && signatures.completed == 1, "\(signatures)")
            #expect(signatures.chainValid)

            let download = try await browser.get(cluster.baseURL, "/s/\(token)/signed.pdf")
            #expect(download.status == 200)
            let file = cluster.directory.file("signed-after-kill.pdf")
            try Data(download.body).write(to: file)
            let pdfsig = try PDFSig.verify(file, trusting: [cluster.rootFile])
            let approvals = pdfsig.verdicts.filter { $0.signatureType == "ETSI.CAdES.detached" }
            #expect(approvals.map(\.fieldName) == ["merchant", "platform"], "\(pdfsig.raw.combinedOutput)")
            #expect(approvals.allSatisfy { $0.isValid && $0.isTrusted }, "\(pdfsig.raw.combinedOutput)")
            #expect(cluster.serverErrors().isEmpty, "\(cluster.serverErrors())")
        }
    }
}
