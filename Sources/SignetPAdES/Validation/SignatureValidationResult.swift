public import FoundationEssentials

/// The validation of one signature of a PDF: an approval signature or a document timestamp.
///
/// Revisions are numbered from 1 (the original document) in reports.
public struct SignatureValidationResult: Sendable, Codable {
    /// What kind of signature dictionary this is.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// An approval (or certification) signature: `/Type /Sig`.
        case approval
        /// A document timestamp: `/Type /DocTimeStamp`, `/SubFilter /ETSI.RFC3161`.
        case documentTimestamp
    }

    /// 1-based position among the file's signatures, in the order of the revisions they sign.
    public let index: Int
    /// Approval signature or document timestamp.
    public let kind: Kind
    /// The fully qualified name of the signature field.
    public let fieldName: String?
    /// The signature dictionary's object, e.g. "12 0 R" (nil for a direct dictionary or a
    /// signature found by the raw-bytes fallback).
    public let object: String?
    /// `/SubFilter`.
    public let subFilter: String?
    /// Whether the form of the final revision still points at this signature dictionary.
    /// A signature only reachable from an earlier revision was removed or replaced later.
    public let inFinalForm: Bool
    /// Whether this is a certification (DocMDP) signature, and its permission level.
    public let certification: Certification?
    /// What the signature dictionary and the CMS claim (not proven).
    public let claims: Claims
    /// Which bytes the signature covers.
    public let coverage: Coverage
    /// The signer's certificate (for a document timestamp: the TSA's).
    public let signer: CertificateSummary?
    /// How the signer certificate is bound: "signing-certificate-v2", "signing-certificate"
    /// (ESS v1) or nil (none; allowed for adbe.pkcs7.detached only).
    public let signingCertificateBinding: String?
    /// The digest algorithm of the signed bytes (e.g. "SHA-256").
    public let digestAlgorithm: String?
    /// The signature algorithm.
    public let signatureAlgorithm: String?
    /// The chain to a trust anchor.
    public let trust: Trust
    /// The revocation status of each certificate of the chain (anchor excluded).
    public let revocation: [RevocationEntry]
    /// Signature timestamps (approval) or the token itself (document timestamp).
    public let timestamps: [TimestampResult]
    /// The earliest time at which the signature is proven to have existed, if any proof
    /// (a trusted timestamp) exists besides the validation time.
    public let proofOfExistence: ProofOfExistence?
    /// The time the certificates were judged at: the proof of existence or the validation time.
    public let bestSignatureTime: Date?
    /// What changed in the document after this signature.
    public let modifications: Modifications
    /// The PAdES (or PKCS#7) level reached, e.g. "PAdES-B-LTA"; nil when the signature failed.
    public let level: String?
    /// The verdict.
    public let indication: Indication
    /// The ETSI sub-indication, when the indication is not TOTAL_PASSED.
    public let subIndication: SubIndication?
    /// Why the verdict is not TOTAL_PASSED, in plain words (the failing and indeterminate
    /// checks, the one giving the sub-indication first).
    public let reasons: [String]
    /// Things worth knowing that do not change the verdict.
    public let warnings: [String]
    /// Every check, in the order it ran.
    public let checks: [ValidationCheck]

    init(index: Int, kind: Kind, fieldName: String?, object: String?, subFilter: String?, inFinalForm: Bool,
         certification: Certification?, claims: Claims, coverage: Coverage, signer: CertificateSummary?,
         signingCertificateBinding: String?, digestAlgorithm: String?, signatureAlgorithm: String?, trust: Trust,
         revocation: [RevocationEntry], timestamps: [TimestampResult], proofOfExistence: ProofOfExistence?,
         bestSignatureTime: Date?, modifications: Modifications, level: String?, indication: Indication,
         subIndication: SubIndication?, checks: [ValidationCheck]) {
        self.index = index
        self.kind = kind
        self.fieldName = fieldName
        self.object = object
        self.subFilter = subFilter
        self.inFinalForm = inFinalForm
        self.certification = certification
        self.claims = claims
        self.coverage = coverage
        self.signer = signer
        self.signingCertificateBinding = signingCertificateBinding
        self.digestAlgorithm = digestAlgorithm
        self.signatureAlgorithm = signatureAlgorithm
        self.trust = trust
        self.revocation = revocation
        self.timestamps = timestamps
        self.proofOfExistence = proofOfExistence
        self.bestSignatureTime = bestSignatureTime
        self.modifications = modifications
        self.level = level
        self.indication = indication
        self.subIndication = subIndication
        self.checks = checks
        let problems = checks.filter { $0.outcome == .failed || $0.outcome == .indeterminate }
        let leading = problems.filter { $0.subIndication == subIndication }
        reasons = (leading + problems.filter { $0.subIndication != subIndication }).map(\.message)
        warnings = checks.filter { $0.outcome == .warning }.map(\.message)
    }
}

