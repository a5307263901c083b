import Foundation
@testable import SignetCrypto
import SignetCryptoTestSupport
import SignetPKI
import SignetTestSupport
import Testing

/// One signature algorithm to check at the CMS level: the signer's key (nil: a DSA key
/// from `openssl genpkey`, which `KeySpec` does not offer), the scheme, the
/// CMS digest algorithm, and the signature algorithm identifier when it is not the scheme's
/// own (rsaEncryption and id-ecPublicKey name no digest).
struct AlgorithmCase: Sendable, CustomTestStringConvertible {
    let key: KeySpec?
    let scheme: SignatureScheme
    let digest: DigestAlgorithm
    var identifierOID: String?
    /// Whether OpenSSL 3.0's `cms -verify` can check it (it cannot check EdDSA in CMS, plain
    /// ECDSA, or the sha512-256WithRSAEncryption identifier).
    var openSSLVerifies: Bool

    init(_ key: KeySpec?, _ scheme: SignatureScheme, digest: DigestAlgorithm? = nil, identifierOID: String? = nil,
         openSSLVerifies: Bool = true) {
        self.key = key
        self.scheme = scheme
        self.digest = digest ?? scheme.digest ?? .sha512
        self.identifierOID = identifierOID
        self.openSSLVerifies = openSSLVerifies
    }

    var testDescription: String { "\(scheme) with a \(key?.description ?? "DSA 2048") key, digest \(digest)\(identifierOID.map { " as \($0)" } ?? "")" }

    static let all: [AlgorithmCase] = [
        AlgorithmCase(.p256, .ecdsa(.sha224)),
        AlgorithmCase(.p256, .ecdsa(.sha3_256)),
        AlgorithmCase(.p384, .ecdsa(.sha3_384)),
        AlgorithmCase(.p521, .ecdsa(.sha512)),
        AlgorithmCase(.p521, .ecdsa(.sha3_512)),
        AlgorithmCase(.p256, .ecdsa(.sha3_224)),
        AlgorithmCase(.brainpoolP256r1, .ecdsa(.sha256)),
        AlgorithmCase(.brainpoolP384r1, .ecdsa(.sha384)),
        AlgorithmCase(.brainpoolP512r1, .ecdsa(.sha512)),
        AlgorithmCase(.brainpoolP256r1, .ecdsa(.sha3_256)),
        AlgorithmCase(.p256, .ecdsa(.sha3_256), identifierOID: CMSObjectIdentifier.ecPublicKey),
        AlgorithmCase(.p256, .ecdsaPlain(.sha256), openSSLVerifies: false),
        AlgorithmCase(.p256, .ecdsaPlain(.sha224), openSSLVerifies: false),
        AlgorithmCase(.p256, .ecdsaPlain(.sha1), openSSLVerifies: false),
        AlgorithmCase(.p521, .ecdsaPlain(.sha512), openSSLVerifies: false),
        AlgorithmCase(.brainpoolP256r1, .ecdsaPlain(.sha3_256), openSSLVerifies: false),
        AlgorithmCase(.brainpoolP384r1, .ecdsaPlain(.sha3_384), openSSLVerifies: false),
        AlgorithmCase(.brainpoolP512r1, .ecdsaPlain(.sha3_512), openSSLVerifies: false),
        AlgorithmCase(.p384, .ecdsaPlain(.sha3_224), openSSLVerifies: false),
        AlgorithmCase(.rsa(bits: 2048), .rsaPKCS1v15(.sha224)),
        AlgorithmCase(.rsa(bits: 2048), .rsaPKCS1v15(.sha512_256), openSSLVerifies: false),
        AlgorithmCase(.rsa(bits: 2048), .rsaPKCS1v15(.sha3_224)),
        AlgorithmCase(.rsa(bits: 2048), .rsaPKCS1v15(.sha3_256)),
        AlgorithmCase(.rsa(bits: 2048), .rsaPKCS1v15(.sha3_384)),
        AlgorithmCase(.rsa(bits: 2048), .rsaPKCS1v15(.sha3_512)),
        AlgorithmCase(.rsa(bits: 2048), .rsaPKCS1v15(.sha3_256), identifierOID: CMSObjectIdentifier.rsaEncryption),
        AlgorithmCase(.rsa(bits: 2048), .rsaPSS(.sha3_256, mgf1: .sha3_256, saltLength: 32)),
        AlgorithmCase(.rsa(bits: 2048), .rsaPSS(.sha512, mgf1: .sha256, saltLength: 0)),
        AlgorithmCase(.rsa(bits: 2048), .rsaPSS(.sha3_512, mgf1: .sha1, saltLength: 64)),
        AlgorithmCase(.rsa(bits: 2048), .rsaPSS(.sha512_256, mgf1: .sha224, saltLength: 20)),
        AlgorithmCase(.rsaPSS(bits: 2048), .rsaPSS(.sha256, mgf1: .sha256, saltLength: 32)),
        AlgorithmCase(.rsaPSS(bits: 2048), .rsaPSS(.sha384, mgf1: .sha384, saltLength: 48)),
        AlgorithmCase(.ed25519, .ed25519, openSSLVerifies: false),
        AlgorithmCase(.ed448, .ed448, digest: .shake256, openSSLVerifies: false),
        AlgorithmCase(nil, .dsa(.sha256)),
        AlgorithmCase(nil, .dsa(.sha1)),
        AlgorithmCase(nil, .dsa(.sha3_256)),
        AlgorithmCase(nil, .dsa(.sha512), identifierOID: CMSObjectIdentifier.dsa),
    ]
}

