public import FoundationEssentials
import COpenSSL
import Glibc
import Synchronization

/// The scope a CRL declares in its issuingDistributionPoint extension (RFC 5280 §5.2.5).
public struct IssuingDistributionPoint: Sendable, Hashable {
    /// Whether the extension is marked critical.
    public var critical: Bool
    /// Whether the CRL covers one named distribution point only (a partitioned CRL).
    public var namesDistributionPoint: Bool
    /// fullName URIs of that distribution point.
    public var uris: [String]
    /// The CRL covers end-entity certificates only.
    public var onlyContainsUserCerts: Bool
    /// The CRL covers CA certificates only.
    public var onlyContainsCACerts: Bool
    /// The CRL covers only some revocation reasons (so it cannot prove "good" alone).
    public var onlySomeReasons: Bool
    /// The CRL may list certificates of other issuers (indirect CRL).
    public var indirectCRL: Bool
    /// The CRL covers attribute certificates only.
    public var onlyContainsAttributeCerts: Bool
}

/// An X.509 v2 certificate revocation list held by OpenSSL. Immutable.
public final class CertificateRevocationList: @unchecked Sendable, Hashable, CustomStringConvertible {
    // Unchecked Sendable: the X509_CRL is never mutated after parsing; everything Swift
    // reads is extracted in init, and verification only reads the structure.
    let pointer: OpaquePointer
    /// Signature-check outcomes by issuer key (see `VerificationMemo`).
    let verificationMemo = VerificationMemo()

    /// The DER encoding (what a PAdES DSS embeds).
    public let der: [UInt8]
    /// The CRL issuer's name.
    public let issuer: DistinguishedName
    /// When the CRL was issued.
    public let thisUpdate: Date
    /// nil when the CRL has no nextUpdate (allowed by X.509, discouraged by RFC 5280).
    public let nextUpdate: Date?
    /// cRLNumber, big-endian, if present.
    public let crlNumber: [UInt8]?
    /// The base CRL number when this is a delta CRL (deltaCRLIndicator), else nil.
    public let deltaBaseCRLNumber: [UInt8]?
    /// authorityKeyIdentifier keyIdentifier, if present.
    public let authorityKeyIdentifier: [UInt8]?
    /// issuingDistributionPoint, if present.
    public let issuingDistributionPoint: IssuingDistributionPoint?
    /// The revoked certificates, in CRL order (converted on first use).
    public var entries: [RevokedCertificate] {
        if let converted = convertedEntries.withLock({ $0 }) { return converted }
        let converted = (0..<signet_pki_revoked_count(pointer)).compactMap { index in
            signet_pki_revoked_value(pointer, index).flatMap { try? revokedEntry($0) }
        }
        convertedEntries.withLock { $0 = converted }
        return converted
    }
    /// Dotted OIDs of critical CRL or entry extensions Signet does not process; a CRL
    /// with any of them must not be relied on (RFC 5280 §5.2).
    public let unhandledCriticalExtensions: [String]

    /// Each listed serial number (as `normalizedSerial`) and the index of its first entry.
    /// A CRL can list hundreds of thousands of certificates and a validator asks about a
    /// few, so an entry's date, reason and invalidity date are read when it is looked up.
    private let entryIndexBySerial: [ByteKey: Int32]
    private let convertedEntries = Mutex<[RevokedCertificate]?>(nil)

