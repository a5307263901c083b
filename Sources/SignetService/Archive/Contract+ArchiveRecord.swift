public import SignetArchive
import SignetTemplates

extension Contract {
    /// The contract as `fields.json` of an archive records it: the exact fill and metadata it
    /// was rendered from, its signers and digests, with the clock offset the service prints
    /// times in (`ServiceConfiguration.utcOffsetSeconds`).
    public func archiveRecord(utcOffsetSeconds: Int) -> ArchivedContractRecord {
        ArchivedContractRecord(
            contractID: id, merchantID: merchantID, number: number, title: title, locale: locale,
            template: .init(id: template.id, version: template.version, digest: template.digest),
            issuedAt: issuedAt, utcOffsetSeconds: utcOffsetSeconds,
            fill: fill ?? fields.mapValues { JSONValue.string($0) }, fields: fields,
            originalSHA256: original.sha256, signedSHA256: signed?.sha256, state: state.rawValue, completedAt: completedAt,
            signers: signers.map {
                .init(role: $0.role.rawValue, method: $0.method.rawValue, name: $0.name, state: $0.state.rawValue,
                      signedAt: $0.signedAt, certificateSerial: $0.certificateSerial)
            },
            auditHead: auditHead)
    }
}
