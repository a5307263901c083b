/// The names and media types of an ASiC-E archive's entries (docs/archives.md).
public enum ArchiveLayout {
    /// The content of the `mimetype` entry (no newline).
    public static let mimeType = "application/vnd.etsi.asic-e+zip"
    /// The first entry, stored uncompressed.
    public static let mimetypePath = "mimetype"
    /// The manifest listing every data file with its SHA-256.
    public static let manifestPath = "META-INF/ASiCManifest.xml"
    /// The CAdES detached signature over the manifest.
    public static let signaturePath = "META-INF/signature001.p7s"
    /// `sha256sum -c` listing of the data files.
    public static let sumsPath = "SHA256SUMS"
    /// How to check the archive by hand.
    public static let readmePath = "README.txt"
    /// The platform root, for the manual checks only.
    public static let rootPath = "trust/root-ca.pem"
    /// The folder of every contract.
    public static let contractsFolder = "contracts/"
    /// The folder of a contract's template files, inside its folder.
    public static let templateFolder = "template/"

    /// The fixed files of a contract's folder (besides `template/<file>`).
    public enum ContractFile: String, Sendable, CaseIterable {
        /// The signed PDF as stored.
        case signed = "signed.pdf"
        /// The unsigned render.
        case original = "original.pdf"
        /// `ArchivedContractRecord`.
        case fields = "fields.json"
        /// `ArchivedAuditTrail`.
        case auditTrail = "audit-trail.json"
        /// The sealed evidence report.
        case evidence = "evidence.pdf"
        /// The verify report of `signed.pdf` at export time.
        case verification = "verification.json"
    }

    /// `contracts/<id>/`.
    public static func contractFolder(_ contractID: String) -> String { contractsFolder + contractID + "/" }

    /// The media type the manifest gives a file.
    public static func mediaType(of path: String) -> String {
        if path.hasSuffix(".pdf") { return "application/pdf" }
        if path.hasSuffix(".json") { return "application/json" }
        if path.hasSuffix(".pem") { return "application/x-pem-file" }
        if path.hasSuffix(".xml") { return "application/xml" }
        if path.hasSuffix(".txt") || path == sumsPath { return "text/plain" }
        return "application/octet-stream"
    }

    /// Whether `name` is a safe single path component: ASCII letters, digits, `.`, `_`,
    /// `-`, `@`, `+`, not starting with `.`, at most 200 bytes. Every archive name is made of
    /// such components, so the names need no escaping in XML, in `SHA256SUMS` or in a shell.
    public static func isSafeComponent(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 200, !name.hasPrefix(".") else { return false }
        return name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
                || byte == UInt8(ascii: "@") || byte == UInt8(ascii: "+")
        }
    }

    /// Whether `path` is relative, made of safe components separated by `/` (no `..`, no
    /// absolute path, no backslash, no empty component).
    public static func isSafePath(_ path: String) -> Bool {
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        return !components.isEmpty && components.count <= 8 && components.allSatisfy { isSafeComponent(String($0)) }
    }
}
