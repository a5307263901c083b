public import FoundationEssentials
import COpenSSL

/// The basicConstraints a certificate gets (always marked critical when present).
public enum BasicConstraints: Sendable, Hashable {
    /// No basicConstraints extension (an end entity by default, RFC 5280 §4.2.1.9).
    case absent
    /// basicConstraints with cA FALSE.
    case endEntity
    /// basicConstraints with cA TRUE and an optional pathLenConstraint.
    case certificateAuthority(pathLength: Int?)
}

/// An extension given as raw DER, for anything the builder has no field for.
public struct CertificateExtension: Sendable, Hashable {
    /// Dotted OID of the extension.
    public var oid: String
    /// Whether the extension is marked critical.
    public var critical: Bool
    /// The DER encoding of the extension value (the contents of extnValue).
    public var value: [UInt8]

    /// An extension `oid` with DER `value`.
    public init(oid: String, critical: Bool, value: [UInt8]) {
        self.oid = oid
        self.critical = critical
        self.value = value
    }
}

/// What goes into a certificate: subject, key, validity and extensions. A
/// `CertificateAuthority` (or `selfSigned(with:)`) turns it into a signed X.509 v3
/// certificate, adding issuer, serial, subject and authority key identifiers.
public struct CertificateBuilder: Sendable {
    /// The subject name.
    public var subject: DistinguishedName
    /// The key the certificate certifies.
    public var publicKey: PublicKey
    /// Big-endian positive serial; nil gives a random positive 16-byte serial.
    public var serialNumber: [UInt8]?
    /// Start of the validity period (whole seconds are kept).
    public var notBefore: Date
    /// End of the validity period (whole seconds are kept).
    public var notAfter: Date
    /// basicConstraints (critical when present).
    public var basicConstraints: BasicConstraints = .endEntity
    /// keyUsage (always critical); nil leaves the extension out.
    public var keyUsage: KeyUsage?
    /// Extended key usage OIDs (see `ExtendedKeyUsage`); empty leaves the extension out.
    public var extendedKeyUsage: [String] = []
    /// Whether extKeyUsage is marked critical (RFC 3161 requires it for TSA certificates).
    public var extendedKeyUsageCritical = false
    /// cRLDistributionPoints URIs.
    public var crlDistributionPoints: [String] = []
    /// authorityInfoAccess id-ad-ocsp URIs.
    public var ocspURLs: [String] = []
    /// authorityInfoAccess id-ad-caIssuers URIs (where the issuer certificate is published).
    public var caIssuersURLs: [String] = []
    /// subjectAltName uniformResourceIdentifier entries (non-critical).
    public var subjectAlternativeURIs: [String] = []
    /// Adds id-pkix-ocsp-nocheck (for OCSP responder certificates, RFC 6960 §4.2.2.2.1).
    public var ocspNoCheck = false
    /// Further extensions, added after the ones above.
    public var additionalExtensions: [CertificateExtension] = []
    /// The digest of the certificate signature (ECDSA or RSA PKCS#1 v1.5 by the issuer's key).
    public var signatureDigest: DigestAlgorithm = .sha256

    /// A builder for an end entity without key usage; set the fields you need.
    public init(subject: DistinguishedName, publicKey: PublicKey, notBefore: Date, notAfter: Date) {
        self.subject = subject
        self.publicKey = publicKey
        self.notBefore = notBefore
        self.notAfter = notAfter
    }

    // MARK: - Profiles

    /// A signer (a person's or organization's signing certificate): keyUsage
    /// digitalSignature + nonRepudiation, cA FALSE, no EKU (so PDF validators that treat
    /// an EKU as a restriction accept it).
    public static func signer(subject: DistinguishedName, publicKey: PublicKey, notBefore: Date, notAfter: Date) -> CertificateBuilder {
        var builder = CertificateBuilder(subject: subject, publicKey: publicKey, notBefore: notBefore, notAfter: notAfter)
        builder.keyUsage = [.digitalSignature, .nonRepudiation]
        return builder
    }

    /// A CA: cA TRUE with an optional path length, keyUsage keyCertSign + cRLSign.
    public static func certificateAuthority(
        subject: DistinguishedName, publicKey: PublicKey, notBefore: Date, notAfter: Date, pathLength: Int?
    ) -> CertificateBuilder {
        var builder = CertificateBuilder(subject: subject, publicKey: publicKey, notBefore: notBefore, notAfter: notAfter)
        builder.basicConstraints = .certificateAuthority(pathLength: pathLength)
        builder.keyUsage = [.keyCertSign, .cRLSign]
        return builder
    }

