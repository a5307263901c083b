import SwiftASN1

/// An X.509/CMS AlgorithmIdentifier: an OID and its parameters as encoded.
public struct CMSAlgorithmIdentifier: Sendable, Hashable, CustomStringConvertible {
    /// Dotted OID.
    public let oid: String
    /// The encoded parameters element (TLV), or nil when absent.
    public let parameters: [UInt8]?

    /// An identifier with `oid` and the encoded `parameters` element (nil: absent).
    public init(oid: String, parameters: [UInt8]? = nil) {
        self.oid = oid
        self.parameters = parameters
    }

    /// The dotted OID.
    public var description: String { oid }

    /// Whether the parameters are absent or NULL (both are accepted for digest and most
    /// signature algorithms, RFC 5754 §2/§3).
    package var hasNoParameters: Bool { parameters == nil || parameters == [0x05, 0x00] }

    init(node: ASN1Node, _ what: String) throws {
        var children = try ASN1Read.children(node, .sequence, what)
        oid = try ASN1Read.oid(try children.next(.objectIdentifier, "algorithm"), "\(what) algorithm")
        parameters = children.hasMore ? Array(try children.next("parameters").encodedBytes) : nil
        try children.finish()
    }

    func serialize(into coder: inout DER.Serializer) throws {
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(try ASN1ObjectIdentifier(dotRepresentation: oid))
            if let parameters { coder.serializeRawBytes(parameters) }
        }
    }

    /// The digest algorithm this identifier names, if Signet supports it. SHAKE256 counts
    /// only with a 512-bit output: id-shake256-len with parameters 512 (RFC 8419), or
    /// id-shake256 without parameters (RFC 8702).
    public var digestAlgorithm: DigestAlgorithm? {
        guard let algorithm = DigestAlgorithm(oid: oid) else { return nil }
        guard algorithm == .shake256 else { return algorithm }
        if oid == DigestAlgorithm.shake256FixedLengthOID { return parameters == nil ? algorithm : nil }
        return parameters == Self.shake256OutputLength ? algorithm : nil
    }

    /// ShakeOutputLen ::= INTEGER 512, DER.
    private static let shake256OutputLength: [UInt8] = [0x02, 0x02, 0x02, 0x00]

    /// The identifier for a digest algorithm (parameters absent, RFC 5754 §2; SHAKE256 as
    /// id-shake256-len with its 512-bit output length, RFC 8419 §2.3).
    public init(digest: DigestAlgorithm) {
        self.init(oid: digest.oid, parameters: digest == .shake256 ? Self.shake256OutputLength : nil)
    }

    /// The signature algorithm identifier for `scheme`, as Signet writes it.
    public init(signature scheme: SignatureScheme) throws {
        if case .rsaPSS(let digest, let mgf1, let salt) = scheme {
            var coder = DER.Serializer()
            try coder.appendConstructedNode(identifier: .sequence) { coder in
                try coder.appendConstructedNode(identifier: .context(0)) { coder in
                    try CMSAlgorithmIdentifier(digest: digest).serialize(into: &coder)
                }
                try coder.appendConstructedNode(identifier: .context(1)) { coder in
                    var inner = DER.Serializer()
                    try CMSAlgorithmIdentifier(digest: mgf1).serialize(into: &inner)
                    try CMSAlgorithmIdentifier(oid: CMSObjectIdentifier.mgf1, parameters: inner.serializedBytes)
                        .serialize(into: &coder)
                }
                try coder.appendConstructedNode(identifier: .context(2)) { coder in
                    try coder.serialize(salt)
                }
            }
            self.init(oid: CMSObjectIdentifier.rsaPSS, parameters: coder.serializedBytes)
            return
        }
        guard let oid = SignatureAlgorithmOIDs.oid(for: scheme) else {
            throw CMSError.unsupportedAlgorithm("no signature algorithm identifier for \(scheme)")
        }
        self.init(oid: oid, parameters: SignatureAlgorithmOIDs.writesNullParameters(oid) ? [0x05, 0x00] : nil)
    }

    /// The signature scheme this identifier names in a SignerInfo whose digest algorithm is
    /// `digest` (needed for rsaEncryption and id-ecPublicKey, which name no digest).
    public func signatureScheme(digest: DigestAlgorithm?) throws(CMSError) -> SignatureScheme {
        func requireDigest() throws(CMSError) -> DigestAlgorithm {
            guard let digest else {
                throw .unsupportedAlgorithm("signature algorithm \(oid) with an unsupported digest algorithm")
            }
            return digest
        }
        switch oid {
        case CMSObjectIdentifier.rsaEncryption:
            guard hasNoParameters else { throw .unsupportedAlgorithm("unexpected parameters for \(oid)") }
            return .rsaPKCS1v15(try requireDigest())
        case CMSObjectIdentifier.ecPublicKey:
            // The parameters, when present, name the curve (RFC 5480 §2.1.1), which the
            // certificate's key fixes anyway.
            return .ecdsa(try requireDigest())
        case CMSObjectIdentifier.dsa:
            // Likewise the domain parameters (RFC 3279 §2.3.2).
            return .dsa(try requireDigest())
        case CMSObjectIdentifier.rsaPSS:
            return try pssScheme()
        default:
            guard let scheme = SignatureAlgorithmOIDs.scheme(for: oid) else {
                throw .unsupportedAlgorithm("signature algorithm \(oid)")
            }
            switch scheme {
            case .ed25519, .ed448:
                // RFC 8410 §3: the parameters MUST be absent.
                guard parameters == nil else { throw .unsupportedAlgorithm("\(scheme) with parameters") }
            default:
                guard hasNoParameters else { throw .unsupportedAlgorithm("unexpected parameters for \(oid)") }
            }
            return scheme
        }
    }

    /// RSASSA-PSS-params (RFC 4055 §3.1), with its SHA-1 / MGF1-SHA-1 / 20 defaults.
    private func pssScheme() throws(CMSError) -> SignatureScheme {
        guard let parameters, parameters != [0x05, 0x00] else {
            return .rsaPSS(.sha1, mgf1: .sha1, saltLength: 20)
        }
        do {
            var children = try ASN1Read.children(try ASN1Read.parse(parameters, "RSASSA-PSS-params"), .sequence, "RSASSA-PSS-params")
            var digest = DigestAlgorithm.sha1, mgf = DigestAlgorithm.sha1, salt = 20
            if let node = children.optional(.context(0)) {
                var inner = try ASN1Children(node, "hashAlgorithm")
                let algorithm = try CMSAlgorithmIdentifier(node: try inner.next("hashAlgorithm"), "hashAlgorithm")
                guard let found = algorithm.digestAlgorithm else {
                    throw CMSError.unsupportedAlgorithm("RSA-PSS with digest \(algorithm.oid)")
                }
                digest = found
            }
            if let node = children.optional(.context(1)) {
                var inner = try ASN1Children(node, "maskGenAlgorithm")
                let algorithm = try CMSAlgorithmIdentifier(node: try inner.next("maskGenAlgorithm"), "maskGenAlgorithm")
                guard algorithm.oid == CMSObjectIdentifier.mgf1, let mgfParameters = algorithm.parameters else {
                    throw CMSError.unsupportedAlgorithm("RSA-PSS with mask generation \(algorithm.oid)")
                }
                let mgfDigest = try CMSAlgorithmIdentifier(node: try ASN1Read.parse(mgfParameters, "MGF1 parameters"), "MGF1 hash")
                guard let found = mgfDigest.digestAlgorithm else {
                    throw CMSError.unsupportedAlgorithm("RSA-PSS with MGF1 digest \(mgfDigest.oid)")
                }
                mgf = found
            }
            if let node = children.optional(.context(2)) {
                var inner = try ASN1Children(node, "saltLength")
                salt = try ASN1Read.smallInteger(try inner.next(.integer, "saltLength"), "saltLength")
            }
            if let node = children.optional(.context(3)) {
                var inner = try ASN1Children(node, "trailerField")
                guard try ASN1Read.smallInteger(try inner.next(.integer, "trailerField"), "trailerField") == 1 else {
                    throw CMSError.unsupportedAlgorithm("RSA-PSS with a trailer field other than 1")
                }
            }
            try children.finish()
            return .rsaPSS(digest, mgf1: mgf, saltLength: salt)
        } catch {
            throw CMSError.wrap(error)
        }
    }
}
