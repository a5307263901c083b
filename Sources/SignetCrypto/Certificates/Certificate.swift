public import FoundationEssentials
import Glibc
import COpenSSL

/// The key usage bits of a certificate (RFC 5280 §4.2.1.3).
public struct KeyUsage: OptionSet, Sendable, Hashable {
    /// The bits as OpenSSL numbers them (X509v3_KU_*).
    public let rawValue: UInt32
    /// Usage bits from OpenSSL's numbering.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// digitalSignature (bit 0).
    public static let digitalSignature = KeyUsage(rawValue: 0x0080)
    /// Also called contentCommitment.
    public static let nonRepudiation = KeyUsage(rawValue: 0x0040)
    /// keyEncipherment (bit 2).
    public static let keyEncipherment = KeyUsage(rawValue: 0x0020)
    /// dataEncipherment (bit 3).
    public static let dataEncipherment = KeyUsage(rawValue: 0x0010)
    /// keyAgreement (bit 4).
    public static let keyAgreement = KeyUsage(rawValue: 0x0008)
    /// keyCertSign (bit 5): may sign certificates.
    public static let keyCertSign = KeyUsage(rawValue: 0x0004)
    /// cRLSign (bit 6): may sign CRLs.
    public static let cRLSign = KeyUsage(rawValue: 0x0002)
    /// encipherOnly (bit 7).
    public static let encipherOnly = KeyUsage(rawValue: 0x0001)
    /// decipherOnly (bit 8).
    public static let decipherOnly = KeyUsage(rawValue: 0x8000)
}

/// Well-known extended key usage OIDs.
public enum ExtendedKeyUsage {
    /// id-kp-timeStamping (RFC 3161 TSA certificates).
    public static let timeStamping = "1.3.6.1.5.5.7.3.8"
    /// id-kp-OCSPSigning (delegated OCSP responders).
    public static let ocspSigning = "1.3.6.1.5.5.7.3.9"
    /// id-kp-codeSigning.
    public static let codeSigning = "1.3.6.1.5.5.7.3.3"
    /// id-kp-emailProtection.
    public static let emailProtection = "1.3.6.1.5.5.7.3.4"
    /// anyExtendedKeyUsage.
    public static let anyExtendedKeyUsage = "2.5.29.37.0"
}

/// An X.509 certificate held by OpenSSL. Immutable; equal when the DER is equal.
public final class Certificate: @unchecked Sendable, Hashable, CustomStringConvertible {
    // Unchecked Sendable: the X509 is never mutated after parsing. OpenSSL caches
    // extension data lazily inside X509 under its own lock (x509v3_cache_extensions),
    // and init forces that cache so later reads are plain reads.
    let pointer: OpaquePointer
    /// Signature-check outcomes and the copied public key (see `VerificationMemo`).
    let verificationMemo = VerificationMemo()

    /// The DER encoding.
    public let der: [UInt8]
    /// The subject name.
    public let subject: DistinguishedName
    /// The issuer name.
    public let issuer: DistinguishedName
    /// Serial number, big-endian two's complement magnitude (no leading zero bytes).
    public let serialNumber: [UInt8]
    /// Start of the validity period.
    public let notBefore: Date
    /// End of the validity period.
    public let notAfter: Date

    /// Takes ownership of an X509 handle, also when it throws (then the handle is freed: a
    /// class whose initializer throws never runs its `deinit`).
    init(taking pointer: OpaquePointer) throws {
        self.pointer = pointer
        do {
            _ = X509_check_purpose(pointer, -1, 0)  // fill OpenSSL's extension cache now
            der = try derEncode("i2d_X509") { i2d_X509(pointer, $0) }
            subject = try DistinguishedName(try checkNotNull(X509_get_subject_name(pointer), "X509_get_subject_name"))
            issuer = try DistinguishedName(try checkNotNull(X509_get_issuer_name(pointer), "X509_get_issuer_name"))
            serialNumber = try integerBytes(try checkNotNull(X509_get0_serialNumber(pointer), "X509_get0_serialNumber"))
            notBefore = try asn1TimeToDate(try checkNotNull(X509_get0_notBefore(pointer), "X509_get0_notBefore"))
            notAfter = try asn1TimeToDate(try checkNotNull(X509_get0_notAfter(pointer), "X509_get0_notAfter"))
        } catch {
            X509_free(pointer)
            throw error
        }
    }

    deinit { X509_free(pointer) }

    /// Parses one DER certificate (no trailing bytes allowed).
    public convenience init(der: [UInt8]) throws {
        try self.init(taking: try derDecode("d2i_X509", der, free: X509_free) { d2i_X509(nil, $0, $1) })
    }

