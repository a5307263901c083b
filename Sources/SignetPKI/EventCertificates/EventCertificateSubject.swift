import FoundationEssentials
public import SignetCrypto

/// Who signs and which act: the merchant (company, registration number), the person
/// signing for it, and the signing event (contract number + event id) a one-time event
/// certificate is bound to.
///
/// A mainland Chinese merchant is identified by its unified social credit code (country
/// `CN`, check character verified); a merchant registered elsewhere by its national trade
/// register number and country (e.g. `HK` and a Hong Kong company number), in the same
/// ETSI EN 319 412-1 `NTR<country>-<number>` form.
public struct EventSubject: Sendable, Hashable {
    /// The merchant's registered company name (O).
    public var organizationName: String
    /// The merchant's registration number: for `countryCode` CN the 18-character unified
    /// social credit code (GB 32100-2015, check character included); elsewhere the
    /// national trade register number.
    public var registrationNumber: String
    /// The unified social credit code (the registration number of a CN merchant).
    public var unifiedSocialCreditCode: String {
        get { registrationNumber }
        set { registrationNumber = newValue }
    }
    /// The person signing for the merchant (CN).
    public var signerName: String
    /// The contract's number.
    public var contractNumber: String
    /// The signing event's identifier (unique per signing act).
    public var signingEventID: String
    /// SHA-256 of the document as prepared for signing, when known: binds the
    /// certificate to the exact bytes signed.
    public var documentSHA256: [UInt8]?
    /// Two-letter country of the merchant's registration.
    public var countryCode: String

    /// The subject of a signer at a PRC legal person identified by its unified social credit code.
    public init(
        organizationName: String, unifiedSocialCreditCode: String, signerName: String,
        contractNumber: String, signingEventID: String, documentSHA256: [UInt8]? = nil, countryCode: String = "CN"
    ) {
        self.init(organizationName: organizationName, registrationNumber: unifiedSocialCreditCode, countryCode: countryCode,
                  signerName: signerName, contractNumber: contractNumber, signingEventID: signingEventID,
                  documentSHA256: documentSHA256)
    }

    /// A merchant registered in `countryCode` under `registrationNumber` (for CN: its
    /// unified social credit code).
    public init(
        organizationName: String, registrationNumber: String, countryCode: String, signerName: String,
        contractNumber: String, signingEventID: String, documentSHA256: [UInt8]? = nil
    ) {
        self.organizationName = organizationName
        self.registrationNumber = registrationNumber
        self.signerName = signerName
        self.contractNumber = contractNumber
        self.signingEventID = signingEventID
        self.documentSHA256 = documentSHA256
        self.countryCode = countryCode
    }

    /// The certificate subject:
    /// `C=<country>, O=<company>, organizationIdentifier=NTR<country>-<code>,
    /// serialNumber=<code>, CN=<signer>, description=Contract <number>, signing event <id>`.
    /// organizationIdentifier follows ETSI EN 319 412-1 §5.1.4 (legal person, national
    /// trade register); serialNumber repeats the bare code for lookups.
    public func distinguishedName() throws -> DistinguishedName {
        try validate()
        let code = registrationNumber.uppercased()
        return try DistinguishedName([
            (.country, countryCode),
            (.organization, organizationName),
            (.organizationIdentifier, "NTR\(countryCode)-\(code)"),
            (.serialNumber, code),
            (.commonName, signerName),
            (.description, SigningEventBinding(contractNumber: contractNumber, signingEventID: signingEventID).descriptionText),
        ])
    }

    /// Checks every field; the credit code's check character included.
    public func validate() throws {
        func refuse(_ field: String, _ reason: String) -> EventCertificateError { .invalidSubject(field: field, reason: reason) }
        for (field, value) in [("organizationName", organizationName), ("signerName", signerName),
                               ("contractNumber", contractNumber), ("signingEventID", signingEventID)] {
            let trimmed = value.trimmingWhitespace()
            if trimmed.isEmpty { throw refuse(field, "must not be empty") }
            if trimmed != value { throw refuse(field, "must not start or end with white space") }
            if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                throw refuse(field, "must not contain control characters")
            }
            if value.count > 128 { throw refuse(field, "is longer than 128 characters") }
        }
        if contractNumber.contains(SigningEventBinding.separator) {
            throw refuse("contractNumber", "must not contain \"\(SigningEventBinding.separator)\"")
        }
        guard countryCode.count == 2, countryCode.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
            throw refuse("countryCode", "must be two upper-case letters")
        }
        if countryCode == "CN" {
            if let reason = UnifiedSocialCreditCode.invalidityReason(registrationNumber) {
                throw refuse("unifiedSocialCreditCode", reason)
            }
        } else {
            // Written as a PrintableString (serialNumber), so only its characters.
            let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-./")
            guard (1...64).contains(registrationNumber.count), registrationNumber.allSatisfy(allowed.contains) else {
                throw refuse("registrationNumber", "must be 1 to 64 letters, digits, '-', '.' or '/'")
            }
        }
        if let digest = documentSHA256, digest.count != 32 {
            throw refuse("documentSHA256", "must be 32 bytes")
        }
    }
}
