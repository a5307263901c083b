public import FoundationEssentials
public import SignetCrypto

/// CRLs and OCSP responses proving the status of some certificates: what a PAdES B-LT
/// signature puts in its DSS (`der` of each).
public struct RevocationMaterial: Sendable {
    /// Fresh CRLs of the CAs concerned.
    public var crls: [CertificateRevocationList]
    /// OCSP responses about the certificates.
    public var ocspResponses: [OCSPResponse]

    /// Material made of these CRLs and responses.
    public init(crls: [CertificateRevocationList] = [], ocspResponses: [OCSPResponse] = []) {
        self.crls = crls
        self.ocspResponses = ocspResponses
    }
}

extension KeyDirectory {
    /// Revocation material for `certificates` (e.g. an event certificate and its chain, the
    /// seal, the TSA), produced locally without any network:
    /// - for each certificate issued by the issuing CA (except the nocheck OCSP
    ///   responder): an OCSP response from the delegated responder at `date`, and the
    ///   issuing CA's CRL (`currentIssuingCRL(at:)`: at most an hour old, re-issued
    ///   otherwise or after a revocation);
    /// - for the issuing CA certificate: the root CRL.
    /// Certificates of other CAs and the root itself get nothing.
    public func revocationMaterial(for certificates: [Certificate], at date: Date = Date()) async throws -> RevocationMaterial {
        try await revocationMaterial(for: certificates, at: date, responder: try makeOCSPResponder()) {
            try currentIssuingCRL(at: $0)
        }
    }

    /// The material of `revocationMaterial(for:at:)` from `responder` and the issuing CA's CRL
    /// `issuingCRL` gives for a date (the key directory's files, or a `SharedPKIState`'s registry).
    func revocationMaterial(
        for certificates: [Certificate], at date: Date, responder: OCSPResponder,
        issuingCRL: (Date) async throws -> CertificateRevocationList
    ) async throws -> RevocationMaterial {
        var material = RevocationMaterial()
        let issuing = issuingAuthority.certificate
        var seen = Set<ByteKey>()
        let issuedHere = certificates.filter { seen.insert(ByteKey($0.der)).inserted }
            .filter { $0.isIssued(by: issuing) && !($0.hasOCSPNoCheck && $0.extendedKeyUsage.contains(ExtendedKeyUsage.ocspSigning)) }
        if !issuedHere.isEmpty {
            let request = try OCSPRequest(certificates: issuedHere.map { ($0, issuing) }, nonce: nil)
            let response = try OCSPResponse(der: await responder.respond(to: request.der, at: date))
            guard response.status == .successful else { throw OCSPError.unsuccessful(response.status) }
            material.ocspResponses.append(response)
            material.crls.append(try await issuingCRL(date))
        }
        if certificates.contains(where: { $0 == issuing || ($0.hasSameSubjectAndKey(as: issuing) && $0.isIssued(by: root)) }) {
            material.crls.append(try rootCRL())
        }
        return material
    }
}
