import FoundationEssentials
import SignetCrypto
import SignetService
import SignetTemplates
import SignetArchive

/// `{ "object": "list", "data": [...], "has_more", "next_cursor" }`.
struct ListJSON<Item: Encodable & Sendable>: Encodable, Sendable {
    let data: [Item]
    let nextCursor: String?

    enum CodingKeys: String, CodingKey { case object, data, hasMore = "has_more", nextCursor = "next_cursor" }

    init(data: [Item], next: Int64?) {
        self.data = data
        nextCursor = next.map(Cursor.encode)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("list", forKey: .object)
        try container.encode(data, forKey: .data)
        try container.encode(nextCursor != nil, forKey: .hasMore)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}

/// Opaque list cursors: base64url of `c1:<ordering key>`.
enum Cursor {
    static func encode(_ position: Int64) -> String { Base32.base64URL(Array("c1:\(position)".utf8)) }

    static func decode(_ text: String) -> Int64? {
        var base64 = String(text.map { $0 == "-" ? "+" : $0 == "_" ? "/" : $0 })
        while base64.count % 4 != 0 { base64 += "=" }
        guard text.count <= 64, let data = Data(base64Encoded: base64),
              let decoded = String(data: data, encoding: .utf8), decoded.hasPrefix("c1:") else { return nil }
        return Int64(decoded.dropFirst(3)).flatMap { $0 > 0 ? $0 : nil }
    }
}

struct SigningLinkJSON: Encodable, Sendable {
    let link: SigningLink

    enum CodingKeys: String, CodingKey { case object, url, expiresAt = "expires_at" }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("signing_link", forKey: .object)
        try container.encode(link.url, forKey: .url)
        try container.encode(APITime.string(link.expiresAt), forKey: .expiresAt)
    }
}

struct AuditEventJSON: Encodable, Sendable {
    let event: AuditEvent
    var includeContractID = false

    enum CodingKeys: String, CodingKey {
        case contractID = "contract_id", sequence, type, actor, occurredAt = "occurred_at", ip, userAgent = "user_agent", data
        case previousHash = "previous_hash", hash
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if includeContractID { try container.encode(event.contractID, forKey: .contractID) }
        try container.encode(event.sequence, forKey: .sequence)
        try container.encode(event.type, forKey: .type)
        try container.encode(event.actor, forKey: .actor)
        try container.encode(TimeText.iso8601(event.occurredAt, milliseconds: true), forKey: .occurredAt)
        try container.encodeIfPresent(event.ip, forKey: .ip)
        try container.encodeIfPresent(event.userAgent, forKey: .userAgent)
        try container.encode(event.data, forKey: .data)
        try container.encode(event.previousHash, forKey: .previousHash)
        try container.encode(event.hash, forKey: .hash)
    }
}

struct AuditTrailJSON: Encodable, Sendable {
    let contractID: String
    let events: [AuditEvent]
    let chainValid: Bool

    enum CodingKeys: String, CodingKey { case object, contractID = "contract_id", headHash = "head_hash", chainValid = "chain_valid", events }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("audit_trail", forKey: .object)
        try container.encode(contractID, forKey: .contractID)
        try container.encode(events.last?.hash ?? AuditChain.genesisHash, forKey: .headHash)
        try container.encode(chainValid, forKey: .chainValid)
        try container.encode(events.map { AuditEventJSON(event: $0) }, forKey: .events)
    }
}