    /// An RFC 3161 time-stamping unit: keyUsage digitalSignature + nonRepudiation and a
    /// critical extKeyUsage holding only id-kp-timeStamping (RFC 3161 §2.3).
    public static func timeStamping(subject: DistinguishedName, publicKey: PublicKey, notBefore: Date, notAfter: Date) -> CertificateBuilder {
        var builder = signer(subject: subject, publicKey: publicKey, notBefore: notBefore, notAfter: notAfter)
        builder.extendedKeyUsage = [ExtendedKeyUsage.timeStamping]
        builder.extendedKeyUsageCritical = true
        return builder
    }

    /// A delegated OCSP responder: keyUsage digitalSignature, extKeyUsage OCSPSigning and
    /// id-pkix-ocsp-nocheck; no CRL or OCSP pointers of its own (RFC 6960 §4.2.2.2).
    public static func ocspResponder(subject: DistinguishedName, publicKey: PublicKey, notBefore: Date, notAfter: Date) -> CertificateBuilder {
        var builder = CertificateBuilder(subject: subject, publicKey: publicKey, notBefore: notBefore, notAfter: notAfter)
        builder.keyUsage = [.digitalSignature]
        builder.extendedKeyUsage = [ExtendedKeyUsage.ocspSigning]
        builder.ocspNoCheck = true
        return builder
    }

    // MARK: - Signing

    /// Signs a self-signed certificate (a root) with `key`, which must match `publicKey`.
    public func selfSigned(with key: PrivateKey) throws -> Certificate {
        guard try key.publicKey == publicKey else {
            throw CertificateAuthorityError.keyDoesNotMatchCertificate(subject: subject.displayString)
        }
        return try sign(issuer: subject, authorityKeyIdentifier: nil, key: key)
    }

