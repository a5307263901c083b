package import Foundation
package import SignetCrypto
package import SignetPKI
package import SignetTestSupport
package import Testing

/// A PKI for the CMS and timestamp tests (root → issuing CA → signer and TSA), issued with
/// Signet's CertificateAuthority and written out as PEM files for the openssl CLI.
package struct CMSTestPKI {
    package let dir: TemporaryDirectory
    package let now: Date
    package let root: CertificateAuthority
    package let issuing: CertificateAuthority
    package let signer: Certificate
    package let signerKey: PrivateKey
    package let tsa: Certificate
    package let tsaKey: PrivateKey

    /// root.pem, issuing.pem, signer.pem / signer.key, tsa.pem / tsa.key, chain.pem (issuing
    /// + root), tsa-chain.pem (TSA + issuing), signer-chain.pem (signer + issuing).
    /// `signer`, when given, is the signer's key instead of a fresh `spec` one.
    package init(signerKey spec: KeySpec = .p256, tsaKey tsaSpec: KeySpec = .p256, now: Date = Date(), signer existing: PrivateKey? = nil) throws {
        dir = try TemporaryDirectory("signet-cms")
        self.now = now
        root = try CertificateAuthority.makeRoot(
            subject: try DistinguishedName([(.country, "CN"), (.organization, "Signet CMS Test"), (.commonName, "CMS Test Root CA")]),
            key: try PrivateKey.generate(.p256),
            notBefore: now.addingTimeInterval(-86_400), notAfter: now.addingTimeInterval(20 * 365 * 86_400))
        let issuingKey = try PrivateKey.generate(.p256)
        let issuingCert = try root.issueSubordinate(
            subject: try DistinguishedName([(.country, "CN"), (.organization, "Signet CMS Test"), (.commonName, "CMS Test Issuing CA")]),
            key: try issuingKey.publicKey,
            notBefore: now.addingTimeInterval(-86_400), notAfter: now.addingTimeInterval(10 * 365 * 86_400))
        issuing = try CertificateAuthority(certificate: issuingCert, privateKey: issuingKey)

        signerKey = try existing ?? PrivateKey.generate(spec)
        signer = try issuing.issue(CertificateBuilder.signer(
            subject: try DistinguishedName([(.country, "CN"), (.organization, "示例商户有限公司"), (.commonName, "张三")]),
            publicKey: try signerKey.publicKey,
            notBefore: now.addingTimeInterval(-3600), notAfter: now.addingTimeInterval(365 * 86_400)))

        tsaKey = try PrivateKey.generate(tsaSpec)
        tsa = try issuing.issue(CertificateBuilder.timeStamping(
            subject: try DistinguishedName([(.country, "CN"), (.organization, "Signet CMS Test"), (.commonName, "CMS Test TSA")]),
            publicKey: try tsaKey.publicKey,
            notBefore: now.addingTimeInterval(-3600), notAfter: now.addingTimeInterval(365 * 86_400)))

        try save(root.certificate.pem, "root.pem")
        try save(issuing.certificate.pem, "issuing.pem")
        try save(signer.pem, "signer.pem")
        try save(signer.pem + issuing.certificate.pem, "signer-chain.pem")
        try save(tsa.pem, "tsa.pem")
        try save(tsa.pem + issuing.certificate.pem, "tsa-chain.pem")
        try save(issuing.certificate.pem + root.certificate.pem, "chain.pem")
        try signerKey.write(toFile: path("signer.key"))
        try tsaKey.write(toFile: path("tsa.key"))
    }

    /// A path inside the fixture directory.
    package func path(_ name: String) -> String { dir.file(name).path }

    /// Writes text into the fixture directory.
    @discardableResult
    package func save(_ text: String, _ name: String) throws -> String {
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
        return path(name)
    }

    /// Writes bytes into the fixture directory.
    @discardableResult
    package func save(_ bytes: [UInt8], _ name: String) throws -> String {
        try Data(bytes).write(to: dir.file(name))
        return path(name)
    }

    /// Reads a file of the fixture directory.
    package func load(_ name: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: dir.file(name))) }

    /// A built-in TSA with an in-memory serial counter.
    package func authority(policy: String = "1.3.6.1.4.1.99999.1.1", serials: TimeStampSerialCounter = TimeStampSerialCounter()) throws -> TimeStampAuthority {
        try TimeStampAuthority(key: tsaKey, certificate: tsa, chain: [issuing.certificate], serials: serials,
                               configuration: TimeStampAuthorityConfiguration(policy: policy))
    }

    /// Trust in this PKI's root at `time`.
    package func trust(at time: Date = Date()) -> TimeStampTrust {
        TimeStampTrust(anchors: [root.certificate], validationTime: time)
    }
}

