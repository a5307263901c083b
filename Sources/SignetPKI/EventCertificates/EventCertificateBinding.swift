import FoundationEssentials
public import SignetCrypto

/// The signing act an event certificate is bound to, written with standard fields only
/// (no private OIDs, so every X.509 parser reads the certificate):
///
/// - the subject's `description` attribute (X.520, 2.5.4.13) reads
///   `Contract <contractNumber>, signing event <signingEventID>`, shown by every
///   certificate viewer;
/// - when the prepared document's digest is bound, subjectAltName holds the URI
///   `ni:///sha-256;<base64url digest>` (RFC 6920, Naming Things with Hashes).
public struct SigningEventBinding: Sendable, Hashable {
    /// The contract the signature is for.
    public var contractNumber: String
    /// The signing act (unique per act).
    public var signingEventID: String
    /// SHA-256 of the document as prepared for signing, if it was bound.
    public var documentSHA256: [UInt8]?

    static let prefix = "Contract "
    static let separator = ", signing event "
    static let niPrefix = "ni:///sha-256;"

    /// A binding to `contractNumber` and `signingEventID`, and the document digest when known.
    public init(contractNumber: String, signingEventID: String, documentSHA256: [UInt8]? = nil) {
        self.contractNumber = contractNumber
        self.signingEventID = signingEventID
        self.documentSHA256 = documentSHA256
    }

    /// The subject description text.
    public var descriptionText: String { Self.prefix + contractNumber + Self.separator + signingEventID }

    /// The RFC 6920 URI naming the document by its SHA-256, if bound.
    public var documentURI: String? {
        documentSHA256.map { Self.niPrefix + base64URL($0) }
    }

    /// Reads the binding from a certificate's subject description and subjectAltName.
    public init?(certificate: Certificate) {
        guard let text = certificate.subject.value(of: NameAttributeType.description.rawValue),
              text.hasPrefix(Self.prefix), let range = text.firstRange(of: Self.separator) else { return nil }
        let contract = String(text[text.index(text.startIndex, offsetBy: Self.prefix.count)..<range.lowerBound])
        let event = String(text[range.upperBound...])
        guard !contract.isEmpty, !event.isEmpty else { return nil }
        let digest = certificate.subjectAlternativeURIs.lazy
            .filter { $0.hasPrefix(Self.niPrefix) }
            .compactMap { base64URLDecode(String($0.dropFirst(Self.niPrefix.count))) }
            .first { $0.count == 32 }
        self.init(contractNumber: contract, signingEventID: event, documentSHA256: digest)
    }
}

extension Certificate {
    /// The signing event this certificate is bound to (event certificates only).
    public var signingEvent: SigningEventBinding? { SigningEventBinding(certificate: self) }
}

/// base64url without padding (RFC 4648 §5).
private func base64URL(_ bytes: [UInt8]) -> String {
    Data(bytes).base64EncodedString()
        .replacing("+", with: "-").replacing("/", with: "_")
        .replacing("=", with: "")
}

private func base64URLDecode(_ text: String) -> [UInt8]? {
    var base64 = text.replacing("-", with: "+").replacing("_", with: "/")
    while base64.count % 4 != 0 { base64.append("=") }
    return Data(base64Encoded: base64).map { [UInt8]($0) }
}