extension SignatureValidationResult {
    /// A certification signature's DocMDP permissions (ISO 32000-2 §12.8.2.2).
    public struct Certification: Sendable, Hashable, Codable {
        /// 1: no changes; 2: form filling and signing; 3: also annotations.
        public let permissions: Int
    }

    /// What the signature dictionary and the CMS say about themselves. None of it is proof.
    public struct Claims: Sendable, Hashable, Codable {
        /// `/M`, the signing time claimed by the signer's software.
        public let signingTime: Date?
        /// `/M` as written.
        public let signingTimeText: String?
        /// The CMS signing-time attribute, if any (PAdES forbids it; PKCS#7 signers use it).
        public let cmsSigningTime: Date?
        /// `/Name`.
        public let name: String?
        /// `/Reason`.
        public let reason: String?
        /// `/Location`.
        public let location: String?
        /// `/ContactInfo`.
        public let contactInfo: String?

        /// The claimed signing time: `/M`, else the CMS signing-time.
        public var bestClaimedTime: Date? { signingTime ?? cmsSigningTime }
    }

    /// Which bytes a signature covers.
    public struct Coverage: Sendable, Hashable, Codable {
        /// The extent of what is covered.
        public enum Kind: String, Sendable, Hashable, Codable {
            /// Everything in the file except its own /Contents.
            case entireFile
            /// Its whole revision; later revisions follow (see `modifications`).
            case entireRevision
            /// Anything else: the signature does not protect a well-defined document.
            case anomalous
        }

        /// The extent of what is covered.
        public let kind: Kind
        /// `/ByteRange` as written (when it is an array of integers).
        public let byteRange: [Int]?
        /// The revision the signature signs (1-based), when the ranges end at one.
        public let signedRevision: Int?
        /// How many revisions the file has.
        public let revisionCount: Int
        /// Bytes covered by the ranges.
        public let signedBytes: Int?
        /// The file size.
        public let fileSize: Int
        /// In plain words.
        public let description: String
    }

    /// The chain from the signer to a trust anchor.
    public struct Trust: Sendable, Hashable, Codable {
        /// Whether the chain reaches a trust anchor.
        public enum Status: String, Sendable, Hashable, Codable {
            /// A chain to a given trust anchor was built and its constraints hold.
            case trusted
            /// No acceptable chain to a trust anchor.
            case untrusted
            /// Not examined (an earlier check failed).
            case notChecked
        }

        /// Whether the chain reaches a trust anchor.
        public let status: Status
        /// Leaf first. For a trusted chain it ends with the anchor as supplied; otherwise it
        /// is the chain as far as the file's certificates go.
        public let chain: [CertificateSummary]
        /// The anchor the chain ends at, when trusted.
        public let anchor: CertificateSummary?
        /// In plain words.
        public let message: String
    }