    /// Takes ownership of an X509_CRL handle, also when it throws (then the handle is freed:
    /// a class whose initializer throws never runs its `deinit`).
    init(taking pointer: OpaquePointer) throws {
        self.pointer = pointer
        do {
            der = try derEncode("i2d_X509_CRL") { i2d_X509_CRL(pointer, $0) }
            issuer = try DistinguishedName(try checkNotNull(X509_CRL_get_issuer(pointer), "X509_CRL_get_issuer"))
            thisUpdate = try asn1TimeToDate(try checkNotNull(X509_CRL_get0_lastUpdate(pointer), "X509_CRL_get0_lastUpdate"))
            nextUpdate = try X509_CRL_get0_nextUpdate(pointer).map { try asn1TimeToDate($0) }
            crlNumber = try crlIntegerExtension(pointer, NID_crl_number)
            deltaBaseCRLNumber = try crlIntegerExtension(pointer, NID_delta_crl)
            if let raw = X509_CRL_get_ext_d2i(pointer, NID_authority_key_identifier, nil, nil) {
                let akid = raw.assumingMemoryBound(to: AUTHORITY_KEYID.self)
                authorityKeyIdentifier = akid.pointee.keyid.map { asn1StringBytes($0) }
                AUTHORITY_KEYID_free(akid)
            } else {
                authorityKeyIdentifier = nil
            }
            var idp = signet_pki_idp_info()
            try check(signet_pki_crl_idp(pointer, &idp), "issuingDistributionPoint")
            if idp.present != 0 {
                let uris = idp.uris.map { String(cString: $0).split(separator: "\n").map(String.init) } ?? []
                signet_OPENSSL_free(idp.uris)
                issuingDistributionPoint = IssuingDistributionPoint(
                    critical: idp.critical != 0, namesDistributionPoint: idp.has_distribution_point != 0, uris: uris, onlyContainsUserCerts: idp.only_user_certs != 0,
                    onlyContainsCACerts: idp.only_ca_certs != 0, onlySomeReasons: idp.only_some_reasons != 0,
                    indirectCRL: idp.indirect_crl != 0, onlyContainsAttributeCerts: idp.only_attribute_certs != 0)
            } else {
                issuingDistributionPoint = nil
            }
            // One pass: index the serial numbers, and check that every revocation date converts
            // (so that a lookup cannot fail later and a bad entry still makes the CRL unreadable).
            var index: [ByteKey: Int32] = [:]
            for position in 0..<signet_pki_revoked_count(pointer) {
                guard let entry = signet_pki_revoked_value(pointer, position) else { continue }
                var parts = tm()
                guard let serial = X509_REVOKED_get0_serialNumber(entry),
                      let date = X509_REVOKED_get0_revocationDate(entry), ASN1_TIME_to_tm(date, &parts) == 1 else {
                    OpenSSLError.clearQueue()
                    throw CryptoError.malformed("CRL entry \(position + 1) has no serial number or an unreadable revocation date")
                }
                // A serial listed twice keeps its first entry.
                let key = ByteKey(serialMagnitude(serial))
                if index[key] == nil { index[key] = position }
            }
            entryIndexBySerial = index
            if let joined = signet_pki_crl_unsupported_critical_extensions(pointer) {
                unhandledCriticalExtensions = String(cString: joined).split(separator: "\n").map(String.init)
                signet_OPENSSL_free(joined)
            } else {
                unhandledCriticalExtensions = []
            }
        } catch {
            X509_CRL_free(pointer)
            throw error
        }
        OpenSSLError.clearQueue()
    }

    deinit { X509_CRL_free(pointer) }

    /// Parses a DER CRL (no trailing bytes allowed).
    public convenience init(der: [UInt8]) throws {
        try self.init(taking: try derDecode("d2i_X509_CRL", der, free: X509_CRL_free) { d2i_X509_CRL(nil, $0, $1) })
    }

    /// Parses the first X509 CRL block of a PEM text.
    public convenience init(pem: String) throws {
        let bio = try MemoryBIO(Array(pem.utf8))
        OpenSSLError.clearQueue()
        guard let crl = PEM_read_bio_X509_CRL(bio.pointer, nil, signet_pem_password_cb, nil) else {
            OpenSSLError.clearQueue()
            throw CRLError.noCRL("PEM input")
        }
        try self.init(taking: crl)
    }

