public import FoundationEssentials
public import SignetCrypto
public import SignetPDF

/// The time at which signatures are judged.
public enum ValidationTimeSetting: Sendable, Hashable, Codable {
    /// The current time (the default: "is this signature good now?").
    case current
    /// A fixed time, e.g. `signet verify --at 2030-01-01T00:00:00Z`.
    case fixed(Date)
    /// Each signature at the signing time it claims (`/M`, or a CMS signing-time), each
    /// document timestamp at its own time; the current time when nothing is claimed.
    /// Claims are not proof: this answers "was it good when it says it was made?".
    case claimedSigningTime

    /// Reads a time as people and scripts write it (`signet verify --at`): `claimed`, an
    /// ISO 8601 time with or without fractional seconds and offset, or a bare date (midnight
    /// UTC). Nil for anything else.
    public init?(parsing text: String) {
        if text == "claimed" {
            self = .claimedSigningTime
        } else if let date = TimeText.parse(text) {
            self = .fixed(date)
        } else {
            return nil
        }
    }
}

/// What a validation trusts and requires.
///
/// Nothing is trusted unless given: no system store, no certificate found in the file.
public struct ValidationOptions: Sendable {
    /// The trust anchors, matched by subject and public key (a re-issued copy of an
    /// anchor counts as the anchor).
    public var trustAnchors: [Certificate]
    /// When signatures are judged.
    public var validationTime: ValidationTimeSetting
    /// Whether every non-anchor certificate that names a CRL distribution point or an OCSP
    /// responder needs revocation data in the file (DSS, CMS, adbe-revocationInfoArchival).
    /// Revocation data that *is* present always counts, even when this is off.
    public var requireRevocationData: Bool
    /// Limits for reading the PDF.
    public var readOptions: PDFReadOptions
    /// Most signature dictionaries examined in one file (hostile files may hold millions).
    public var maximumSignatures: Int
    /// The clock used for `.current` (tests inject one).
    public var clock: @Sendable () -> Date
    /// Where certificates met in the file are parsed. nil (the default): each validation
    /// gets its own, gone when it ends. A service validating many files of the same PKI may
    /// own one bounded cache and pass it to every validation: the CA certificates are then
    /// parsed once and their signature checks remembered (docs/benchmarks.md, "CRL index").
    public var certificateCache: CertificateCache?

    /// Options trusting exactly `trustAnchors`; by default judged now, with revocation data required.
    public init(trustAnchors: [Certificate] = [], validationTime: ValidationTimeSetting = .current,
                requireRevocationData: Bool = true, readOptions: PDFReadOptions = .default,
                maximumSignatures: Int = 200, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.trustAnchors = trustAnchors
        self.validationTime = validationTime
        self.requireRevocationData = requireRevocationData
        self.readOptions = readOptions
        self.maximumSignatures = maximumSignatures
        self.clock = clock
    }
}
