public import FoundationEssentials

/// At which time certificates must be valid.
public enum ValidationTime: Sendable {
    /// Every certificate of the path must be valid at this time.
    case at(Date)
    /// Validity periods are not checked: the path is built and everything else is
    /// checked, so the caller can apply proof-of-existence logic itself
    /// (see `CertificatePath.validityProblems(at:)`).
    case notChecked
    /// A time per certificate, e.g. the signature timestamp for the signer and the
    /// archive timestamp for the CAs; `depth` 0 is the leaf. nil skips that certificate.
    case perCertificate(@Sendable (_ certificate: Certificate, _ depth: Int) -> Date?)
}

/// What the leaf's keyUsage must allow. A certificate without a keyUsage extension is
/// unrestricted (RFC 5280 §4.2.1.3) and passes.
public enum KeyUsageRequirement: Sendable, Hashable {
    /// No requirement.
    case none
    /// At least one of these bits (e.g. digitalSignature or nonRepudiation for signers).
    case anyOf(KeyUsage)
    /// All of these bits.
    case allOf(KeyUsage)
}

/// What the leaf's extKeyUsage must hold.
public struct ExtendedKeyUsageRequirement: Sendable, Hashable {
    /// The required key purpose OID (see `ExtendedKeyUsage`).
    public var oid: String
    /// The extension must be marked critical (RFC 3161 §2.3 for TSAs).
    public var mustBeCritical: Bool
    /// The purpose must be the only one listed (RFC 3161 §2.3 for TSAs).
    public var mustBeOnlyPurpose: Bool

    /// A requirement for extended key usage `oid`, optionally critical and the only purpose.
    public init(oid: String, mustBeCritical: Bool = false, mustBeOnlyPurpose: Bool = false) {
        self.oid = oid
        self.mustBeCritical = mustBeCritical
        self.mustBeOnlyPurpose = mustBeOnlyPurpose
    }
}

/// The rules a certification path is validated against.
public struct PathValidationPolicy: Sendable {
    /// When the certificates must be valid.
    public var time: ValidationTime
    /// What the leaf's keyUsage must allow.
    public var leafKeyUsage: KeyUsageRequirement = .none
    /// Required extended key usage of the leaf; nil: none required (an EKU present is
    /// then not a restriction Signet enforces).
    public var leafExtendedKeyUsage: ExtendedKeyUsageRequirement?
    /// Whether the trust anchor's own validity period is checked when it is not the
    /// leaf. RFC 5280 treats the anchor as trusted input with no validity (the default);
    /// a self-signed leaf that is itself the anchor is always checked.
    public var checkAnchorValidity = false
    /// Longest path considered, anchor included.
    public var maximumPathLength = 10

    /// A policy with validity at `time` and the given leaf usage requirements.
    public init(time: ValidationTime, leafKeyUsage: KeyUsageRequirement = .none,
                leafExtendedKeyUsage: ExtendedKeyUsageRequirement? = nil) {
        self.time = time
        self.leafKeyUsage = leafKeyUsage
        self.leafExtendedKeyUsage = leafExtendedKeyUsage
    }

    /// A document signer: keyUsage digitalSignature or nonRepudiation.
    public static func signing(at time: ValidationTime) -> PathValidationPolicy {
        PathValidationPolicy(time: time, leafKeyUsage: .anyOf([.digitalSignature, .nonRepudiation]))
    }

    /// An RFC 3161 TSA: extKeyUsage timeStamping, critical and alone; keyUsage
    /// digitalSignature or nonRepudiation.
    public static func timeStamping(at time: ValidationTime) -> PathValidationPolicy {
        PathValidationPolicy(time: time, leafKeyUsage: .anyOf([.digitalSignature, .nonRepudiation]),
                             leafExtendedKeyUsage: ExtendedKeyUsageRequirement(oid: ExtendedKeyUsage.timeStamping,
                                                                               mustBeCritical: true, mustBeOnlyPurpose: true))
    }

    /// A delegated OCSP responder: extKeyUsage OCSPSigning, keyUsage digitalSignature.
    public static func ocspSigning(at time: ValidationTime) -> PathValidationPolicy {
        PathValidationPolicy(time: time, leafKeyUsage: .anyOf([.digitalSignature, .nonRepudiation]),
                             leafExtendedKeyUsage: ExtendedKeyUsageRequirement(oid: ExtendedKeyUsage.ocspSigning))
    }
}
