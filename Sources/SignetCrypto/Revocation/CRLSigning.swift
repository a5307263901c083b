package import FoundationEssentials
import COpenSSL

extension CertificateRevocationList {
    /// Builds and signs a v2 CRL for SignetPKI's `CertificateAuthority.issueCRL`: issuer
    /// `certificate` (whose keyUsage, if any, must allow cRLSign) signing with `key`,
    /// listing `revoked` with cRLNumber `number`, authorityKeyIdentifier,
    /// thisUpdate/nextUpdate, reason codes (left out for `nil`, as RFC 5280 recommends for
    /// "unspecified") and invalidity dates; signed with SHA-256.
    package static func sign(
        issuer certificate: Certificate, key: PrivateKey,
        revoked: [RevokedCertificate], number: UInt64, thisUpdate: Date, nextUpdate: Date
    ) throws -> CertificateRevocationList {
        if let usage = certificate.keyUsage, !usage.contains(.cRLSign) {
            throw CRLError.notACRLIssuer(subject: certificate.subject.displayString)
        }
        guard nextUpdate > thisUpdate else { throw CRLError.invalidUpdateTimes }
        let crl = try checkNotNull(X509_CRL_new(), "X509_CRL_new")
        var owned: OpaquePointer? = crl
        defer { if let owned { X509_CRL_free(owned) } }
        try check(X509_CRL_set_version(crl, 1), "X509_CRL_set_version")
        try withX509Name(certificate.subject) { try check(X509_CRL_set_issuer_name(crl, $0), "X509_CRL_set_issuer_name") }
        try setTime(crl, thisUpdate, X509_CRL_set1_lastUpdate)
        try setTime(crl, nextUpdate, X509_CRL_set1_nextUpdate)
        for entry in revoked {
            try CertificateBuilder.validate(serial: entry.serialNumber)
            try check(signet_pki_crl_add_revoked(
                crl, entry.serialNumber, Int32(entry.serialNumber.count), timeT(entry.revocationDate),
                Int32(entry.reason?.rawValue ?? -1), entry.invalidityDate.map(timeT) ?? -1), "CRL entry")
        }
        try check(X509_CRL_sort(crl), "X509_CRL_sort")
        let numberBytes = normalizedSerial(withUnsafeBytes(of: number.bigEndian, Array.init))
        try check(signet_pki_crl_add_number(crl, numberBytes, Int32(numberBytes.count)), "cRLNumber")
        let aki = try certificate.subjectKeyIdentifier ?? certificate.publicKeySHA1()
        try check(signet_pki_crl_add_authority_key_identifier(crl, aki, Int32(aki.count)), "authorityKeyIdentifier")
        guard X509_CRL_sign(crl, key.pointer, DigestAlgorithm.sha256.evpMD) > 0 else {
            throw OpenSSLError.drain("X509_CRL_sign")
        }
        owned = nil
        return try CertificateRevocationList(taking: crl)
    }
}

private func setTime(_ crl: OpaquePointer, _ date: Date, _ setter: (OpaquePointer, UnsafePointer<ASN1_TIME>) -> Int32) throws {
    let time = try checkNotNull(ASN1_TIME_set(nil, timeT(date)), "ASN1_TIME_set")
    defer { ASN1_TIME_free(time) }
    try check(setter(crl, time), "X509_CRL_set1 time")
}

/// Whole seconds since 1970 (X.509 times carry no fractions).
func timeT(_ date: Date) -> time_t { time_t(date.timeIntervalSince1970.rounded(.down)) }
