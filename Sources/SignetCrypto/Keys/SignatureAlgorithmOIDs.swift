/// Signature algorithm OIDs that name a whole scheme, digest included (their parameters
/// are absent, or NULL for the PKCS#1 ones). rsaEncryption, id-ecPublicKey, id-dsa (which
/// take the digest from the SignerInfo) and RSASSA-PSS (which has parameters) are handled apart.
enum SignatureAlgorithmOIDs {
    /// NIST sigAlgs arc (DSA with SHA-2 and SHA-3, ECDSA and RSA PKCS#1 v1.5 with SHA-3).
    private static let nist = "2.16.840.1.101.3.4.3"
    /// BSI TR-03111 ecdsa-plain-signatures arc (0.4.0.127.0.7.1.1.4.1).
    private static let plain = "0.4.0.127.0.7.1.1.4.1"

    /// Every such OID and its scheme. RIPEMD-160 (ecdsa-plain-RIPEMD160, .6) is not among
    /// them: Signet does not implement that digest.
    static let all: [(oid: String, scheme: SignatureScheme)] = [
        (CMSObjectIdentifier.sha1WithRSAEncryption, .rsaPKCS1v15(.sha1)),
        ("1.2.840.113549.1.1.14", .rsaPKCS1v15(.sha224)),
        (CMSObjectIdentifier.sha256WithRSAEncryption, .rsaPKCS1v15(.sha256)),
        (CMSObjectIdentifier.sha384WithRSAEncryption, .rsaPKCS1v15(.sha384)),
        (CMSObjectIdentifier.sha512WithRSAEncryption, .rsaPKCS1v15(.sha512)),
        ("1.2.840.113549.1.1.16", .rsaPKCS1v15(.sha512_256)),
        ("\(nist).13", .rsaPKCS1v15(.sha3_224)),
        ("\(nist).14", .rsaPKCS1v15(.sha3_256)),
        ("\(nist).15", .rsaPKCS1v15(.sha3_384)),
        ("\(nist).16", .rsaPKCS1v15(.sha3_512)),
        (CMSObjectIdentifier.ecdsaWithSHA1, .ecdsa(.sha1)),
        ("1.2.840.10045.4.3.1", .ecdsa(.sha224)),
        (CMSObjectIdentifier.ecdsaWithSHA256, .ecdsa(.sha256)),
        (CMSObjectIdentifier.ecdsaWithSHA384, .ecdsa(.sha384)),
        (CMSObjectIdentifier.ecdsaWithSHA512, .ecdsa(.sha512)),
        ("\(nist).9", .ecdsa(.sha3_224)),
        ("\(nist).10", .ecdsa(.sha3_256)),
        ("\(nist).11", .ecdsa(.sha3_384)),
        ("\(nist).12", .ecdsa(.sha3_512)),
        ("\(plain).1", .ecdsaPlain(.sha1)),
        ("\(plain).2", .ecdsaPlain(.sha224)),
        ("\(plain).3", .ecdsaPlain(.sha256)),
        ("\(plain).4", .ecdsaPlain(.sha384)),
        ("\(plain).5", .ecdsaPlain(.sha512)),
        ("\(plain).8", .ecdsaPlain(.sha3_224)),
        ("\(plain).9", .ecdsaPlain(.sha3_256)),
        ("\(plain).10", .ecdsaPlain(.sha3_384)),
        ("\(plain).11", .ecdsaPlain(.sha3_512)),
        ("1.2.840.10040.4.3", .dsa(.sha1)),
        ("\(nist).1", .dsa(.sha224)),
        ("\(nist).2", .dsa(.sha256)),
        ("\(nist).3", .dsa(.sha384)),
        ("\(nist).4", .dsa(.sha512)),
        ("\(nist).5", .dsa(.sha3_224)),
        ("\(nist).6", .dsa(.sha3_256)),
        ("\(nist).7", .dsa(.sha3_384)),
        ("\(nist).8", .dsa(.sha3_512)),
        (CMSObjectIdentifier.ed25519, .ed25519),
        (CMSObjectIdentifier.ed448, .ed448),
    ]

    private static let schemes: [String: SignatureScheme] = Dictionary(all.map { ($0.oid, $0.scheme) }) { first, _ in first }
    private static let oids: [SignatureScheme: String] = Dictionary(all.map { ($0.scheme, $0.oid) }) { first, _ in first }

    /// The scheme `oid` names, if it is one of these.
    static func scheme(for oid: String) -> SignatureScheme? { schemes[oid] }

    /// The OID naming `scheme`, if there is one.
    static func oid(for scheme: SignatureScheme) -> String? { oids[scheme] }

    /// Whether identifiers with this OID carry NULL parameters when written (RFC 4055 §5 for
    /// the PKCS#1 SHA-1/SHA-2 ones; NIST and RFC 5758/8419 leave them absent elsewhere).
    static func writesNullParameters(_ oid: String) -> Bool { oid.hasPrefix("1.2.840.113549.1.1.") }
}
