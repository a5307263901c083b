import SwiftASN1

/// Untrusted certificates a verifier may need: a PDF's DSS and VRI entries, the certificate
/// sets of its CMS structures. Each is indexed by subject name and serial number when added
/// and parsed by OpenSSL only when a lookup wants it.
///
/// OpenSSL 3.0 takes ≈ 0.1 ms to parse a certificate (its public-key decoders), and a
/// validation-data store carries many a certificate a given file's signatures never need
/// (other chains, cross certificates, responders of other CAs): a real-world DSS of twenty
/// certificates was 2 ms of a 15 ms verification. Certificates are parsed through the pool's
/// `CertificateCache` (the validation run's, when it passes its own), so each is parsed once.
/// Lookups give the same certificates, in the same order, as filtering the fully parsed list
/// would.
public struct CertificatePool: Sendable {
    private struct Entry: Sendable {
        let der: [UInt8]
        /// The subject name; nil when the DER's structure could not be read that far (such a
        /// certificate is only reached by `all`, where parsing reports it unreadable).
        let subject: DistinguishedName?
        /// The serial number's magnitude (`ASN1Integers.magnitude`); nil when unknown or
        /// negative, which makes the entry a candidate for every serial number.
        let serialMagnitude: [UInt8]?
        /// Set for certificates added parsed.
        let parsed: Certificate?
    }

    private var entries: [Entry] = []
    private var known = Set<ByteKey>()
    /// Where certificates added as DER are parsed (shared by copies of the pool).
    private let cache: CertificateCache

    /// A pool of already parsed certificates (duplicates dropped). Certificates added later
    /// as DER are parsed through `cache`: pass the validation run's to share its parses.
    public init(_ certificates: [Certificate] = [], cache: CertificateCache = CertificateCache()) {
        self.cache = cache
        for certificate in certificates { add(certificate) }
    }

    /// How many distinct certificates the pool holds.
    public var count: Int { entries.count }

    /// Adds a parsed certificate (ignored when the pool has it already).
    public mutating func add(_ certificate: Certificate) {
        guard known.insert(ByteKey(certificate.der)).inserted else { return }
        entries.append(Entry(der: certificate.der, subject: certificate.subject,
                             serialMagnitude: normalizedSerial(certificate.serialNumber), parsed: certificate))
    }

    /// Adds a DER certificate without parsing it, only reading its subject and serial number.
    /// Returns false when those cannot be read (the certificate is then not added).
    @discardableResult
    public mutating func add(der: [UInt8]) -> Bool {
        let key = ByteKey(der)
        guard !known.contains(key) else { return true }
        guard let (subject, serial) = Self.subjectAndSerial(der) else { return false }
        known.insert(key)
        entries.append(Entry(der: der, subject: subject, serialMagnitude: ASN1Integers.magnitude(ofEncoded: serial), parsed: nil))
        return true
    }

    /// Every certificate, parsed (those OpenSSL cannot parse left out), in the order added.
    public var all: [Certificate] { entries.compactMap(certificate) }

    /// The certificates whose subject matches `name` (RFC 5280 comparison), in the order added.
    public func certificates(withSubject name: DistinguishedName) -> [Certificate] {
        entries.compactMap { entry in
            guard let subject = entry.subject, subject.matches(name) else { return nil }
            return certificate(entry)
        }
    }

    /// The certificates a CMS signer identifier may designate, in the order added (the
    /// caller applies `CMSSignerIdentifier.matches`).
    public func candidates(for identifier: CMSSignerIdentifier) -> [Certificate] {
        switch identifier {
        case .issuerAndSerialNumber(_, let serial):
            let wanted = ASN1Integers.magnitude(ofEncoded: serial)
            return entries.compactMap { entry in
                if let wanted, let own = entry.serialMagnitude, own != wanted { return nil }
                return certificate(entry)
            }
        case .subjectKeyIdentifier:
            return all
        }
    }

    /// The entry's certificate, parsed through the cache when it was added as DER; nil when
    /// OpenSSL cannot parse it.
    private func certificate(_ entry: Entry) -> Certificate? {
        entry.parsed ?? (try? cache.certificate(der: entry.der))
    }

    /// Subject Name and serial number of a DER Certificate, read with SwiftASN1 (microseconds).
    private static func subjectAndSerial(_ der: [UInt8]) -> (DistinguishedName, [UInt8])? {
        guard let root = try? ASN1Read.parse(der, "certificate"),
              var outer = try? ASN1Read.children(root, .sequence, "Certificate"),
              let tbsNode = try? outer.next(.sequence, "tbsCertificate"),
              var tbs = try? ASN1Read.children(tbsNode, .sequence, "TBSCertificate") else { return nil }
        _ = tbs.optional(.context(0))
        guard let serialNode = try? tbs.next(.integer, "serialNumber"),
              let serial = try? ASN1Read.integerBytes(serialNode, "serialNumber"),
              (try? tbs.next(.sequence, "signature")) != nil,
              (try? tbs.next(.sequence, "issuer")) != nil,
              (try? tbs.next(.sequence, "validity")) != nil,
              let subjectNode = try? tbs.next(.sequence, "subject"),
              let subject = try? DistinguishedName(der: Array(subjectNode.encodedBytes)) else { return nil }
        return (subject, serial)
    }
}