    /// Parses the first certificate of a PEM text.
    public convenience init(pem: String) throws {
        guard let first = try Certificate.parseAll(pem: pem).first else {
            throw CryptoError.malformed("no CERTIFICATE block in PEM input")
        }
        try self.init(der: first.der)
    }

    /// Parses a PEM or DER certificate file.
    public convenience init(contentsOfFile path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CryptoError.io(path: path, reason: "cannot read the certificate file")
        }
        let bytes = [UInt8](data)
        if bytes.starts(with: Array("-----BEGIN".utf8)) || String(decoding: bytes.prefix(512), as: UTF8.self).contains("-----BEGIN") {
            try self.init(pem: String(decoding: bytes, as: UTF8.self))
        } else {
            try self.init(der: bytes)
        }
    }

    /// Every certificate of a PEM bundle, in order.
    public static func parseAll(pem: String) throws -> [Certificate] {
        let bio = try MemoryBIO(Array(pem.utf8))
        var result: [Certificate] = []
        OpenSSLError.clearQueue()
        while let x509 = PEM_read_bio_X509(bio.pointer, nil, signet_pem_password_cb, nil) {
            result.append(try Certificate(taking: x509))
        }
        // The loop ends with a "no start line" error at the end of input; that is expected.
        OpenSSLError.clearQueue()
        return result
    }

    /// Every certificate of a PEM or DER file (a PEM file may hold a bundle).
    public static func loadAll(contentsOfFile path: String) throws -> [Certificate] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CryptoError.io(path: path, reason: "cannot read the certificate file")
        }
        let text = String(decoding: data, as: UTF8.self)
        if text.contains("-----BEGIN CERTIFICATE-----") {
            let all = try parseAll(pem: text)
            if all.isEmpty { throw CryptoError.malformed("\(path): no readable certificate") }
            return all
        }
        return [try Certificate(der: [UInt8](data))]
    }

    /// PEM text ("-----BEGIN CERTIFICATE-----").
    public var pem: String {
        let base64 = Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN CERTIFICATE-----\n\(base64)\n-----END CERTIFICATE-----\n"
    }

    /// Serial number as upper-case hex (as `openssl x509 -serial` prints it).
    public var serialNumberHex: String { serialNumber.hexString.uppercased() }

    /// SHA-256 over the DER encoding.
    public var sha256Fingerprint: [UInt8] { DigestAlgorithm.sha256.hash(der) }

    /// The subject public key.
    public var publicKey: PublicKey {
        get throws {
            try verificationMemo.publicKey {
                let key = try checkNotNull(X509_get0_pubkey(pointer), "X509_get0_pubkey")
                return try PublicKey(sharing: key, spki: try encodedSubjectPublicKeyInfo())
            }
        }
    }

    /// The DER SubjectPublicKeyInfo (for subject + key matching of trust anchors).
    public var subjectPublicKeyInfo: [UInt8] { (try? encodedSubjectPublicKeyInfo()) ?? [] }

    /// The DER SubjectPublicKeyInfo as stored in the certificate (no key re-encoding).
    private func encodedSubjectPublicKeyInfo() throws -> [UInt8] {
        try derEncode("i2d_X509_PUBKEY") { i2d_X509_PUBKEY(X509_get_X509_PUBKEY(pointer), $0) }
    }

    /// Key usage bits, or nil when the certificate has no key usage extension.
    public var keyUsage: KeyUsage? {
        guard X509_get_extension_flags(pointer) & UInt32(EXFLAG_KUSAGE) != 0 else { return nil }
        return KeyUsage(rawValue: X509_get_key_usage(pointer))
    }

    /// Extended key usage OIDs (empty when absent).
    public var extendedKeyUsage: [String] {
        var critical: Int32 = 0
        guard let raw = X509_get_ext_d2i(pointer, NID_ext_key_usage, &critical, nil) else { return [] }
        let stack = OpaquePointer(raw)
        defer { signet_EXTENDED_KEY_USAGE_free(stack) }
        return (0..<signet_sk_ASN1_OBJECT_num(stack)).compactMap { index in
            signet_sk_ASN1_OBJECT_value(stack, index).map { objectIdentifierString($0) }
        }
    }

    /// Whether the extension with dotted `oid` is present and marked critical.
    public func isExtensionCritical(_ oid: String) -> Bool? {
        guard let object = OBJ_txt2obj(oid, 1) else { return nil }
        defer { ASN1_OBJECT_free(object) }
        let index = X509_get_ext_by_OBJ(pointer, object, -1)
        guard index >= 0, let ext = X509_get_ext(pointer, index) else { return nil }
        return X509_EXTENSION_get_critical(ext) != 0
    }

    /// Whether the certificate carries a critical extension OpenSSL does not understand
    /// (such a certificate must not be accepted by path validation).
    public var hasUnhandledCriticalExtension: Bool {
        X509_get_extension_flags(pointer) & UInt32(EXFLAG_CRITICAL) != 0
    }

    /// basicConstraints cA = TRUE.
    public var isCA: Bool { X509_get_extension_flags(pointer) & UInt32(EXFLAG_CA) != 0 }

    /// basicConstraints pathLenConstraint, if set.
    public var pathLengthConstraint: Int? {
        let length = X509_get_pathlen(pointer)
        return length >= 0 ? Int(length) : nil
    }

    /// Subject key identifier, if present.
    public var subjectKeyIdentifier: [UInt8]? {
        X509_get0_subject_key_id(pointer).map { asn1StringBytes($0) }
    }

    /// Authority key identifier (keyIdentifier field), if present.
    public var authorityKeyIdentifier: [UInt8]? {
        X509_get0_authority_key_id(pointer).map { asn1StringBytes($0) }
    }

    /// URIs of the CRL distribution points.
    public var crlDistributionPoints: [String] {
        guard let joined = signet_X509_crl_distribution_uris(pointer) else { return [] }
        defer { signet_OPENSSL_free(joined) }
        return String(cString: joined).split(separator: "\n").map(String.init)
    }

    /// OCSP responder URLs from the authority information access extension.
    public var ocspURLs: [String] {
        guard let stack = X509_get1_ocsp(pointer) else { return [] }
        defer { X509_email_free(stack) }
        return (0..<signet_sk_OPENSSL_STRING_num(stack)).compactMap { index in
            signet_sk_OPENSSL_STRING_value(stack, index).map { String(cString: $0) }
        }
    }

    /// Subject and issuer names match (the certificate claims to issue itself).
    public var isSelfIssued: Bool { subject.matches(issuer) }

    /// Self-issued and its signature verifies with its own key.
    public var isSelfSigned: Bool { isSelfIssued && isSignatureValid(issuerKey: try? publicKey) }

    /// Whether the certificate's signature verifies with `issuerKey`.
    public func isSignatureValid(issuerKey: PublicKey?) -> Bool {
        guard let issuerKey else { return false }
        return verificationMemo.outcome(for: issuerKey.spki) {
            let result = X509_verify(pointer, issuerKey.pointer)
            OpenSSLError.clearQueue()
            return result == 1
        }
    }

    /// Whether `issuer` plausibly issued this certificate and its signature verifies:
    /// issuer name matches, the key identifiers do not contradict, the signature is good.
    public func isIssued(by issuer: Certificate) -> Bool {
        guard self.issuer.matches(issuer.subject) else { return false }
        if let aki = authorityKeyIdentifier, let ski = issuer.subjectKeyIdentifier, aki != ski { return false }
        return isSignatureValid(issuerKey: try? issuer.publicKey)
    }

    /// Whether `date` lies within notBefore...notAfter.
    public func isValid(at date: Date) -> Bool { notBefore <= date && date <= notAfter }

    /// Subject and serial number.
    public var description: String { "Certificate(\(subject), serial \(serialNumberHex))" }

    /// Equal when the DER encodings are.
    public static func == (lhs: Certificate, rhs: Certificate) -> Bool { lhs.der == rhs.der }
    /// Hashes the DER encoding.
    public func hash(into hasher: inout Swift.Hasher) { hasher.combine(der) }
}

/// Bytes of an ASN1_STRING / ASN1_OCTET_STRING.
func asn1StringBytes(_ string: UnsafePointer<ASN1_STRING>) -> [UInt8] {
    let length = Int(ASN1_STRING_length(string))
    guard length > 0, let data = ASN1_STRING_get0_data(string) else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: length))
}

/// Big-endian magnitude of an ASN1_INTEGER.
func integerBytes(_ integer: UnsafePointer<ASN1_INTEGER>) throws -> [UInt8] {
    let bn = try checkNotNull(ASN1_INTEGER_to_BN(integer, nil), "ASN1_INTEGER_to_BN")
    defer { BN_free(bn) }
    var bytes = [UInt8](repeating: 0, count: Int((BN_num_bits(bn) + 7) / 8))
    _ = BN_bn2bin(bn, &bytes)
    return bytes.isEmpty ? [0] : bytes
}

/// An ASN1_TIME (UTCTime or GeneralizedTime) as a Date.
func asn1TimeToDate(_ time: UnsafePointer<ASN1_TIME>) throws -> Date {
    var parts = tm()
    guard ASN1_TIME_to_tm(time, &parts) == 1 else { throw OpenSSLError.drain("ASN1_TIME_to_tm") }
    return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)))
}
