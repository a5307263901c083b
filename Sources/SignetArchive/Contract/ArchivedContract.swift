public import SignetTemplates

/// One contract's content for an archive, gathered by the service: the folder
/// `contracts/<contract_id>/` of the ASiC-E container (docs/archives.md).
public struct ArchivedContract: Sendable {
    /// `fields.json`.
    public var record: ArchivedContractRecord
    /// `audit-trail.json`: every event at export time.
    public var auditTrail: ArchivedAuditTrail
    /// `original.pdf`: the unsigned render.
    public var originalPDF: [UInt8]
    /// `signed.pdf`: the signed PDF as stored (with any long-term extensions).
    public var signedPDF: [UInt8]
    /// `evidence.pdf`: the sealed evidence report.
    public var evidencePDF: [UInt8]
    /// `verification.json`: the verify report of `signed.pdf` at export time.
    public var verificationJSON: [UInt8]
    /// `template/<name>`: the template version's files.
    public var templateFiles: [TemplateDigest.File]

    /// A contract's archive content.
    public init(record: ArchivedContractRecord, auditTrail: ArchivedAuditTrail, originalPDF: [UInt8], signedPDF: [UInt8],
                evidencePDF: [UInt8], verificationJSON: [UInt8], templateFiles: [TemplateDigest.File]) {
        self.record = record
        self.auditTrail = auditTrail
        self.originalPDF = originalPDF
        self.signedPDF = signedPDF
        self.evidencePDF = evidencePDF
        self.verificationJSON = verificationJSON
        self.templateFiles = templateFiles
    }
}
