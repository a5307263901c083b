import FoundationEssentials

/// `META-INF/ASiCManifest.xml` of an ASiC-E container (ETSI EN 319 162-1 §A.4): the
/// signature it belongs to and every data file with its SHA-256.
///
/// Signet writes one exact form (below) and its parser accepts only that form: it reads the
/// references and then requires that writing them back gives the same bytes, so no XML
/// feature (entities, comments, other namespaces, duplicated attributes) can make two
/// readers see different manifests.
///
/// ```xml
/// <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
/// <asic:ASiCManifest xmlns:asic="http://uri.etsi.org/02918/v1.2.1#" xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
///   <asic:SigReference URI="META-INF/signature001.p7s" MimeType="application/pkcs7-signature"/>
///   <asic:DataObjectReference URI="contracts/ctr_…/signed.pdf" MimeType="application/pdf">
///     <ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>
///     <ds:DigestValue>base64</ds:DigestValue>
///   </asic:DataObjectReference>
/// </asic:ASiCManifest>
/// ```
public struct ASiCManifest: Sendable, Hashable {
    /// One data file.
    public struct Reference: Sendable, Hashable {
        /// The file's path in the archive (a relative URI of safe components).
        public var uri: String
        /// Its media type.
        public var mimeType: String
        /// Its SHA-256.
        public var sha256: [UInt8]

        /// A reference.
        public init(uri: String, mimeType: String, sha256: [UInt8]) {
            self.uri = uri
            self.mimeType = mimeType
            self.sha256 = sha256
        }
    }

    /// The ASiC namespace.
    public static let namespace = "http://uri.etsi.org/02918/v1.2.1#"
    /// The XML signature namespace (DigestMethod, DigestValue).
    public static let xmldsigNamespace = "http://www.w3.org/2000/09/xmldsig#"
    /// The SHA-256 algorithm URI.
    public static let sha256Algorithm = "http://www.w3.org/2001/04/xmlenc#sha256"

    /// The signature over this manifest.
    public var signatureURI: String
    /// The data files, in archive order.
    public var references: [Reference]

    /// A manifest for the signature at `signatureURI`.
    public init(signatureURI: String = ArchiveLayout.signaturePath, references: [Reference]) {
        self.signatureURI = signatureURI
        self.references = references
    }

    private static let header = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <asic:ASiCManifest xmlns:asic="\(namespace)" xmlns:ds="\(xmldsigNamespace)">
        """
    private static let footer = "</asic:ASiCManifest>"

    /// The UTF-8 XML.
    public func xml() -> [UInt8] {
        var lines = [Self.header, "  <asic:SigReference URI=\"\(signatureURI)\" MimeType=\"application/pkcs7-signature\"/>"]
        for reference in references {
            lines.append("  <asic:DataObjectReference URI=\"\(reference.uri)\" MimeType=\"\(reference.mimeType)\">")
            lines.append("    <ds:DigestMethod Algorithm=\"\(Self.sha256Algorithm)\"/>")
            lines.append("    <ds:DigestValue>\(Data(reference.sha256).base64EncodedString())</ds:DigestValue>")
            lines.append("  </asic:DataObjectReference>")
        }
        lines.append(Self.footer)
        return Array((lines.joined(separator: "\n") + "\n").utf8)
    }

    /// Parses a manifest in exactly the form `xml()` writes.
    ///
    /// - Throws: `ArchiveError.invalidManifest` saying where the bytes leave that form.
    public static func parse(_ bytes: [UInt8]) throws(ArchiveError) -> ASiCManifest {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .invalidManifest("not UTF-8") }
        guard text.hasSuffix("\n") else { throw .invalidManifest("does not end with a newline") }
        let lines = text.dropLast().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let headerLines = header.split(separator: "\n").map(String.init)
        guard lines.count >= headerLines.count + 2, Array(lines.prefix(headerLines.count)) == headerLines else {
            throw .invalidManifest("the XML declaration or the asic:ASiCManifest element (namespaces \(namespace), \(xmldsigNamespace)) is not as expected")
        }
        guard lines.last == footer else { throw .invalidManifest("does not end with </asic:ASiCManifest>") }
        var index = headerLines.count
        guard let signatureURI = attribute("URI", in: lines[index], element: "  <asic:SigReference ", end: " MimeType=\"application/pkcs7-signature\"/>") else {
            throw .invalidManifest("line \(index + 1): expected <asic:SigReference URI=… MimeType=\"application/pkcs7-signature\"/>")
        }
        index += 1
        var references: [Reference] = []
        while index < lines.count - 1 {
            guard index + 4 <= lines.count - 1 else { throw .invalidManifest("line \(index + 1): an incomplete DataObjectReference") }
            let open = lines[index]
            let parts = open.split(separator: "\"", omittingEmptySubsequences: false)
            guard parts.count == 5, parts[0] == "  <asic:DataObjectReference URI=", parts[2] == " MimeType=", parts[4] == ">" else {
                throw .invalidManifest("line \(index + 1): expected <asic:DataObjectReference URI=… MimeType=…>")
            }
            let uri = String(parts[1])
            let mimeType = String(parts[3])
            guard lines[index + 1] == "    <ds:DigestMethod Algorithm=\"\(sha256Algorithm)\"/>" else {
                throw .invalidManifest("line \(index + 2): the digest method must be \(sha256Algorithm)")
            }
            let value = lines[index + 2]
            guard value.hasPrefix("    <ds:DigestValue>"), value.hasSuffix("</ds:DigestValue>"),
                  let digest = Data(base64Encoded: String(value.dropFirst(20).dropLast(17))), digest.count == 32 else {
                throw .invalidManifest("line \(index + 3): expected <ds:DigestValue> with a base64 SHA-256")
            }
            guard lines[index + 3] == "  </asic:DataObjectReference>" else {
                throw .invalidManifest("line \(index + 4): expected </asic:DataObjectReference>")
            }
            references.append(Reference(uri: uri, mimeType: mimeType, sha256: Array(digest)))
            index += 4
        }
        let manifest = ASiCManifest(signatureURI: signatureURI, references: references)
        for reference in references {
            guard ArchiveLayout.isSafePath(reference.uri) else { throw .invalidManifest("unsafe file name \(reference.uri.debugDescription)") }
            guard ArchiveLayout.isSafeComponent(String(reference.mimeType.map { $0 == "/" ? "_" : $0 })) else {
                throw .invalidManifest("unsafe media type \(reference.mimeType.debugDescription)")
            }
        }
        guard manifest.xml() == bytes else { throw .invalidManifest("not in the canonical form Signet writes") }
        return manifest
    }

    private static func attribute(_ name: String, in line: String, element: String, end: String) -> String? {
        let prefix = element + name + "=\""
        guard line.hasPrefix(prefix), line.hasSuffix("\"" + end) else { return nil }
        return String(line.dropFirst(prefix.count).dropLast(end.count + 1))
    }
}
