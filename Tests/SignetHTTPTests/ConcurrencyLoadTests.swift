import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SignetTestSupport
import Testing

extension LiveService {
    /// Many requests at once against one server (issue 18, "Concurrency and load"): racing
    /// Sign posts of one signing session make one signature; racing creations under reused
    /// idempotency keys make one contract per key. Both run on SQLite and PostgreSQL
    /// (`TestStorage`), over real HTTP with up to 100 connections in flight.
    @Suite("Concurrency and load (live)", .serialized)
    struct ConcurrencyLoadTests {
        /// The creation test's client: at most 100 connections; a request waits up to 5 minutes
        /// for one of them (1000 requests queue at once on a loaded 2-core machine; the default
        /// 10 s wait would fail the client, not the server).
        static let pooled = HTTPClient(eventLoopGroupProvider: .singleton, configuration: {
            var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
            configuration.timeout = .init(connect: .minutes(5), read: .minutes(5))
            configuration.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 100)
            return configuration
        }())

        @Test("100 concurrent Sign posts of one session through the page flow: one signature (pdfsig), every answer the done page's 303 or a 409, no 5xx",
              .timeLimit(.minutes(10)))
        func hundredConcurrentSigns() async throws {
            let api = try await APIHarness.start()
            defer { Task { try? await api.stop() } }
            let (_, _, contractID, token, _) = try await api.pageContract()
            let base = api.baseURL
            // A browser without JavaScript: landing → code (from the log notifier) → verify → review.
            let browser = ScaleOutBrowser()
            #expect(try await browser.get(base, "/s/\(token)").status == 200)
            #expect(try await browser.post(base, "/s/\(token)/code").status == 303)
            let code = try #require(try api.loggedCodes().last)
            let verified = try await browser.post(base, "/s/\(token)/verify", ["code": code])
            #expect(verified.status == 303 && verified.header("Location") == "/s/\(token)/review")
            #expect(browser.cookie("signet_session") != nil, "a session cookie")
            let review = try await browser.get(base, "/s/\(token)/review")
            let form = ["csrf": try #require(review.hidden("csrf")), "document_sha256": try #require(review.hidden("document_sha256")),
                        "consent": "yes"]

            let answers = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                for _ in 0..<100 {
                    group.addTask {
                        let reply = try await browser.post(base, "/s/\(token)/sign", form)
                        return (reply.status, reply.header("Location"))
                    }
                }
                return try await group.reduce(into: [(Int, String?)]()) { $0.append($1) }
            }
            #expect(answers.count == 100)
            let unexpected = answers.filter { !($0.0 == 303 && $0.1 == "/s/\(token)/done") && $0.0 != 409 }
            #expect(unexpected.isEmpty, "only the done page's 303 or a 409: \(unexpected)")

            let trail = try await api.call(.GET, "/v1/contracts/\(contractID)/audit-trail")
            #expect(trail.json["chain_valid"] as? Bool == true)
            let events = try #require(trail.json["events"] as? [[String: Any]])
            let signed = events.filter { $0["type"] as? String == "signer.signed" }.compactMap { ($0["data"] as? [String: Any])?["role"] as? String }
            #expect(signed.sorted() == ["merchant", "platform"], "one signer.signed per role: \(signed)")
            #expect(events.filter { $0["type"] as? String == "contract.completed" }.count == 1)
            #expect(try await api.call(.GET, "/v1/contracts/\(contractID)").json["state"] as? String == "completed")

