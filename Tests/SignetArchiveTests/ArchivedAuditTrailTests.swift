import FoundationEssentials
import SignetArchive
import Testing

/// `audit-trail.json` keeps every member an event's hash covers, to the millisecond, so the
/// chain verifies after a round trip through the file and breaks when the file is edited.
@Suite struct ArchivedAuditTrailTests {
    /// A chained trail of three events with odd milliseconds, an IP and a user agent.
    static func trail() -> [AuditEvent] {
        var events: [AuditEvent] = []
        for (index, type) in ["contract.created", "signer.signed", "contract.completed"].enumerated() {
            let previous = events.last?.hash ?? AuditChain.genesisHash
            var event = AuditEvent(
                contractID: "ctr_test", merchantID: "mer_test", sequence: index + 1, type: type, actor: "system",
                occurredAt: Date(timeIntervalSince1970: 1_765_000_000.123 + Double(index) * 0.777),
                ip: index == 1 ? "192.0.2.7" : nil, userAgent: index == 1 ? "Mozilla/5.0 (iPhone) 测试" : nil,
                data: ["document_sha256": String(repeating: "ab", count: 32), "n": "\(index)"], previousHash: previous, hash: "")
            event.hash = AuditChain.hash(of: event)
            events.append(event)
        }
        return events
    }

    @Test func roundTripKeepsTheChain() throws {
        let trail = ArchivedAuditTrail(contractID: "ctr_test", merchantID: "mer_test", events: Self.trail())
        let bytes = try ArchiveJSON.encode(trail)
        let decoded = try ArchiveJSON.decode(ArchivedAuditTrail.self, from: bytes)
        #expect(decoded.chainBreak == nil)
        #expect(decoded.auditEvents.map(AuditChain.hash(of:)) == trail.events.map(\.hash))
        #expect(try ArchiveJSON.encode(decoded) == bytes)
        #expect(String(decoding: bytes, as: UTF8.self).contains("\"occurred_at\" : \"2025-12-06T05:46:40.123Z\""))
    }

    @Test func editedOrReorderedEventsBreakTheChain() throws {
        var edited = ArchivedAuditTrail(contractID: "ctr_test", merchantID: "mer_test", events: Self.trail())
        edited.events[1].ip = "198.51.100.1"
        #expect(edited.chainBreak?.sequence == 2)
        var reordered = ArchivedAuditTrail(contractID: "ctr_test", merchantID: "mer_test", events: Self.trail())
        reordered.events.swapAt(1, 2)
        #expect(reordered.chainBreak != nil)
        var truncated = ArchivedAuditTrail(contractID: "ctr_test", merchantID: "mer_test", events: Self.trail())
        truncated.events.removeLast()
        #expect(truncated.chainBreak != nil)
    }
}
