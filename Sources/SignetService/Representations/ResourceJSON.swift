public import FoundationEssentials
import SignetCrypto
package import SignetTemplates

// The API's resource objects (api-shapes, openapi.json), shared by the HTTP responses and
// the webhook events' snapshots (`WebhookOutbox`), so a webhook carries the resource exactly
// as `GET` returns it: snake_case members, RFC 3339 UTC times to the second, `object` naming
// the kind. Encoded with `JSONEncoder` (absent optionals are left out; members documented as
// nullable are written as `null`).

/// `2026-12-06T10:00:00Z`.
package enum APITime {
    /// `2026-12-06T10:00:00Z`.
    package static func string(_ date: Date) -> String { TimeText.iso8601(date) }
}

package struct MerchantJSON: Encodable, Sendable {
    package let merchant: Merchant

    package init(merchant: Merchant) { self.merchant = merchant }

    enum CodingKeys: String, CodingKey {
        case id, object, externalID = "external_id", name, registration, legalRepresentative = "legal_representative", contact
        case createdAt = "created_at"
    }

    package func encode(to encoder: any Encoder) throws {
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

package struct DocumentLinkJSON: Encodable, Sendable {
    package let sha256: String
    package let size: Int
    package let pageCount: Int?
    package let url: String

    enum CodingKeys: String, CodingKey { case sha256, size, pageCount = "page_count", url }
}

package struct SignerJSON: Encodable, Sendable {
    package let signer: Signer
    package let link: SigningLink?

    enum CodingKeys: String, CodingKey {
        case role, name, phone, email, signsBy = "signs_by", state, signedAt = "signed_at", signingURL = "signing_url"
        case linkExpiresAt = "link_expires_at"
    }

    package func encode(to encoder: any Encoder) throws {
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

package struct ContractJSON: Encodable, Sendable {
    package let contract: Contract
    package var links: [PartyRole: SigningLink] = [:]

    package init(contract: Contract, links: [PartyRole: SigningLink] = [:]) {
        self.contract = contract
        self.links = links
    }

    enum CodingKeys: String, CodingKey {
        case id, object, number, merchantID = "merchant_id", state, title, locale, template, fields, metadata, signers, documents
        case expiresAt = "expires_at", createdAt = "created_at", updatedAt = "updated_at", sentAt = "sent_at"
        case completedAt = "completed_at", voidedAt = "voided_at", voidReason = "void_reason", declinedAt = "declined_at"
        case declineReason = "decline_reason"
    }

    enum DocumentKeys: String, CodingKey { case original, signed, evidence }

    package func encode(to encoder: any Encoder) throws {
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
        if let evidence = contract.evidence {
            try documents.encode(DocumentLinkJSON(sha256: evidence.sha256, size: evidence.size, pageCount: evidence.pageCount,
                                                  url: "\(base)/evidence.pdf"), forKey: .evidence)
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

package struct PaperDocumentJSON: Encodable, Sendable {
    package let document: PaperDocument

    package init(document: PaperDocument) { self.document = document }

    enum CodingKeys: String, CodingKey {
        case id, object, merchantID = "merchant_id", title, originalSHA256 = "original_sha256", sha256, size, pageCount = "page_count"
        case createdAt = "created_at", url
    }

    package func encode(to encoder: any Encoder) throws {
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