/// Builds detached CMS signatures with any algorithm for the tests: signed attributes
/// from Signet's builder, the value from OpenSSL (`PrivateKey` for digest schemes,
/// `openssl pkeyutl -rawin` for EdDSA).
struct AlgorithmCMS {
    let pki: CMSTestPKI
    let content = CMSBytes.random(2500)

    /// A PKI whose signer has the case's key.
    static func pki(for testCase: AlgorithmCase) throws -> CMSTestPKI {
        if let key = testCase.key { return try CMSTestPKI(signerKey: key) }
        let dir = try TemporaryDirectory("signet-dsa")
        try CMSOpenSSL.run(["genpkey", "-genparam", "-algorithm", "DSA", "-pkeyopt", "dsa_paramgen_bits:2048",
                            "-out", dir.file("params.pem").path])
        try CMSOpenSSL.run(["genpkey", "-paramfile", dir.file("params.pem").path, "-out", dir.file("dsa.key").path])
        return try CMSTestPKI(signer: try PrivateKey(contentsOfFile: dir.file("dsa.key").path))
    }

    /// A CMS over `content` for `testCase`, with signature identifier `identifier`
    /// (default: the case's) and signature value `signature` (default: a real one).
    func make(_ testCase: AlgorithmCase, identifier: CMSAlgorithmIdentifier? = nil,
              signature override: [UInt8]? = nil) throws -> [UInt8] {
        let attributes = try CMSBuilder.signedAttributes(contentType: CMSObjectIdentifier.data,
                                                         messageDigest: testCase.digest.hash(content), signer: pki.signer)
        let signature = try override ?? sign(attributes, testCase.scheme)
        let algorithm = try identifier ?? testCase.identifierOID.map { CMSAlgorithmIdentifier(oid: $0) }
            ?? CMSAlgorithmIdentifier(signature: testCase.scheme)
        let signerInfo = try CMSBuilder.signerInfo(signer: CMSCertificateFields(pki.signer), digest: testCase.digest,
                                                   signedAttributes: attributes, signatureAlgorithm: algorithm,
                                                   signature: signature, unsignedAttributes: [])
        return try CMSBuilder.contentInfo(digest: testCase.digest, contentType: CMSObjectIdentifier.data, content: nil,
                                          certificates: [pki.signer, pki.issuing.certificate], signerInfo: signerInfo)
    }

    /// The signature value over the DER signed attributes.
    func sign(_ attributes: [UInt8], _ scheme: SignatureScheme) throws -> [UInt8] {
        guard let digest = scheme.digest else {
            try pki.save(attributes, "attributes.der")
            try CMSOpenSSL.run(["pkeyutl", "-sign", "-rawin", "-inkey", pki.path("signer.key"),
                                "-in", pki.path("attributes.der"), "-out", pki.path("eddsa.sig")])
            return try pki.load("eddsa.sig")
        }
        return try pki.signerKey.sign(digest: digest.hash(attributes), scheme: scheme)
    }

    /// Signet's verification of `cms` over `content` as a CAdES signature.
    func verify(_ cms: [UInt8], digest: DigestAlgorithm, content: [UInt8]? = nil) throws -> CMSSignerVerification {
        try CMSSignedData(berEncoded: cms).verifySigner(
            contentDigest: digest.hash(content ?? self.content),
            options: CMSVerificationOptions(requireDetached: true, requireSigningCertificateReference: true))
    }

    /// `openssl cms -verify` of `cms` over `content`, trusting the PKI's root.
    func openSSLVerify(_ cms: [UInt8], content: [UInt8]? = nil) throws -> ToolResult {
        try pki.save(cms, "algorithm.der")
        try pki.save(content ?? self.content, "algorithm-content.bin")
        return try CMSOpenSSL.run(["cms", "-verify", "-binary", "-inform", "DER", "-in", pki.path("algorithm.der"),
                                   "-content", pki.path("algorithm-content.bin"), "-CAfile", pki.path("root.pem"),
                                   "-purpose", "any", "-out", "/dev/null"], expect: nil)
    }
}
