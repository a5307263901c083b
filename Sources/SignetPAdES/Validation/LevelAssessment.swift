import SignetCrypto

/// The PAdES baseline level (ETSI EN 319 142-1 §6) a signature reaches, from what the file
/// carries intact: B-B (the CMS), B-T (a signature timestamp, or a document timestamp
/// after it), B-LT (a DSS and revocation data for every certificate of the signer's chain
/// that names a revocation service), B-LTA (a document timestamp after the DSS). PKCS#7
/// signatures (adbe.pkcs7.detached) get the same steps named PKCS7-B, -T, -LT, -LTA.
/// Trust is not part of the level; the indication says whether it is trusted.
enum LevelAssessment {
    static func level(subFilter: SignatureSubFilter?, tokens: [TokenValidation], revision: Int?,
                      assessment: CertificateAssessment?, signer: Certificate?,
                      run: DocumentValidation, assessor: CertificateAssessor) -> String? {
        guard let subFilter, subFilter != .etsiRFC3161, let signer else { return nil }
        let names = subFilter == .etsiCAdESDetached ? ["PAdES-B-B", "PAdES-B-T", "PAdES-B-LT", "PAdES-B-LTA"]
                                                    : ["PKCS7-B", "PKCS7-T", "PKCS7-LT", "PKCS7-LTA"]
        let laterTimestamps = revision.map { r in run.intactDocumentTimestampRevisions.filter { $0 > r } } ?? []
        guard tokens.contains(where: \.isIntact) || !laterTimestamps.isEmpty else { return names[0] }
        guard let dssRevision = run.firstDSSRevision, revocationDataComplete(assessment, signer: signer, assessor: assessor)
        else { return names[1] }
        guard laterTimestamps.contains(where: { $0 >= dssRevision }) else { return names[2] }
        return names[3]
    }

    /// Whether revision data for the chain is in the file: from the validated path, or, for
    /// an untrusted signer, along the chain the file's certificates form.
    private static func revocationDataComplete(_ assessment: CertificateAssessment?, signer: Certificate,
                                               assessor: CertificateAssessor) -> Bool {
        if let assessment, assessment.path != nil { return assessment.revocationDataComplete }
        let chain = assessor.work.displayChain(signer)
        for (certificate, issuer) in zip(chain, chain.dropFirst()) {
            let result = assessor.work.revocation(certificate, issuer: issuer)
            if case .unknown = result.status, result.hasRevocationPointers { return false }
        }
        return true
    }
}
