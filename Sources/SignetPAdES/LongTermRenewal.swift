public import FoundationEssentials
public import SignetCrypto

/// PAdES B-LTA renewal (ETSI EN 319 142-1 §5.5; `signet extend`, and the service on a
/// schedule): before the newest timestamp's TSA certificate expires, add the validation
/// data that timestamp (and anything else still lacking it) needs, then a new document
/// timestamp over the whole file. The earlier evidence stays untouched: the new timestamp
/// proves it existed while it was still valid.
///
/// A file is extended only if it verifies now: every signature and document timestamp
/// TOTAL_PASSED (`ValidationReport.Outcome.passed`) under `validation` (its trust anchors,
/// revocation policy and clock). A broken, tampered, untrusted or already lapsed file is
/// refused as it is, and so is a result that would not verify: nothing half-done is ever
/// returned.
///
/// ```swift
/// let renewal = LongTermRenewal(timestampProvider: try keys.makeTimeStampAuthority(),
///                               revocationSource: KeyDirectoryRevocationSource(keys: keys),
///                               validation: ValidationOptions(trustAnchors: [keys.root]))
/// let extended = try await renewal.extend(pdf).pdf
/// let outcomes = await renewal.renewDue(contracts, withinDays: 90)
/// ```
public struct LongTermRenewal: Sendable {
    /// The TSA of the new document timestamp.
    public let timestampProvider: any TimeStampProvider
    /// Chains and revocation data for the signatures and timestamps lacking them.
    public let revocationSource: any RevocationDataSource
    /// What a file must pass before and after renewal; always judged at `validation.clock()`.
    public let validation: ValidationOptions

    /// A renewal with these sources, accepting files that pass `validation` now.
    public init(timestampProvider: any TimeStampProvider, revocationSource: any RevocationDataSource, validation: ValidationOptions) {
        self.timestampProvider = timestampProvider
        self.revocationSource = revocationSource
        var options = validation
        options.validationTime = .current
        self.validation = options
    }

    /// What one renewal did.
    public struct Extension: Sendable {
        /// The renewed file: the input's bytes followed by one or two incremental updates.
        public let pdf: [UInt8]
        /// Whether a DSS update with new validation data was written (nothing lacked it otherwise).
        public let addedValidationData: Bool
        /// The newest timestamp before renewal.
        public let previous: NewestTimestamp?
        /// The new document timestamp.
        public let added: NewestTimestamp?
    }

    /// The newest timestamp of a file: its last document timestamp, or the signature
    /// timestamp of the last signature when that signature follows every document timestamp.
    public struct NewestTimestamp: Sendable, Hashable {
        /// When the TSA says it was made.
        public let time: Date?
        /// The TSA's certificate.
        public let tsa: CertificateSummary
        /// Whether it is a document timestamp (otherwise a signature timestamp).
        public let isDocumentTimestamp: Bool

        /// When the proof it gives must have been renewed: its TSA certificate's end.
        public var expiry: Date { tsa.notAfter }
    }

    /// Renews `pdf`: validation data for every signature and timestamp without a VRI entry
    /// (always including the newest document timestamp), then a document timestamp.
    public func extend(_ pdf: [UInt8]) async throws(LongTermRenewalError) -> Extension {
        try await extend(pdf, verified: try verified(pdf, stage: .input))
    }

    /// Renews `pdf`, whose report `before` passed.
    func extend(_ pdf: [UInt8], verified before: ValidationReport) async throws(LongTermRenewalError) -> Extension {
        let withData: [UInt8]
        let stamped: [UInt8]
        do {
            withData = try await LTVExtender(source: revocationSource).addValidationData(to: pdf)
            stamped = try await DocumentTimestamper(provider: timestampProvider).timestamp(withData)
        } catch let error as PAdESError {
            throw .extensionFailed(error.description)
        } catch {
            throw .extensionFailed("\(error)")
        }
        let after = try verified(stamped, stage: .result)
        return Extension(pdf: stamped, addedValidationData: withData.count != pdf.count,
                         previous: Self.newestTimestamp(in: before), added: Self.newestTimestamp(in: after))
    }

    /// The newest timestamp of `pdf` as the validator sees it now (nil when it has none),
    /// or why the file cannot be renewed.
    public func newestTimestamp(of pdf: [UInt8]) throws(LongTermRenewalError) -> NewestTimestamp? {
        Self.newestTimestamp(in: try verified(pdf, stage: .input))
    }

    /// The report of `pdf` now; throws unless it passed.
    func verified(_ pdf: [UInt8], stage: LongTermRenewalError.Stage) throws(LongTermRenewalError) -> ValidationReport {
        let report = PDFSignatureValidator(options: validation).validate(pdf: pdf)
        guard report.outcome == .passed else {
            let failing = report.signatures.filter { $0.indication != .totalPassed }.map { signature in
                "\(signature.fieldName ?? "signature \(signature.index)"): \(signature.indication.rawValue)"
                    + (signature.subIndication.map { "/\($0.rawValue)" } ?? "")
            }
            throw .doesNotVerify(stage: stage, outcome: report.outcome.rawValue, details: failing.isEmpty ? report.summary : failing.joined(separator: "; "))
        }
        return report
    }

    static func newestTimestamp(in report: ValidationReport) -> NewestTimestamp? {
        guard let last = report.signatures.last else { return nil }
        let isDocumentTimestamp = last.kind == .documentTimestamp
        let kind: SignatureValidationResult.TimestampResult.Kind = isDocumentTimestamp ? .documentTimestamp : .signatureTimestamp
        guard let stamp = last.timestamps.filter({ $0.kind == kind }).max(by: { ($0.time ?? .distantPast) < ($1.time ?? .distantPast) }),
              let tsa = stamp.tsa ?? (isDocumentTimestamp ? last.signer : nil) else { return nil }
        return NewestTimestamp(time: stamp.time, tsa: tsa, isDocumentTimestamp: isDocumentTimestamp)
    }
}