    /// The revocation status of one certificate, from data embedded in the file.
    public struct RevocationEntry: Sendable, Hashable, Codable {
        /// What the embedded revocation data says.
        public enum Status: String, Sendable, Hashable, Codable {
            /// A CRL or OCSP response says the certificate is not revoked.
            case good
            /// A CRL or OCSP response says it is revoked.
            case revoked
            /// No usable data, and the certificate names revocation services.
            case unknown
            /// No usable data, and the certificate names no revocation service (nothing to check).
            case noRevocationService
            /// Not subject to checking (an OCSP responder certificate with ocsp-nocheck).
            case exempt
        }

        /// The certificate's subject.
        public let certificate: String
        /// A short name for it (common name, else organization).
        public let name: String
        /// Its serial number (upper-case hex).
        public let serialNumber: String
        /// What the embedded revocation data says.
        public let status: Status
        /// The CRL or OCSP response the status rests on.
        public let source: String?
        /// The evidence's thisUpdate.
        public let thisUpdate: Date?
        /// The evidence's nextUpdate, if it has one.
        public let nextUpdate: Date?
        /// When it was revoked, for `revoked`.
        public let revocationTime: Date?
        /// Why, for `revoked` (RFC 5280 reason name).
        public let revocationReason: String?
        /// Whether the data was current (thisUpdate ≤ validation time ≤ nextUpdate). Reported,
        /// not required.
        public let freshAtValidationTime: Bool?
        /// Every source looked at and why it did or did not count.
        public let notes: [String]
    }

    /// One RFC 3161 timestamp token.
    public struct TimestampResult: Sendable, Hashable, Codable {
        /// Which kind of timestamp.
        public enum Kind: String, Sendable, Hashable, Codable {
            /// Over the signature value (an unsigned attribute of the CMS).
            case signatureTimestamp
            /// A document timestamp (its own signature dictionary).
            case documentTimestamp
        }

        /// Whether the token is usable as proof of existence.
        public enum Status: String, Sendable, Hashable, Codable {
            /// Intact, and its TSA chains to a trust anchor: a proof of existence.
            case valid
            /// Intact, but its TSA is not trusted (or lacks revocation data): ignored as proof.
            case untrusted
            /// Broken or not covering what it should: ignored as proof.
            case invalid
        }

        /// Which kind of timestamp.
        public let kind: Kind
        /// Whether the token is usable as proof of existence.
        public let status: Status
        /// The time the TSA asserts (genTime).
        public let time: Date?
        /// The TSA's certificate.
        public let tsa: CertificateSummary?
        /// The TSA policy OID.
        public let policy: String?
        /// The token serial number (upper-case hex).
        public let serialNumber: String?
        /// In plain words.
        public let message: String
    }

    /// A proof that the signature existed at some time.
    public struct ProofOfExistence: Sendable, Hashable, Codable {
        /// The proven time.
        public let time: Date
        /// Where the proof comes from, e.g. "signature timestamp by CN=TSA".
        public let source: String
    }

    /// What changed after the signature, as the modification analysis found it.
    public struct Modifications: Sendable, Hashable, Codable {
        /// The overall judgement of the later revisions.
        public enum Verdict: String, Sendable, Hashable, Codable {
            /// Nothing follows the signature.
            case untouched
            /// Only allowed changes follow (DSS, document timestamps, further signatures).
            case allowed
            /// Something else changed.
            case disallowed
            /// Not analysed (the signature's revision is unknown).
            case notAnalyzed
        }

        /// One change.
        public struct Finding: Sendable, Hashable, Codable {
            /// The revision that made it (1-based).
            public let revision: Int
            /// The object, e.g. "12 0 R", when the change is about one.
            public let object: String?
            /// The category, e.g. "dss", "pageContent", "annotation".
            public let category: String
            /// Whether the policy allows it after a signature.
            public let allowed: Bool
            /// In plain words.
            public let message: String
        }

        /// The overall judgement of the later revisions.
        public let verdict: Verdict
        /// How many revisions follow the signature's own.
        public let laterRevisions: Int
        /// The categories of change found.
        public let categories: [String]
        /// Every change found, in revision order.
        public let findings: [Finding]
    }
}
