import Foundation
import NIOHTTP1
import SignetCrypto
import SignetTestSupport
import Synchronization
import Testing

extension LiveService {
    /// The signing page in a real browser: `Tests/Fixtures/browser-journey.py` drives Debian's
    /// chromium (selenium, headless, 390×844 at 2×) against this process's server. The test
    /// creates the contracts, hands the script the one-time codes from the `log` notifier's
    /// captured lines (a small JSON file the script polls), and checks the outcome with the
    /// API, pdfsig and pyHanko. Screenshots: `.build/test-artifacts/browser/`.
    @Suite("Signing page in a browser (live)")
    struct BrowserJourneyTests {
        static let chromium = "/usr/bin/chromium"
        static let chromedriver = "/usr/bin/chromedriver"
        static var browserInstalled: Bool {
            FileManager.default.isExecutableFile(atPath: chromium) && FileManager.default.isExecutableFile(atPath: chromedriver)
        }

        @Test("Link → code → review (images loaded) → consent → Sign → done → signed PDF (pdfsig, pyHanko); wrong code ×5 locks; decline; double click on Sign (JS on and off) signs once; expired link; the operator console's overview and timeline; no console errors",
              .enabled(if: browserInstalled, "chromium and chromium-driver are not installed in /usr/bin (scripts/bootstrap.sh --test installs them)"))
        func browserJourney() async throws {
            let clock = TestClock()
            let api = try await APIHarness.start(clock: { clock.now })
            defer { Task { try? await api.stop() } }
            let (merchant, first) = try await api.merchantAndContract()
            let merchantID = try #require(merchant["id"] as? String)
            var contracts = ["journey": first]
            for name in ["locked", "decline", "double_js", "double_nojs", "expired"] {
                let created = try await api.call(.POST, "/v1/contracts", json: [
                    "merchant_id": merchantID, "template_id": "merchant-service-agreement", "fields": try APIHarness.sampleFields(),
                ] as [String: Any])
                #expect(created.status == 201)
                contracts[name] = created.json
            }
            let work = api.directory.file("browser")
            let artifacts = RepositoryPaths.root.appendingPathComponent(".build/test-artifacts/browser")
            try? FileManager.default.removeItem(at: artifacts)
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            var scenarios: [String: [String: String]] = [:]
            for (name, contract) in contracts {
                let url = try #require((contract["signers"] as? [[String: Any]])?.first?["signing_url"] as? String)
                scenarios[name] = ["url": url, "contract_id": try #require(contract["id"] as? String)]
            }
            let plan: [String: Any] = [
                "screenshots": artifacts.path, "downloads": work.appendingPathComponent("downloads").path,
                "codes": work.appendingPathComponent("codes.json").path, "result": work.appendingPathComponent("result.json").path,
                "scenarios": scenarios,
                "console": ["base": api.baseURL, "api_key": api.apiKey, "contract_id": try #require(scenarios["journey"]?["contract_id"])],
            ]
            let planFile = work.appendingPathComponent("plan.json")
            try JSONSerialization.data(withJSONObject: plan).write(to: planFile)

            // Everything but the expired link, with the codes forwarded as the server logs them.
            let codes = work.appendingPathComponent("codes.json")
            let forwarding = Task {
                var written: [String: [String]] = [:]
                while !Task.isCancelled {
                    let now = try api.loggedCodesByContract()
                    if now != written {
                        try JSONSerialization.data(withJSONObject: now).write(to: codes, options: .atomic)
                        written = now
                    }
                    try await Task.sleep(for: .milliseconds(50))
                }
            }
            let run = try await Self.script(planFile, ["journey", "locked", "decline", "double_js", "double_nojs", "console"])
            forwarding.cancel()
            #expect(run.status == 0, "\(run.combinedOutput)")
            print(run.output, terminator: "")
            let result = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: work.appendingPathComponent("result.json"))) as? [String: Any])
            #expect((result["severe"] as? [Any])?.isEmpty == true, "console errors: \(result["severe"] ?? "")")

