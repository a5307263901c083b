import COpenSSL

/// Well-known certificate extension OIDs used by the PKI code.
public enum CertificateExtensionOID {
    /// id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1).
    public static let ocspNoCheck = "1.3.6.1.5.5.7.48.1.5"
    /// extKeyUsage (RFC 5280 §4.2.1.12).
    public static let extendedKeyUsage = "2.5.29.37"
    /// keyUsage.
    public static let keyUsage = "2.5.29.15"
    /// basicConstraints.
    public static let basicConstraints = "2.5.29.19"
    /// cRLDistributionPoints.
    public static let crlDistributionPoints = "2.5.29.31"
    /// authorityInfoAccess.
    public static let authorityInfoAccess = "1.3.6.1.5.5.7.1.1"
}

extension Certificate {
    /// The DER value (extnValue contents) of the extension with dotted `oid`, if present.
    public func extensionValue(oid: String) -> [UInt8]? {
        var buffer: UnsafeMutablePointer<UInt8>?
        let length = signet_pki_extension_value(pointer, oid, &buffer)
        OpenSSLError.clearQueue()
        guard length >= 0, let buffer else { return nil }
        defer { signet_OPENSSL_free(buffer) }
        return Array(UnsafeBufferPointer(start: buffer, count: Int(length)))
    }

    /// The uniformResourceIdentifier entries of subjectAltName.
    public var subjectAlternativeURIs: [String] {
        guard let joined = signet_pki_subject_alt_uris(pointer) else { return [] }
        defer { signet_OPENSSL_free(joined) }
        return String(cString: joined).split(separator: "\n").map(String.init)
    }

    /// Whether the certificate carries id-pkix-ocsp-nocheck (a delegated OCSP responder
    /// whose own revocation status is not to be checked).
    public var hasOCSPNoCheck: Bool { extensionValue(oid: CertificateExtensionOID.ocspNoCheck) != nil }

    /// Dotted OIDs of the critical extensions that path validation does not process.
    public var unhandledCriticalExtensions: [String] {
        guard let joined = signet_pki_unsupported_critical_extensions(pointer) else { return [] }
        defer { signet_OPENSSL_free(joined) }
        return String(cString: joined).split(separator: "\n").map(String.init)
    }

    /// Whether `other` has the same subject name and the same public key (how trust
    /// anchors are matched: a re-issued copy of an anchor counts as the anchor).
    public func hasSameSubjectAndKey(as other: Certificate) -> Bool {
        subject.matches(other.subject) && subjectPublicKeyInfo == other.subjectPublicKeyInfo
    }

    /// SHA-1 of the subjectPublicKey BIT STRING: the RFC 5280 key identifier and the key
    /// hash of OCSP CertIDs and ResponderIDs.
    package func publicKeySHA1() throws -> [UInt8] {
        var hash = [UInt8](repeating: 0, count: 20)
        try check(signet_pki_public_key_sha1(pointer, &hash), "X509_pubkey_digest")
        return hash
    }
}

extension DistinguishedName {
    /// The name for people: most specific attribute first, like RFC 4514, but with
    /// UTF-8 values as they are (a Chinese company name stays readable) and only the
    /// RFC 4514 special characters escaped. For display, never for comparison.
    public var displayString: String {
        // The special characters are ASCII, which UTF-8 never uses inside a multi-byte
        // sequence, so escaping byte by byte is exact.
        let special: [UInt8] = Array(",+\"\\<>;=".utf8)
        return attributes.reversed().map { attribute in
            guard attribute.value.utf8.contains(where: special.contains) else {
                return "\(attribute.shortName)=\(attribute.value)"
            }
            var value: [UInt8] = []
            for byte in attribute.value.utf8 {
                if special.contains(byte) { value.append(0x5C) }
                value.append(byte)
            }
            return "\(attribute.shortName)=\(String(decoding: value, as: UTF8.self))"
        }.joined(separator: ", ")
    }
}
