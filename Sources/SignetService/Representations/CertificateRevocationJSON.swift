import FoundationEssentials
import SignetCrypto

/// `POST /v1/certificates/{serial}/revoke`'s answer: the revocation as the CA's registry
/// records it (what OCSP and the CRL report from then on, on every instance).
package struct CertificateRevocationJSON: Encodable, Sendable {
    package let revocation: CertificateRevocation

    package init(revocation: CertificateRevocation) { self.revocation = revocation }

    enum CodingKeys: String, CodingKey {
        case object, serial, status, revokedAt = "revoked_at", reason
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("certificate_revocation", forKey: .object)
        try container.encode(revocation.serial, forKey: .serial)
        try container.encode("revoked", forKey: .status)
        try container.encode(APITime.string(revocation.revokedAt), forKey: .revokedAt)
        if let reason = revocation.reason {
            try container.encode(reason.name, forKey: .reason)
        } else {
            try container.encodeNil(forKey: .reason)
        }
    }
}