            let download = try await browser.get(base, "/s/\(token)/signed.pdf")
            #expect(download.status == 200)
            let file = api.directory.file("concurrent-signed.pdf")
            try Data(download.body).write(to: file)
            let pdfsig = try PDFSig.verify(file, trusting: [api.rootFile])
            let approvals = pdfsig.verdicts.filter { $0.signatureType == "ETSI.CAdES.detached" }
            #expect(approvals.map(\.fieldName) == ["merchant", "platform"], "one merchant signature: \(pdfsig.raw.combinedOutput)")
            #expect(approvals.allSatisfy { $0.isValid && $0.isTrusted }, "\(pdfsig.raw.combinedOutput)")
            let serverErrors = api.log.lines.filter { $0.contains(#""status":5"#) }
            #expect(serverErrors.isEmpty, "no 5xx: \(serverErrors.prefix(3))")
        }

        @Test("1000 concurrent contract creations under 100 Idempotency-Keys (10 each): 100 contracts (API and database), each answer the original 201, its byte-identical replay or 409 idempotency_key_in_use; then every key replays",
              .timeLimit(.minutes(10)))
        func thousandCreationsHundredKeys() async throws {
            let api = try await APIHarness.start()
            defer { Task { try? await api.stop() } }
            let merchant = try await api.call(.POST, "/v1/merchants", json: APIHarness.merchantBody)
            let merchantID = try #require(merchant.json["id"] as? String)
            let body = Array(try JSONSerialization.data(withJSONObject: [
                "merchant_id": merchantID, "template_id": "merchant-service-agreement", "fields": try APIHarness.sampleFields(),
            ] as [String: Any], options: [.sortedKeys]))
            let url = api.baseURL + "/v1/contracts"
            let apiKey = api.apiKey
            @Sendable func create(_ key: Int) async throws -> Creation {
                let reply = try await ScaleOutHTTP.send(.POST, url, headers: [
                    ("Authorization", "Bearer \(apiKey)"), ("Content-Type", "application/json"), ("Idempotency-Key", "load-\(key)"),
                ], body: body, timeout: .minutes(5), client: Self.pooled)
                return Creation(key: key, reply: reply)
            }

            // Ten requests of each key, the keys interleaved, all sent at once (100 connections at a time).
            let creations = try await withThrowingTaskGroup(of: Creation.self) { group in
                for _ in 0..<10 { for key in 0..<100 { group.addTask { try await create(key) } } }
                return try await group.reduce(into: [Creation]()) { $0.append($1) }
            }
            #expect(creations.count == 1000)
            let byKey = Dictionary(grouping: creations, by: \.key)
            var originals: [Int: [UInt8]] = [:]
            for (key, replies) in byKey.sorted(by: { $0.key < $1.key }) {
                let first = replies.filter { $0.reply.status == 201 && $0.reply.header("Idempotent-Replayed") == nil }
                #expect(first.count == 1, "key \(key): one original 201, got \(replies.map(\.summary))")
                guard let original = first.first?.reply.body else { continue }
                originals[key] = original
                for creation in replies where creation.reply.status == 201 {
                    #expect(creation.reply.body == original, "key \(key): a 201 replay is byte-identical")
                }
                let others = replies.filter { $0.reply.status != 201 }
                #expect(others.allSatisfy { $0.reply.status == 409 && $0.reply.code == "idempotency_key_in_use" },
                        "key \(key): \(others.map(\.summary))")
            }
            let ids = Set(originals.values.compactMap { APIHarness.Reply(status: 201, headers: [:], body: $0).json["id"] as? String })
            #expect(ids.count == 100, "100 distinct contracts")

            // Counted through the API (every page) and in the database.
            var listed: Set<String> = []
            var cursor: String?
            repeat {
                let query = cursor.map { "&cursor=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0)" } ?? ""
                let page = try await api.call(.GET, "/v1/contracts?limit=100\(query)", record: false)
                #expect(page.status == 200)
                listed.formUnion((page.json["data"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
                cursor = page.json["next_cursor"] as? String
            } while cursor != nil && listed.count <= 1000
            #expect(listed == ids, "the API lists exactly the 100 contracts")
            #expect(try Self.count(api, "SELECT count(*) FROM contracts") == 100)

            // Afterwards every key replays its own contract, byte for byte.
            let replays = try await withThrowingTaskGroup(of: Creation.self) { group in
                for key in 0..<100 { group.addTask { try await create(key) } }
                return try await group.reduce(into: [Creation]()) { $0.append($1) }
            }
            for replay in replays {
                #expect(replay.reply.status == 201 && replay.reply.header("Idempotent-Replayed") == "true"
                        && replay.reply.body == originals[replay.key], "key \(replay.key): \(replay.summary)")
            }
            #expect(try Self.count(api, "SELECT count(*) FROM contracts") == 100)
            let serverErrors = api.log.lines.filter { $0.contains(#""status":5"#) }
            #expect(serverErrors.isEmpty, "no 5xx: \(serverErrors.prefix(3))")
        }

        /// One answer of the creation test, with the key it was sent under.
        struct Creation: Sendable {
            let key: Int
            let reply: APIHarness.Reply
            var summary: String { "\(reply.status) \(reply.code ?? "")" }
        }

        /// The number a `SELECT count(*)` prints (sqlite3's bare value or psql's table).
        static func count(_ api: APIHarness, _ sql: String) throws -> Int? {
            let result = try api.executeSQL(sql)
            return result.output.split(separator: "\n").lazy.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.first
        }
    }
}