/// Running the openssl CLI from the CMS tests.
package enum CMSOpenSSL {
    /// Runs openssl; records a test failure (with its output) unless it exits with `expect`.
    @discardableResult
    package static func run(_ arguments: [String], expect status: Int32? = 0, sourceLocation: SourceLocation = #_sourceLocation) throws -> ToolResult {
        let result = try ExternalTool.run("openssl", arguments)
        if let status {
            #expect(result.status == status, "openssl \(arguments.joined(separator: " ")) → \(result.status): \(result.combinedOutput)",
                    sourceLocation: sourceLocation)
        }
        return result
    }

    /// The dotted OIDs of the signed attributes in `openssl cms -cmsout -print` output.
    package static func signedAttributeOIDs(_ printed: String) -> [String] {
        attributeOIDs(printed, section: "signedAttrs:", end: "signatureAlgorithm:")
    }

    /// The dotted OIDs of the unsigned attributes in `openssl cms -cmsout -print` output.
    package static func unsignedAttributeOIDs(_ printed: String) -> [String] {
        attributeOIDs(printed, section: "unsignedAttrs:", end: nil)
    }

    private static func attributeOIDs(_ printed: String, section: String, end: String?) -> [String] {
        guard let start = printed.range(of: section) else { return [] }
        var text = printed[start.upperBound...]
        if let end, let stop = text.range(of: end) { text = text[..<stop.lowerBound] }
        // Attribute lines read "object: name (dotted.oid)" at the attribute's indentation.
        return text.split(separator: "\n").compactMap { line -> String? in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("object:"), let open = trimmed.lastIndex(of: "("), let close = trimmed.lastIndex(of: ")") else {
                return nil
            }
            return String(trimmed[trimmed.index(after: open)..<close])
        }
    }
}

/// Byte helpers for the CMS tests.
package enum CMSBytes {
    /// Random bytes for test content.
    package static func random(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8.random(in: 0...255) } }

    /// `bytes` with the byte at `index` changed.
    package static func flipped(_ bytes: [UInt8], at index: Int) -> [UInt8] {
        var copy = bytes
        copy[index] ^= 0x5A
        return copy
    }

    /// The offset of `needle` in `haystack`.
    package static func offset(of needle: [UInt8], in haystack: [UInt8]) -> Int? { ByteSearch.offset(of: needle, in: haystack) }

    /// Re-encodes DER as BER with every constructed element in indefinite-length form,
    /// except X.509 certificates (kept as they are: they are signed, and ESS hashes them).
    package static func indefiniteLengths(_ der: [UInt8]) -> [UInt8] {
        var offset = 0
        return reencode(der, &offset, depth: 0)
    }

    private static func reencode(_ bytes: [UInt8], _ offset: inout Int, depth: Int) -> [UInt8] {
        let start = offset
        let tag = bytes[offset]
        offset += 1
        var length = Int(bytes[offset])
        offset += 1
        if length & 0x80 != 0 {
            let count = length & 0x7f
            length = bytes[offset..<offset + count].reduce(0) { $0 << 8 | Int($1) }
            offset += count
        }
        let end = offset + length
        guard tag & 0x20 != 0, !isCertificate(bytes, tag: tag, contentStart: offset) else {
            offset = end
            return Array(bytes[start..<end])
        }
        var out: [UInt8] = [tag, 0x80]
        _ = depth
        while offset < end { out += reencode(bytes, &offset, depth: depth + 1) }
        return out + [0, 0]
    }

    /// Certificate ::= SEQUENCE { TBSCertificate ::= SEQUENCE { [0] EXPLICIT version, ... } ... }
    private static func isCertificate(_ bytes: [UInt8], tag: UInt8, contentStart: Int) -> Bool {
        guard tag == 0x30, contentStart + 1 < bytes.count, bytes[contentStart] == 0x30 else { return false }
        var cursor = contentStart + 1
        let length = bytes[cursor]
        cursor += 1 + (length & 0x80 != 0 ? Int(length & 0x7f) : 0)
        return cursor + 4 < bytes.count && Array(bytes[cursor..<cursor + 4]) == [0xA0, 0x03, 0x02, 0x01]
    }
}
