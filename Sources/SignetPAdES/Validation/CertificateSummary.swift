public import FoundationEssentials
public import SignetCrypto

/// A certificate as a report shows it: who it names, who issued it, when it is valid.
public struct CertificateSummary: Sendable, Hashable, Codable {
    /// The subject, most specific attribute first (`CN=..., O=..., C=...`).
    public let subject: String
    /// The subject's common name.
    public let commonName: String?
    /// The subject's organization.
    public let organization: String?
    /// The subject's organizationIdentifier (e.g. a unified social credit code).
    public let organizationIdentifier: String?
    /// The subject's serialNumber attribute (often a personal or company identifier).
    public let subjectSerialNumber: String?
    /// The issuer, most specific attribute first.
    public let issuer: String
    /// The certificate's serial number, upper-case hex.
    public let serialNumber: String
    /// Start of the validity period.
    public let notBefore: Date
    /// End of the validity period.
    public let notAfter: Date
    /// SHA-256 of the DER encoding, lower-case hex.
    public let sha256: String
    /// Whether the certificate names itself as its issuer (a root, or a self-issued key).
    public let selfIssued: Bool

    /// Summarizes `certificate`.
    public init(_ certificate: Certificate) {
        subject = certificate.subject.displayString
        commonName = certificate.subject.commonName
        organization = certificate.subject.organization
        organizationIdentifier = certificate.subject.organizationIdentifier
        subjectSerialNumber = certificate.subject.serialNumber
        issuer = certificate.issuer.displayString
        serialNumber = certificate.serialNumberHex
        notBefore = certificate.notBefore
        notAfter = certificate.notAfter
        sha256 = certificate.sha256Fingerprint.hexString
        selfIssued = certificate.isSelfIssued
    }

    /// A short name for sentences: the common name, else the organization, else the subject.
    public var displayName: String { commonName ?? organization ?? subject }
}
