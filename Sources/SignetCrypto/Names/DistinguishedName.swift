import COpenSSL
import Synchronization

/// An X.501 distinguished name (certificate subject or issuer, CRL issuer, ...).
///
/// Equal and hashable by its DER encoding; `matches(_:)` compares names the way RFC 5280
/// path validation does (OpenSSL's canonical form: case- and whitespace-insensitive strings).
///
/// The display forms (`rfc2253`, `attributes`) are decoded on first use: a verifier reads
/// the names of every certificate, CRL and OCSP response it meets but shows few of them.
public struct DistinguishedName: Sendable, Hashable, CustomStringConvertible {
    /// One attribute of a name, e.g. CN=Signet Root CA.
    public struct Attribute: Sendable, Hashable {
        /// Dotted OID, e.g. "2.5.4.3".
        public let oid: String
        /// OpenSSL's short name, e.g. "CN", "O", "organizationIdentifier".
        public let shortName: String
        /// The value decoded to UTF-8.
        public let value: String
    }

    /// The DER encoding as it appears in the certificate.
    public let der: [UInt8]
    /// OpenSSL's hash of the canonical form (`X509_NAME_hash_ex`), nil if unavailable:
    /// names with different hashes cannot match, so most comparisons need no decoding.
    let canonicalHash: UInt?
    private let display: NameDisplayForms

    /// RFC 2253 string form (most specific attribute first), for display.
    public var rfc2253: String { display.rfc2253(of: der) }
    /// Attributes in encoding order (least specific first).
    public var attributes: [Attribute] { display.attributes(of: der) }

    init(_ name: OpaquePointer) throws {
        der = try derEncode("i2d_X509_NAME") { i2d_X509_NAME(name, $0) }
        var hashed: Int32 = 0
        let hash = X509_NAME_hash_ex(name, nil, nil, &hashed)
        canonicalHash = hashed == 1 ? hash : nil
        display = NameDisplayForms()
        OpenSSLError.clearQueue()
    }

    /// Equal when the DER encodings are (`matches(_:)` compares as RFC 5280 does).
    public static func == (lhs: DistinguishedName, rhs: DistinguishedName) -> Bool { lhs.der == rhs.der }
    /// Hashes the DER encoding.
    public func hash(into hasher: inout Swift.Hasher) { hasher.combine(ByteKey(der)) }

    /// Parses a DER-encoded Name.
    public init(der: [UInt8]) throws {
        let name = try Self.parse(der)
        defer { X509_NAME_free(name) }
        try self.init(name)
    }

    /// An X509_NAME parsed from DER; the caller frees it.
    fileprivate static func parse(_ der: [UInt8]) throws -> OpaquePointer {
        try derDecode("d2i_X509_NAME", der, free: X509_NAME_free) { d2i_X509_NAME(nil, $0, $1) }
    }

    /// The first value of the attribute with `oid`, e.g. `value(of: .commonName)`.
    public func value(of oid: String) -> String? { attributes.first { $0.oid == oid }?.value }

    /// commonName (2.5.4.3).
    public var commonName: String? { value(of: "2.5.4.3") }
    /// organizationName (2.5.4.10).
    public var organization: String? { value(of: "2.5.4.10") }
    /// organizationIdentifier (2.5.4.97), e.g. a unified social credit code.
    public var organizationIdentifier: String? { value(of: "2.5.4.97") }
    /// serialNumber (2.5.4.5).
    public var serialNumber: String? { value(of: "2.5.4.5") }

    /// Name equality for path building (RFC 5280 §7.1, as OpenSSL implements it).
    public func matches(_ other: DistinguishedName) -> Bool {
        if der == other.der { return true }
        if let hash = canonicalHash, let otherHash = other.canonicalHash, hash != otherHash { return false }
        guard let a = try? Self.parse(der) else { return false }
        defer { X509_NAME_free(a) }
        guard let b = try? Self.parse(other.der) else { return false }
        defer { X509_NAME_free(b) }
        return X509_NAME_cmp(a, b) == 0
    }

    /// The RFC 2253 form.
    public var description: String { rfc2253 }
}

/// The RFC 2253 text and the attribute list of a name, each decoded from its DER once, when
/// first asked for.
private final class NameDisplayForms: Sendable {
    private let text = Mutex<String?>(nil)
    private let attributes = Mutex<[DistinguishedName.Attribute]?>(nil)

    func rfc2253(of der: [UInt8]) -> String {
        cached(text, der) { name in
            guard let bio = try? MemoryBIO() else { return "" }
            _ = signet_X509_NAME_print_rfc2253(bio.pointer, name)
            return bio.string
        } ?? ""
    }

    func attributes(of der: [UInt8]) -> [DistinguishedName.Attribute] {
        cached(attributes, der) { name in
            var attributes: [DistinguishedName.Attribute] = []
            for index in 0..<X509_NAME_entry_count(name) {
                guard let entry = X509_NAME_get_entry(name, index),
                      let object = X509_NAME_ENTRY_get_object(entry),
                      let data = X509_NAME_ENTRY_get_data(entry) else { continue }
                var utf8: UnsafeMutablePointer<UInt8>?
                let length = ASN1_STRING_to_UTF8(&utf8, data)
                let value = length >= 0 && utf8 != nil
                    ? String(decoding: UnsafeBufferPointer(start: utf8, count: Int(length)), as: UTF8.self) : ""
                signet_OPENSSL_free(utf8)
                let nid = OBJ_obj2nid(object)
                let short = nid != NID_undef ? String(cString: OBJ_nid2sn(nid)) : objectIdentifierString(object)
                attributes.append(.init(oid: objectIdentifierString(object), shortName: short, value: value))
            }
            return attributes
        } ?? []
    }

    /// The cached value, or `decode` applied to the name parsed from `der`. The DER was
    /// produced by OpenSSL from a parsed name, so it parses; should it not, nil.
    private func cached<Value: Sendable>(_ cache: borrowing Mutex<Value?>, _ der: [UInt8],
                                         _ decode: (OpaquePointer) -> Value) -> Value? {
        if let known = cache.withLock({ $0 }) { return known }
        guard let name = try? DistinguishedName.parse(der) else { return nil }
        defer { X509_NAME_free(name) }
        let value = decode(name)
        OpenSSLError.clearQueue()
        cache.withLock { $0 = value }
        return value
    }
}

/// Dotted-decimal text of an ASN1_OBJECT.
func objectIdentifierString(_ object: OpaquePointer) -> String {
    var buffer = [CChar](repeating: 0, count: 128)
    let length = OBJ_obj2txt(&buffer, Int32(buffer.count), object, 1)
    guard length > 0 else { return "" }
    return String(decoding: buffer.prefix(Int(min(length, 127))).map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
