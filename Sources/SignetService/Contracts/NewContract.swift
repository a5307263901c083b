public import FoundationEssentials
public import SignetTemplates

/// A contract to create, as the API receives it (`POST /v1/contracts`).
public struct NewContract: Sendable, Hashable {
    /// The merchant it is with.
    public var merchantID: String
    /// The template.
    public var templateID: String
    /// Its version (nil: the newest).
    public var templateVersion: String?
    /// Field values (strings; numbers for money and percentages).
    public var fields: FieldValues
    /// Link signers; a missing merchant signer defaults to the merchant's legal representative.
    public var signers: [SignerInput]
    /// When it expires (nil: `ServiceConfiguration.defaultExpiry` from now).
    public var expiresAt: Date?
    /// Keep it a draft instead of sending it.
    public var draft: Bool
    /// The integrator's key/value pairs (≤ 20 keys of ≤ 40 characters, values ≤ 500).
    public var metadata: [String: String]

    /// A signer as given.
    public struct SignerInput: Sendable, Hashable {
        /// The template role.
        public var role: String
        /// The person.
        public var name: String
        /// Where codes go.
        public var phone: String?
        /// E-mail.
        public var email: String?

        /// A signer input.
        public init(role: String, name: String, phone: String? = nil, email: String? = nil) {
            self.role = role
            self.name = name
            self.phone = phone
            self.email = email
        }
    }

    /// A contract request.
    public init(merchantID: String, templateID: String, templateVersion: String? = nil, fields: FieldValues,
                signers: [SignerInput] = [], expiresAt: Date? = nil, draft: Bool = false, metadata: [String: String] = [:]) {
        self.merchantID = merchantID
        self.templateID = templateID
        self.templateVersion = templateVersion
        self.fields = fields
        self.signers = signers
        self.expiresAt = expiresAt
        self.draft = draft
        self.metadata = metadata
    }
}

/// A contract with the signing links issued by the call that returned it (each token
/// exists only in this value: the store keeps its SHA-256).
public struct IssuedContract: Sendable {
    /// The contract as stored.
    public var contract: Contract
    /// Links issued now, by role.
    public var links: [PartyRole: SigningLink]

    /// A contract with its new links.
    public init(contract: Contract, links: [PartyRole: SigningLink] = [:]) {
        self.contract = contract
        self.links = links
    }
}

/// A signing link: `{baseURL}/s/{token}`.
public struct SigningLink: Sendable, Hashable {
    /// The URL to give the signer.
    public var url: String
    /// When it stops working.
    public var expiresAt: Date
    /// SHA-256 (hex) of the token, as stored.
    public var tokenHash: String

    /// A new link with 256 random bits, base64url, for a contract expiring at `expiresAt`.
    static func make(baseURL: String, expiresAt: Date) -> SigningLink {
        let token = Base32.base64URL(SecureRandom.bytes(32))
        return SigningLink(url: "\(baseURL)/s/\(token)", expiresAt: expiresAt, tokenHash: tokenHash(token))
    }

    /// The stored form of a link token.
    public static func tokenHash(_ token: String) -> String {
        DigestAlgorithm.sha256.hash(Array(token.utf8)).hexString
    }

    private init(url: String, expiresAt: Date, tokenHash: String) {
        self.url = url
        self.expiresAt = expiresAt
        self.tokenHash = tokenHash
    }
}

import SignetCrypto
