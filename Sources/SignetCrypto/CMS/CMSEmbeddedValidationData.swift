import SwiftASN1

/// Certificates and revocation data a detached CMS signature carries so that it verifies
/// offline (CAdES with validation data, e.g. an ASiC-E archive's `signature001.p7s`):
/// extra certificates go into SignedData `certificates`, CRLs into `crls` as
/// CertificateList and OCSP responses into `crls` as `OtherRevocationInfoFormat
/// { id-ri-ocsp-response, OCSPResponse }` (RFC 5940).
public struct CMSEmbeddedValidationData: Sendable, Hashable {
    /// Certificates beyond the signer's chain (e.g. the TSA's chain, OCSP responders).
    public var certificates: [Certificate]
    /// CertificateList DER encodings.
    public var crls: [[UInt8]]
    /// OCSPResponse DER encodings.
    public var ocspResponses: [[UInt8]]

    /// Validation data from its parts (all empty by default).
    public init(certificates: [Certificate] = [], crls: [[UInt8]] = [], ocspResponses: [[UInt8]] = []) {
        self.certificates = certificates
        self.crls = crls
        self.ocspResponses = ocspResponses
    }

    /// The `RevocationInfoChoice` elements (DER) for SignedData `crls`, duplicates dropped.
    func revocationInfoChoices() throws -> [[UInt8]] {
        var choices: [[UInt8]] = []
        for crl in crls where !choices.contains(crl) { choices.append(crl) }
        for response in ocspResponses {
            // [1] IMPLICIT OtherRevocationInfoFormat ::= SEQUENCE { otherRevInfoFormat OID, otherRevInfo ANY }
            var coder = DER.Serializer()
            try coder.appendConstructedNode(identifier: .context(1)) { coder in
                try coder.serialize(try ASN1ObjectIdentifier(dotRepresentation: CMSObjectIdentifier.ocspResponseRevocationInfo))
                coder.serializeRawBytes(response)
            }
            let choice = coder.serializedBytes
            if !choices.contains(choice) { choices.append(choice) }
        }
        return choices
    }
}
