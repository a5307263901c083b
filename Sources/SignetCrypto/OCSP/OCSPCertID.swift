import COpenSSL

/// An OCSP CertID (RFC 6960 §4.1.1): which certificate, named by its issuer's name and
/// key hashes and its serial number.
public struct OCSPCertID: Sendable, Hashable, CustomStringConvertible {
    /// Dotted OID of the hash algorithm (SHA-1 in most requests, SHA-256 in some).
    public let hashAlgorithmOID: String
    /// Hash of the issuer's distinguished name (DER).
    public let issuerNameHash: [UInt8]
    /// Hash of the issuer's subjectPublicKey BIT STRING value.
    public let issuerKeyHash: [UInt8]
    /// The certificate's serial number, big-endian without leading zeros.
    public let serialNumber: [UInt8]

    /// The hash algorithm, when Signet supports it.
    public var hashAlgorithm: DigestAlgorithm? { DigestAlgorithm(oid: hashAlgorithmOID) }

    /// The CertID for `certificate` issued by `issuer`.
    public init(certificate: Certificate, issuer: Certificate, hashAlgorithm: DigestAlgorithm = .sha1) throws {
        self.init(hashAlgorithmOID: hashAlgorithm.oid,
                  issuerNameHash: hashAlgorithm.hash(issuer.subject.der),
                  issuerKeyHash: hashAlgorithm.hash(try issuer.subjectPublicKeyBits()),
                  serialNumber: certificate.serialNumber)
    }

    init(hashAlgorithmOID: String, issuerNameHash: [UInt8], issuerKeyHash: [UInt8], serialNumber: [UInt8]) {
        self.hashAlgorithmOID = hashAlgorithmOID
        self.issuerNameHash = issuerNameHash
        self.issuerKeyHash = issuerKeyHash
        self.serialNumber = normalizedSerial(serialNumber)
    }

    /// Reads an OCSP_CERTID.
    init(_ cid: OpaquePointer) throws {
        var nameHash: UnsafeMutablePointer<ASN1_OCTET_STRING>?
        var algorithm: OpaquePointer?
        var keyHash: UnsafeMutablePointer<ASN1_OCTET_STRING>?
        var serial: UnsafeMutablePointer<ASN1_INTEGER>?
        try check(OCSP_id_get0_info(&nameHash, &algorithm, &keyHash, &serial, cid), "OCSP_id_get0_info")
        guard let nameHash, let algorithm, let keyHash, let serial else {
            throw CryptoError.malformed("OCSP CertID with missing fields")
        }
        self.init(hashAlgorithmOID: objectIdentifierString(algorithm), issuerNameHash: asn1StringBytes(nameHash),
                  issuerKeyHash: asn1StringBytes(keyHash), serialNumber: try integerBytes(serial))
    }

    /// Whether the name and key hashes are those of `issuer`.
    public func isIssued(by issuer: Certificate) -> Bool {
        guard let algorithm = hashAlgorithm, let keyBits = try? issuer.subjectPublicKeyBits() else { return false }
        return algorithm.hash(issuer.subject.der) == issuerNameHash && algorithm.hash(keyBits) == issuerKeyHash
    }

    /// Whether this CertID names `certificate` issued by `issuer`.
    public func matches(certificate: Certificate, issuer: Certificate) -> Bool {
        serialNumber == normalizedSerial(certificate.serialNumber) && isIssued(by: issuer)
    }

    /// Serial number and issuer key hash.
    public var description: String {
        "CertID(serial \(serialNumber.hexString.uppercased()), issuer key hash \(issuerKeyHash.hexString))"
    }
}

extension Certificate {
    /// The subjectPublicKey BIT STRING value (what key identifiers and OCSP key hashes cover).
    func subjectPublicKeyBits() throws -> [UInt8] {
        let bits = try checkNotNull(X509_get0_pubkey_bitstr(pointer), "X509_get0_pubkey_bitstr")
        return asn1StringBytes(bits)
    }
}
