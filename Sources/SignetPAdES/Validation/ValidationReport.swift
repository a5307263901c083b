public import FoundationEssentials

/// The result of validating every signature of one PDF.
///
/// Versioned: `schemaVersion` changes when the JSON form (docs/verify-report.md) changes
/// incompatibly; fields may be added without a change (`indication` became always present
/// and `file.damage` was added within version 1).
public struct ValidationReport: Sendable, Codable {
    /// The JSON schema version of this report.
    public static let currentSchemaVersion = 1

    /// The overall outcome, which also decides `signet verify`'s exit status.
    public enum Outcome: String, Sendable, Hashable, Codable {
        /// Every signature is TOTAL_PASSED.
        case passed
        /// At least one signature is TOTAL_FAILED.
        case failed
        /// At least one signature is INDETERMINATE and none failed.
        case indeterminate
        /// The file is a readable PDF without any signature: nothing is proven.
        case noSignature
        /// The file is not a PDF, or cannot be read and no signature could be found in it.
        case unreadable

        /// The exit status of `signet verify` for this outcome.
        public var exitStatus: Int32 {
            switch self {
            case .passed: 0
            case .failed: 1
            case .indeterminate: 2
            case .noSignature: 3
            case .unreadable: 4
            }
        }
    }

    /// The file that was examined.
    public struct FileSummary: Sendable, Hashable, Codable {
        /// As given by the caller (e.g. the path), if any.
        public let name: String?
        /// Size in bytes.
        public let size: Int
        /// SHA-256 of the whole file, lower-case hex.
        public let sha256: String
        /// The `%PDF-x.y` header version, when readable.
        public let pdfVersion: String?
        /// The number of revisions (the original plus incremental updates), when readable.
        public let revisions: Int?
        /// Whether the PDF structure could be read. When false, signatures were found by
        /// scanning the raw bytes and can only fail.
        public let structureReadable: Bool
        /// Why the structure could not be read.
        public let structureProblem: String?
        /// The stable code of that problem (`PDFError.code`, e.g. `pdf.missing_startxref`;
        /// docs/error-codes.md).
        public let structureProblemCode: String?
        /// How the file is damaged, in plain words (cut short, bytes after the last revision
        /// that are not a well-formed update, an unreadable structure); nil when it is not.
        /// A damaged file never passes.
        public let damage: String?
        /// Deviations from ISO 32000 the reader tolerated.
        public let anomalies: [String]
    }

    /// What the validation trusted and required.
    public struct Policy: Sendable, Hashable, Codable {
        /// The trust anchors given.
        public let trustAnchors: [CertificateSummary]
        /// "current", "fixed" or "claimed".
        public let validationTimeMode: String
        /// Whether revocation data was required for certificates that name revocation services.
        public let revocationDataRequired: Bool
    }

    /// The JSON schema version (`currentSchemaVersion`).
    public let schemaVersion: Int
    /// The Signet library that produced the report.
    public let generator: String
    /// The file that was examined.
    public let file: FileSummary
    /// The validation time (for `claimedSigningTime`, the time the report was made; each
    /// signature lists the time it was judged at).
    public let validationTime: Date
    /// What was trusted and required.
    public let policy: Policy
    /// The overall outcome (and exit status).
    public let outcome: Outcome
    /// The verdict on the file, always present: the worst indication among the signatures,
    /// and TOTAL_FAILED for a file without any signature (nothing is proven, and no further
    /// information can change that) or one that cannot be read.
    public let indication: Indication
    /// The sub-indication of the first signature with the worst indication; FORMAT_FAILURE
    /// for a file without signatures or that cannot be read; nil for TOTAL_PASSED.
    public let subIndication: SubIndication?
    /// Approval signatures and document timestamps, in the order of the revisions they sign.
    public let signatures: [SignatureValidationResult]
    /// One sentence for people.
    public let summary: String

    /// The exit status of `signet verify`.
    public var exitStatus: Int32 { outcome.exitStatus }
}

extension ValidationReport {
    fileprivate enum CodingKeys: String, CodingKey {
        case schemaVersion, generator, file, validationTime, policy, outcome, indication, subIndication, signatures, summary
    }

    /// Decodes a report; one written before `indication` was always present (a file
    /// without signatures, or unreadable) reads as TOTAL_FAILED / FORMAT_FAILURE.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try container.decode(Int.self, forKey: .schemaVersion)
        generator = try container.decode(String.self, forKey: .generator)
        file = try container.decode(FileSummary.self, forKey: .file)
        validationTime = try container.decode(Date.self, forKey: .validationTime)
        policy = try container.decode(Policy.self, forKey: .policy)
        outcome = try container.decode(Outcome.self, forKey: .outcome)
        signatures = try container.decode([SignatureValidationResult].self, forKey: .signatures)
        summary = try container.decode(String.self, forKey: .summary)
        let stored = try container.decodeIfPresent(Indication.self, forKey: .indication)
        indication = stored ?? .totalFailed
        subIndication = try container.decodeIfPresent(SubIndication.self, forKey: .subIndication) ?? (stored == nil ? .formatFailure : nil)
    }
}