    /// Reads a PEM or DER CRL file.
    public convenience init(contentsOfFile path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CryptoError.io(path: path, reason: "cannot read the CRL file")
        }
        let bytes = [UInt8](data)
        if String(decoding: bytes.prefix(1024), as: UTF8.self).contains("-----BEGIN X509 CRL-----") {
            try self.init(pem: String(decoding: bytes, as: UTF8.self))
        } else {
            try self.init(der: bytes)
        }
    }

    /// PEM text ("-----BEGIN X509 CRL-----").
    public var pem: String {
        let base64 = Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN X509 CRL-----\n\(base64)\n-----END X509 CRL-----\n"
    }

    /// cRLNumber as an integer when it fits in 64 bits.
    public var crlNumberValue: UInt64? {
        guard let crlNumber, crlNumber.count <= 8 else { return nil }
        return crlNumber.reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// Whether this is a delta CRL (it lists changes only and cannot prove "good" alone).
    public var isDelta: Bool { deltaBaseCRLNumber != nil }

    /// Whether the signature verifies with `key`.
    public func isSignatureValid(issuerKey: PublicKey) -> Bool {
        verificationMemo.outcome(for: issuerKey.spki) {
            let result = X509_CRL_verify(pointer, issuerKey.pointer)
            OpenSSLError.clearQueue()
            return result == 1
        }
    }

    /// Whether `issuer` issued this CRL: names match, the key identifiers do not
    /// contradict, the signature verifies with its key, and its keyUsage (if any)
    /// includes cRLSign.
    public func isIssued(by issuer: Certificate) -> Bool {
        guard self.issuer.matches(issuer.subject) else { return false }
        if let aki = authorityKeyIdentifier, let ski = issuer.subjectKeyIdentifier, aki != ski { return false }
        if let usage = issuer.keyUsage, !usage.contains(.cRLSign) { return false }
        guard let key = try? issuer.publicKey else { return false }
        return isSignatureValid(issuerKey: key)
    }

    /// The entry for a serial number, if the CRL lists it.
    public func entry(forSerialNumber serial: [UInt8]) -> RevokedCertificate? {
        guard let index = entryIndexBySerial[ByteKey(normalizedSerial(serial))],
              let entry = signet_pki_revoked_value(pointer, index) else { return nil }
        return try? revokedEntry(entry)  // init checked that every entry converts
    }

    /// The entry for `certificate`, if this CRL's issuer is the certificate's issuer and
    /// lists its serial.
    public func entry(for certificate: Certificate) -> RevokedCertificate? {
        guard certificate.issuer.matches(issuer) else { return nil }
        return entry(forSerialNumber: certificate.serialNumber)
    }

    /// Whether `date` lies within thisUpdate...nextUpdate (freshness, not validity).
    public func isCurrent(at date: Date) -> Bool {
        thisUpdate <= date && (nextUpdate.map { date <= $0 } ?? true)
    }

    /// Issuer, number, entry count and thisUpdate.
    public var description: String {
        "CRL(\(issuer), number \(crlNumber?.hexString ?? "none"), \(entries.count) entries, thisUpdate \(thisUpdate))"
    }

    /// Equal when the DER encodings are.
    public static func == (lhs: CertificateRevocationList, rhs: CertificateRevocationList) -> Bool { lhs.der == rhs.der }
    /// Hashes the DER encoding.
    public func hash(into hasher: inout Swift.Hasher) { hasher.combine(der) }
}

private func crlIntegerExtension(_ crl: OpaquePointer, _ nid: Int32) throws -> [UInt8]? {
    guard let raw = X509_CRL_get_ext_d2i(crl, nid, nil, nil) else { return nil }
    let integer = raw.assumingMemoryBound(to: ASN1_INTEGER.self)
    defer { ASN1_INTEGER_free(integer) }
    return try integerBytes(integer)
}

/// An entry's serial number as `integerBytes` gives it (the magnitude, without leading
/// zeros; [0] for zero), read without a BIGNUM.
private func serialMagnitude(_ serial: UnsafePointer<ASN1_INTEGER>) -> [UInt8] {
    let length = Int(ASN1_STRING_length(serial))
    guard length > 0, let data = ASN1_STRING_get0_data(serial) else { return [0] }
    return normalizedSerial(Array(UnsafeBufferPointer(start: data, count: length)))
}

private func revokedEntry(_ entry: OpaquePointer) throws -> RevokedCertificate {
    let serial = try integerBytes(try checkNotNull(X509_REVOKED_get0_serialNumber(entry), "X509_REVOKED_get0_serialNumber"))
    let date = try asn1TimeToDate(try checkNotNull(X509_REVOKED_get0_revocationDate(entry), "X509_REVOKED_get0_revocationDate"))
    var reason: RevocationReason?
    if let raw = X509_REVOKED_get_ext_d2i(entry, NID_crl_reason, nil, nil) {
        let enumerated = raw.assumingMemoryBound(to: ASN1_ENUMERATED.self)
        reason = RevocationReason(rawValue: ASN1_ENUMERATED_get(enumerated))
        ASN1_ENUMERATED_free(enumerated)
    }
    var invalidity: Date?
    if let raw = X509_REVOKED_get_ext_d2i(entry, NID_invalidity_date, nil, nil) {
        let time = raw.assumingMemoryBound(to: ASN1_GENERALIZEDTIME.self)
        invalidity = try? asn1TimeToDate(time)
        ASN1_GENERALIZEDTIME_free(time)
    }
    return RevokedCertificate(serialNumber: serial, revocationDate: date, reason: reason, invalidityDate: invalidity)
}
