import COpenSSL

/// The type of a name attribute (X.520), by dotted OID.
public struct NameAttributeType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The dotted OID.
    public let rawValue: String
    /// An attribute type from its dotted OID.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// countryName (2.5.4.6): two letters, PrintableString.
    public static let country = NameAttributeType(rawValue: "2.5.4.6")
    /// stateOrProvinceName (2.5.4.8).
    public static let stateOrProvince = NameAttributeType(rawValue: "2.5.4.8")
    /// localityName (2.5.4.7).
    public static let locality = NameAttributeType(rawValue: "2.5.4.7")
    /// organizationName (2.5.4.10).
    public static let organization = NameAttributeType(rawValue: "2.5.4.10")
    /// organizationalUnitName (2.5.4.11).
    public static let organizationalUnit = NameAttributeType(rawValue: "2.5.4.11")
    /// organizationIdentifier (2.5.4.97), e.g. "NTRCN-" + a unified social credit code
    /// (ETSI EN 319 412-1 §5.1.4 semantics).
    public static let organizationIdentifier = NameAttributeType(rawValue: "2.5.4.97")
    /// serialNumber (2.5.4.5): PrintableString, e.g. a registration number.
    public static let serialNumber = NameAttributeType(rawValue: "2.5.4.5")
    /// commonName (2.5.4.3).
    public static let commonName = NameAttributeType(rawValue: "2.5.4.3")
    /// givenName (2.5.4.42).
    public static let givenName = NameAttributeType(rawValue: "2.5.4.42")
    /// surname (2.5.4.4).
    public static let surname = NameAttributeType(rawValue: "2.5.4.4")
    /// title (2.5.4.12).
    public static let title = NameAttributeType(rawValue: "2.5.4.12")
    /// description (2.5.4.13): free text.
    public static let description = NameAttributeType(rawValue: "2.5.4.13")

    /// The dotted OID.
    public var description: String { rawValue }
}

extension DistinguishedName {
    /// Builds a name from attributes in encoding order (least specific first, e.g. C, O, CN).
    ///
    /// Values are UTF-8; OpenSSL picks the ASN.1 string type per attribute (PrintableString
    /// for countryName and serialNumber, whose length and characters it enforces;
    /// UTF8String otherwise).
    public init(_ attributes: [(NameAttributeType, String)]) throws {
        guard !attributes.isEmpty else {
            throw CertificateAuthorityError.invalidNameAttribute(type: "-", value: "", reason: "a name needs at least one attribute")
        }
        let name = try checkNotNull(X509_NAME_new(), "X509_NAME_new")
        defer { X509_NAME_free(name) }
        for (type, value) in attributes {
            guard !value.isEmpty else {
                throw CertificateAuthorityError.invalidNameAttribute(type: type.rawValue, value: value, reason: "empty value")
            }
            guard let object = OBJ_txt2obj(type.rawValue, 1) else {
                OpenSSLError.clearQueue()
                throw CertificateAuthorityError.invalidNameAttribute(type: type.rawValue, value: value, reason: "not an OID")
            }
            defer { ASN1_OBJECT_free(object) }
            OpenSSLError.clearQueue()
            let bytes = Array(value.utf8)
            let added = X509_NAME_add_entry_by_OBJ(name, object, MBSTRING_UTF8, bytes, Int32(bytes.count), -1, 0)
            if added != 1 {
                let reason = OpenSSLError.drain("X509_NAME_add_entry_by_OBJ").details.joined(separator: "; ")
                throw CertificateAuthorityError.invalidNameAttribute(type: type.rawValue, value: value,
                                                                    reason: reason.isEmpty ? "refused by OpenSSL" : reason)
            }
        }
        try self.init(name)
    }
}
