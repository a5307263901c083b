import SwiftASN1

/// The IssuerSerial of an ESS certificate reference (RFC 5035): the issuer's names and the
/// certificate's serial number.
public struct ESSIssuerSerial: Sendable, Hashable {
    /// The directoryName entries of the issuer GeneralNames.
    public let issuerNames: [DistinguishedName]
    /// How many GeneralNames of other kinds (never matched) the reference carries.
    public let otherIssuerNameCount: Int
    /// The serial number's INTEGER content octets (two's complement).
    public let serialNumber: [UInt8]
}

/// One ESSCertID (v1: SHA-1) or ESSCertIDv2 (any hash, SHA-256 by default).
public struct ESSCertificateIdentifier: Sendable, Hashable {
    /// The hash algorithm of `certificateHash` (SHA-1 for v1 references).
    public let hashAlgorithm: CMSAlgorithmIdentifier
    /// The hash of the referenced certificate's DER encoding.
    public let certificateHash: [UInt8]
    /// The issuer and serial number, when the reference carries them.
    public let issuerSerial: ESSIssuerSerial?
}

/// A signing-certificate (RFC 2634) or signing-certificate-v2 (RFC 5035) attribute value.
/// The first reference identifies the signer's certificate.
public struct ESSSigningCertificate: Sendable, Hashable {
    /// v1: signing-certificate with SHA-1 ESSCertIDs; v2: signing-certificate-v2.
    public enum Version: Sendable, Hashable { case v1, v2 }

    /// Which attribute this is.
    public let version: Version
    /// The certificate references, the signer's first.
    public let certificates: [ESSCertificateIdentifier]
    /// Whether the optional policies field is present (Signet does not interpret it).
    public let hasPolicies: Bool

    /// Parses an attribute value (the SigningCertificate or SigningCertificateV2 SEQUENCE).
    init(node: ASN1Node, version: Version) throws {
        self.version = version
        let what = version == .v1 ? "SigningCertificate" : "SigningCertificateV2"
        var children = try ASN1Read.children(node, .sequence, what)
        var references = try ASN1Read.children(try children.next(.sequence, "certs"), .sequence, "certs")
        var certificates: [ESSCertificateIdentifier] = []
        while references.hasMore {
            certificates.append(try Self.parseCertID(try references.next("ESSCertID"), version: version))
        }
        guard !certificates.isEmpty else { throw ASN1StructureError("\(what): certs is empty") }
        self.certificates = certificates
        hasPolicies = children.optional(.sequence) != nil
        try children.finish()
    }

    private static func parseCertID(_ node: ASN1Node, version: Version) throws -> ESSCertificateIdentifier {
        var fields = try ASN1Read.children(node, .sequence, "ESSCertID")
        var hashAlgorithm = CMSAlgorithmIdentifier(digest: version == .v1 ? .sha1 : .sha256)
        if version == .v2, let algorithm = fields.optional(.sequence) {
            hashAlgorithm = try CMSAlgorithmIdentifier(node: algorithm, "ESSCertIDv2 hashAlgorithm")
        }
        let hash = try ASN1Read.octetString(try fields.next(.octetString, "certHash"), "certHash")
        var issuerSerial: ESSIssuerSerial?
        if let node = fields.optional(.sequence) {
            issuerSerial = try parseIssuerSerial(node)
        }
        try fields.finish()
        return ESSCertificateIdentifier(hashAlgorithm: hashAlgorithm, certificateHash: hash, issuerSerial: issuerSerial)
    }

    private static func parseIssuerSerial(_ node: ASN1Node) throws -> ESSIssuerSerial {
        var fields = try ASN1Read.children(node, .sequence, "IssuerSerial")
        var generalNames = try ASN1Read.children(try fields.next(.sequence, "issuer"), .sequence, "GeneralNames")
        var names: [DistinguishedName] = []
        var others = 0
        while generalNames.hasMore {
            let name = try generalNames.next("GeneralName")
            if name.identifier == .context(4) {
                var inner = try ASN1Children(name, "directoryName")
                let der = Array(try inner.next(.sequence, "Name").encodedBytes)
                do {
                    names.append(try DistinguishedName(der: der))
                } catch {
                    throw ASN1StructureError("IssuerSerial: unreadable directoryName")
                }
            } else {
                others += 1
            }
        }
        let serial = try ASN1Read.integerBytes(try fields.next(.integer, "serialNumber"), "serialNumber")
        _ = fields.optional(.bitString)  // issuerUID, never used in practice
        try fields.finish()
        return ESSIssuerSerial(issuerNames: names, otherIssuerNameCount: others, serialNumber: serial)
    }

    /// Checks that the first reference names `certificate`: its hash and, when present,
    /// its issuer and serial number (RFC 5035 §5.4).
    public func checkReferences(_ certificate: Certificate) throws(CMSError) {
        guard let first = certificates.first else { throw .signingCertificateReferenceMismatch("no reference") }
        try first.check(certificate)
    }

    /// Whether the first reference's hash names `certificate` (used to choose among several
    /// certificates with the same sid).
    func hashMatches(_ certificate: Certificate) -> Bool {
        guard let first = certificates.first, let digest = first.hashAlgorithm.digestAlgorithm else { return false }
        return digest.hash(certificate.der) == first.certificateHash
    }

    /// The DER SigningCertificateV2 value naming `certificate` (SHA-256, so the hash algorithm
    /// is omitted as its DEFAULT, plus issuerSerial).
    package static func encodeV2(for certificate: Certificate) throws -> [UInt8] {
        let fields = try CMSCertificateFields(certificate)
        var coder = DER.Serializer()
        coder.appendConstructedNode(identifier: .sequence) { coder in          // SigningCertificateV2
            coder.appendConstructedNode(identifier: .sequence) { coder in      // certs
                coder.appendConstructedNode(identifier: .sequence) { coder in  // ESSCertIDv2
                    coder.appendPrimitiveNode(identifier: .octetString) { $0 += DigestAlgorithm.sha256.hash(certificate.der) }
                    coder.appendConstructedNode(identifier: .sequence) { coder in  // IssuerSerial
                        coder.appendConstructedNode(identifier: .sequence) { coder in  // GeneralNames
                            coder.appendConstructedNode(identifier: .context(4)) { coder in
                                coder.serializeRawBytes(fields.issuerDER)
                            }
                        }
                        coder.appendPrimitiveNode(identifier: .integer) { $0 += fields.serialNumber }
                    }
                }
            }
        }
        return coder.serializedBytes
    }
}

extension ESSCertificateIdentifier {
    /// Checks that this reference names `certificate`.
    public func check(_ certificate: Certificate) throws(CMSError) {
        guard let digest = hashAlgorithm.digestAlgorithm else {
            throw .unsupportedAlgorithm("ESS certificate hash \(hashAlgorithm.oid)")
        }
        guard digest.hash(certificate.der) == certificateHash else {
            throw .signingCertificateReferenceMismatch("the \(digest.rawValue) certificate hash differs")
        }
        guard let issuerSerial else { return }
        let fields: CMSCertificateFields
        do { fields = try CMSCertificateFields(certificate) } catch { throw .malformed("unreadable signer certificate") }
        guard ASN1Integers.equal(issuerSerial.serialNumber, fields.serialNumber) else {
            throw .signingCertificateReferenceMismatch("the serial number differs")
        }
        guard issuerSerial.issuerNames.contains(where: { $0.matches(certificate.issuer) }) else {
            throw .signingCertificateReferenceMismatch("the issuer name differs")
        }
    }
}