            // The downloaded signed PDF: the done page's SHA-256, two valid signatures (pdfsig, pyHanko).
            let signed = URL(fileURLWithPath: try #require(result["signed_pdf"] as? String))
            let bytes = [UInt8](try Data(contentsOf: signed))
            #expect(DigestAlgorithm.sha256.hash(bytes).hexString == result["signed_sha256_shown"] as? String)
            let pdfsig = try PDFSig.verify(signed, trusting: [api.rootFile])
            let approvals = pdfsig.verdicts.filter { $0.signatureType == "ETSI.CAdES.detached" }
            #expect(approvals.map(\.fieldName) == ["merchant", "platform"], "\(pdfsig.raw.combinedOutput)")
            #expect(approvals.allSatisfy { $0.isValid && $0.isTrusted }, "\(pdfsig.raw.combinedOutput)")
            let pyhanko = try PyHanko.validate(signed, trusting: [api.rootFile])
            #expect(pyhanko.raw.status == 0 && pyhanko.verdicts.allSatisfy { $0.isIntactAndTrusted }, "\(pyhanko.raw.combinedOutput)")

            // What the server recorded for each scenario.
            let journey = try await Self.events(api, scenarios["journey"])
            #expect(journey.filter { $0.type == "signer.signed" }.map { $0.data["authentication"] ?? "" } == ["otp", "platform_seal"], "merchant by code, then the platform")
            let locked = try await Self.events(api, scenarios["locked"])
            #expect(locked.contains { $0.type == "signer.otp_locked" } && !locked.contains { $0.type == "signer.otp_verified" })
            #expect(try await Self.state(api, scenarios["decline"]) == "declined")
            #expect(try await Self.events(api, scenarios["decline"]).last?.data["reason"] == "费率与沟通的不一致")
            for name in ["double_js", "double_nojs"] {
                let events = try await Self.events(api, scenarios[name])
                #expect(events.filter { $0.type == "signer.signed" && $0.data["role"] == "merchant" }.count == 1, "\(name): one signature")
                #expect(try await Self.state(api, scenarios[name]) == "completed", "\(name)")
            }
            #expect(!api.log.lines.contains { $0.contains("\"status\":5") }, "no 5xx")
            let signPosts = api.log.lines.filter { $0.contains("\"route\":\"/s/{token}/sign\"") }.count
            print("browser journey: \(signPosts) Sign POSTs reached the server for 3 signatures (journey, double click with and without JS)")

            // The expired link, after the contract's expiry.
            clock.advance(8 * 86_400)
            let expired = try await Self.script(planFile, ["expired"])
            #expect(expired.status == 0, "\(expired.combinedOutput)")

            let seconds = try #require(result["link_to_done_seconds"] as? Double)
            print("browser journey: link opened → done page in \(seconds) s (a bot; codes read from the log)")
            let screenshots = try FileManager.default.contentsOfDirectory(atPath: artifacts.path).filter { $0.hasSuffix(".png") }
            #expect(screenshots.count >= 14, "\(screenshots.sorted())")
        }

        /// Runs the browser script on `scenarios` (on its own thread: it blocks until chromium is done).
        static func script(_ plan: URL, _ scenarios: [String]) async throws -> ToolResult {
            let python = RepositoryPaths.root.appendingPathComponent(".venv/bin/python").path
            let script = RepositoryPaths.root.appendingPathComponent("Tests/Fixtures/browser-journey.py").path
            return try await withCheckedThrowingContinuation { continuation in
                Thread {
                    continuation.resume(with: Result { try ExternalTool.run(python, [script, plan.path] + scenarios) })
                }.start()
            }
        }

        static func events(_ api: APIHarness, _ scenario: [String: String]?) async throws -> [(type: String, data: [String: String])] {
            let trail = try await api.call(.GET, "/v1/contracts/\(try #require(scenario?["contract_id"]))/audit-trail")
            #expect(trail.json["chain_valid"] as? Bool == true)
            return (trail.json["events"] as? [[String: Any]] ?? []).map {
                ($0["type"] as? String ?? "", $0["data"] as? [String: String] ?? [:])
            }
        }

        static func state(_ api: APIHarness, _ scenario: [String: String]?) async throws -> String? {
            try await api.call(.GET, "/v1/contracts/\(try #require(scenario?["contract_id"]))").json["state"] as? String
        }
    }
}