    /// Builds and signs the certificate. `authorityKeyIdentifier` nil: use the subject key
    /// identifier (self-signed).
    package func sign(issuer: DistinguishedName, authorityKeyIdentifier: [UInt8]?, key: PrivateKey) throws -> Certificate {
        guard notBefore < notAfter else {
            throw CertificateAuthorityError.invalidValidity(notBefore: notBefore, notAfter: notAfter)
        }
        let serial = try serialNumber ?? CertificateBuilder.randomSerialNumber()
        try CertificateBuilder.validate(serial: serial)
        for url in crlDistributionPoints + ocspURLs + caIssuersURLs + subjectAlternativeURIs {
            guard !url.isEmpty, url.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }), url.contains(":") else {
                throw CertificateAuthorityError.invalidURL(url)
            }
        }
        if case .certificateAuthority(let length?) = basicConstraints, length < 0 {
            throw CertificateAuthorityError.invalidPathLength(length)
        }

        let x509 = try checkNotNull(X509_new(), "X509_new")
        var owned: OpaquePointer? = x509
        defer { if let owned { X509_free(owned) } }
        try check(X509_set_version(x509, 2), "X509_set_version")
        let serialInteger = try asn1Integer(serial)
        defer { ASN1_INTEGER_free(serialInteger) }
        try check(X509_set_serialNumber(x509, serialInteger), "X509_set_serialNumber")
        try withX509Name(issuer) { try check(X509_set_issuer_name(x509, $0), "X509_set_issuer_name") }
        try withX509Name(subject) { try check(X509_set_subject_name(x509, $0), "X509_set_subject_name") }
        try check(X509_set_pubkey(x509, publicKey.pointer), "X509_set_pubkey")
        _ = try checkNotNull(ASN1_TIME_set(X509_getm_notBefore(x509), time_t(notBefore.timeIntervalSince1970.rounded(.down))), "ASN1_TIME_set")
        _ = try checkNotNull(ASN1_TIME_set(X509_getm_notAfter(x509), time_t(notAfter.timeIntervalSince1970.rounded(.down))), "ASN1_TIME_set")
        try addExtensions(to: x509, authorityKeyIdentifier: authorityKeyIdentifier)
        guard X509_sign(x509, key.pointer, signatureDigest.evpMD) > 0 else { throw OpenSSLError.drain("X509_sign") }
        owned = nil
        return try Certificate(taking: x509)
    }

    private func addExtensions(to x509: OpaquePointer, authorityKeyIdentifier: [UInt8]?) throws {
        switch basicConstraints {
        case .absent: break
        case .endEntity:
            try check(signet_pki_add_basic_constraints(x509, 0, -1, 1), "basicConstraints")
        case .certificateAuthority(let pathLength):
            try check(signet_pki_add_basic_constraints(x509, 1, Int32(pathLength ?? -1), 1), "basicConstraints")
        }
        if let keyUsage {
            try check(signet_pki_add_key_usage(x509, keyUsage.rawValue, 1), "keyUsage")
        }
        if !extendedKeyUsage.isEmpty {
            try withCStrings(extendedKeyUsage) { oids, count in
                try check(signet_pki_add_ext_key_usage(x509, oids, count, extendedKeyUsageCritical ? 1 : 0), "extKeyUsage")
            }
        }
        try check(signet_pki_add_subject_key_identifier(x509), "subjectKeyIdentifier")
        var aki = authorityKeyIdentifier
        if aki == nil {
            var hash = [UInt8](repeating: 0, count: 20)
            try check(signet_pki_public_key_sha1(x509, &hash), "X509_pubkey_digest")
            aki = hash
        }
        if let aki {
            try check(signet_pki_add_authority_key_identifier(x509, aki, Int32(aki.count)), "authorityKeyIdentifier")
        }
        if !crlDistributionPoints.isEmpty {
            try withCStrings(crlDistributionPoints) { uris, count in
                try check(signet_pki_add_crl_distribution_points(x509, uris, count), "cRLDistributionPoints")
            }
        }
        if !ocspURLs.isEmpty || !caIssuersURLs.isEmpty {
            try withCStrings(ocspURLs) { ocsp, ocspCount in
                try withCStrings(caIssuersURLs) { issuers, issuersCount in
                    try check(signet_pki_add_authority_info_access(x509, ocsp, ocspCount, issuers, issuersCount),
                              "authorityInfoAccess")
                }
            }
        }
        if !subjectAlternativeURIs.isEmpty {
            try withCStrings(subjectAlternativeURIs) { uris, count in
                try check(signet_pki_add_subject_alt_uris(x509, uris, count), "subjectAltName")
            }
        }
        if ocspNoCheck {
            try check(signet_pki_add_ocsp_nocheck(x509), "id-pkix-ocsp-nocheck")
        }
        for ext in additionalExtensions {
            try check(signet_pki_add_raw_extension(x509, ext.oid, ext.critical ? 1 : 0, ext.value, Int32(ext.value.count)),
                      "extension \(ext.oid)")
        }
    }

    /// 16 random bytes with the top bit clear and the next one set: positive, always 16
    /// bytes long when DER-encoded, 126 bits of entropy.
    static func randomSerialNumber() throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 16)
        try check(RAND_bytes(&bytes, Int32(bytes.count)), "RAND_bytes")
        bytes[0] = (bytes[0] & 0x7F) | 0x40
        return bytes
    }

    package static func validate(serial: [UInt8]) throws {
        let magnitude = serial.drop { $0 == 0 }
        guard !magnitude.isEmpty else { throw CertificateAuthorityError.invalidSerialNumber("must be positive") }
        guard magnitude.count <= 20 else { throw CertificateAuthorityError.invalidSerialNumber("longer than 20 bytes") }
    }
}

/// An ASN1_INTEGER from a big-endian magnitude; the caller frees it.
func asn1Integer(_ magnitude: [UInt8]) throws -> UnsafeMutablePointer<ASN1_INTEGER> {
    let bn = try checkNotNull(BN_bin2bn(magnitude, Int32(magnitude.count), nil), "BN_bin2bn")
    defer { BN_free(bn) }
    return try checkNotNull(BN_to_ASN1_INTEGER(bn, nil), "BN_to_ASN1_INTEGER")
}

/// Calls `body` with a temporary X509_NAME decoded from `name`.
func withX509Name<R>(_ name: DistinguishedName, _ body: (OpaquePointer) throws -> R) throws -> R {
    let x509Name = try derDecode("d2i_X509_NAME", name.der, free: X509_NAME_free) { d2i_X509_NAME(nil, $0, $1) }
    defer { X509_NAME_free(x509Name) }
    return try body(x509Name)
}

/// Calls `body` with a C array of C strings.
func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>?, Int32) throws -> R) throws -> R {
    let duplicates = strings.map { strdup($0) }
    defer { duplicates.forEach { free($0) } }
    let pointers: [UnsafePointer<CChar>?] = duplicates.map { $0.map { UnsafePointer($0) } }
    return try pointers.withUnsafeBufferPointer { try body($0.baseAddress, Int32(strings.count)) }
}
