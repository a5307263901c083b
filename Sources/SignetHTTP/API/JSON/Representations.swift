import FoundationEssentials
import SignetCrypto
import SignetService
import SignetTemplates

/// The API's response objects (api-shapes, openapi.json): snake_case members, RFC 3339 UTC
/// times to the second, `object` naming the kind. Built from the service's model; encoded
/// with `JSONEncoder` (absent optionals are left out; members documented as nullable are
/// written as `null`).
enum APITime {
    /// `2026-12-06T10:00:00Z`.
    static func string(_ date: Date) -> String { TimeText.iso8601(date) }
}

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

struct MerchantJSON: Encodable, Sendable {
    let merchant: Merchant

    enum CodingKeys: String, CodingKey {
        case id, object, externalID = "external_id", name, registration, legalRepresentative = "legal_representative", contact
        case createdAt = "created_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(merchant.id, forKey: .id)
        try container.encode("merchant", forKey: .object)
        try container.encode(merchant.externalID, forKey: .externalID)
        try container.encode(merchant.name, forKey: .name)
        switch merchant.registration {
        case .creditCode(let code): try container.encode(["credit_code": code], forKey: .registration)
        case .foreign(let number, let country): try container.encode(["number": number, "country": country], forKey: .registration)
        }
        try container.encode(merchant.legalRepresentative, forKey: .legalRepresentative)
        var contact = ["name": merchant.contact.name]
        contact["phone"] = merchant.contact.phone
        contact["email"] = merchant.contact.email
        try container.encode(contact, forKey: .contact)
        try container.encode(APITime.string(merchant.createdAt), forKey: .createdAt)
    }
}

struct DocumentLinkJSON: Encodable, Sendable {
    let sha256: String
    let size: Int
    let pageCount: Int?
    let url: String

    enum CodingKeys: String, CodingKey { case sha256, size, pageCount = "page_count", url }
}

struct SignerJSON: Encodable, Sendable {
    let signer: Signer
    let link: SigningLink?

    enum CodingKeys: String, CodingKey {
        case role, name, phone, email, signsBy = "signs_by", state, signedAt = "signed_at", signingURL = "signing_url"
        case linkExpiresAt = "link_expires_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(signer.role.rawValue, forKey: .role)
        try container.encode(signer.name, forKey: .name)
        try container.encodeIfPresent(signer.phone, forKey: .phone)
        try container.encodeIfPresent(signer.email, forKey: .email)
        try container.encode(signer.method.rawValue, forKey: .signsBy)
        try container.encode(signer.state.rawValue, forKey: .state)
        try container.encodeIfPresent(signer.signedAt.map(APITime.string), forKey: .signedAt)
        try container.encodeIfPresent(link?.url, forKey: .signingURL)
        try container.encodeIfPresent(link.map { APITime.string($0.expiresAt) }, forKey: .linkExpiresAt)
    }
}

struct ContractJSON: Encodable, Sendable {
    let contract: Contract
    var links: [PartyRole: SigningLink] = [:]

    enum CodingKeys: String, CodingKey {
        case id, object, number, merchantID = "merchant_id", state, title, locale, template, fields, metadata, signers, documents
        case expiresAt = "expires_at", createdAt = "created_at", updatedAt = "updated_at", sentAt = "sent_at"
        case completedAt = "completed_at", voidedAt = "voided_at", voidReason = "void_reason", declinedAt = "declined_at"
        case declineReason = "decline_reason"
    }

    enum DocumentKeys: String, CodingKey { case original, signed }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(contract.id, forKey: .id)
        try container.encode("contract", forKey: .object)
        try container.encode(contract.number, forKey: .number)
        try container.encode(contract.merchantID, forKey: .merchantID)
        try container.encode(contract.state.rawValue, forKey: .state)
        try container.encode(contract.title, forKey: .title)
        try container.encode(contract.locale, forKey: .locale)
        try container.encode(["id": contract.template.id, "version": contract.template.version, "digest": contract.template.digest],
                             forKey: .template)
        try container.encode(contract.fields, forKey: .fields)
        try container.encode(contract.metadata, forKey: .metadata)
        try container.encode(contract.signers.map { SignerJSON(signer: $0, link: links[$0.role]) }, forKey: .signers)
        var documents = container.nestedContainer(keyedBy: DocumentKeys.self, forKey: .documents)
        let base = "/v1/contracts/\(contract.id)"
        try documents.encode(DocumentLinkJSON(sha256: contract.original.sha256, size: contract.original.size,
                                              pageCount: contract.original.pageCount, url: "\(base)/document.pdf"), forKey: .original)
        if let signed = contract.signed {
            try documents.encode(DocumentLinkJSON(sha256: signed.sha256, size: signed.size, pageCount: signed.pageCount,
                                                  url: "\(base)/signed.pdf"), forKey: .signed)
        } else {
            try documents.encodeNil(forKey: .signed)
        }
        try container.encode(APITime.string(contract.expiresAt), forKey: .expiresAt)
        try container.encode(APITime.string(contract.createdAt), forKey: .createdAt)
        try container.encode(APITime.string(contract.updatedAt), forKey: .updatedAt)
        try container.encodeIfPresent(contract.sentAt.map(APITime.string), forKey: .sentAt)
        try container.encodeIfPresent(contract.completedAt.map(APITime.string), forKey: .completedAt)
        try container.encodeIfPresent(contract.voidedAt.map(APITime.string), forKey: .voidedAt)
        try container.encodeIfPresent(contract.voidReason, forKey: .voidReason)
        try container.encodeIfPresent(contract.declinedAt.map(APITime.string), forKey: .declinedAt)
        try container.encodeIfPresent(contract.declineReason, forKey: .declineReason)
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

struct PaperDocumentJSON: Encodable, Sendable {
    let document: PaperDocument

    enum CodingKeys: String, CodingKey {
        case id, object, merchantID = "merchant_id", title, originalSHA256 = "original_sha256", sha256, size, pageCount = "page_count"
        case createdAt = "created_at", url
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(document.id, forKey: .id)
        try container.encode("document", forKey: .object)
        try container.encode(document.merchantID, forKey: .merchantID)
        try container.encode(document.title, forKey: .title)
        try container.encode(document.original.sha256, forKey: .originalSHA256)
        try container.encode(document.sealed.sha256, forKey: .sha256)
        try container.encode(document.sealed.size, forKey: .size)
        try container.encodeIfPresent(document.sealed.pageCount, forKey: .pageCount)
        try container.encode(APITime.string(document.createdAt), forKey: .createdAt)
        try container.encode("/v1/documents/\(document.id).pdf", forKey: .url)
    }
}
