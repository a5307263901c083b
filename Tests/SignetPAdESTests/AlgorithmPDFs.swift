import Foundation
import SignetCrypto
import SignetPAdES
import SignetTestSupport
import Testing

/// A PDF signature with another algorithm than Signet's defaults, made by pyHanko
/// (`Tests/Fixtures/pyhanko-sign-algorithm.py`) or by Signet's own CMS signer with a chosen scheme;
/// B-B, in one incremental update over a fixture PDF.
struct AlgorithmPDF: Sendable, CustomTestStringConvertible {
    enum Producer: Sendable {
        /// pyHanko with this digest name, RSA keys with RSASSA-PSS when `pss` is set.
        case pyHanko(digest: String, pss: Bool)
        /// Signet's `CMSSigner` with the key signing with this scheme.
        case signet(SignatureScheme)
    }

    let key: KeySpec
    let producer: Producer
    /// The report's `signatureAlgorithm` and `digestAlgorithm`.
    let algorithm: String
    let digest: DigestAlgorithm
    /// What `pyhanko sign validate` says of the valid file.
    var pyHanko = PyHankoView.agrees

    enum PyHankoView: Sendable {
        /// INTACT:TRUSTED, and it rejects the tampered files too.
        case agrees
        /// INVALID: asn1crypto does not know the OID (id-rsassa-pkcs1-v1_5-with-sha3-*),
        /// though OpenSSL verifies the signature (CMSAlgorithmTests).
        case invalidUnknownOID
        /// pyHanko cannot tell (plain ECDSA is not in asn1crypto either); not run.
        case notRun
    }

    var testDescription: String {
        switch producer {
        case .pyHanko: "pyHanko: \(algorithm), \(digest), \(key) key"
        case .signet: "Signet: \(algorithm), \(key) key"
        }
    }

    static let all: [AlgorithmPDF] = [
        AlgorithmPDF(key: .ed25519, producer: .pyHanko(digest: "sha512", pss: false), algorithm: "Ed25519", digest: .sha512),
        AlgorithmPDF(key: .ed448, producer: .pyHanko(digest: "shake256", pss: false), algorithm: "Ed448", digest: .shake256),
        AlgorithmPDF(key: .rsa(bits: 2048), producer: .pyHanko(digest: "sha3_256", pss: true),
                     algorithm: "RSA-PSS with SHA3-256 (MGF1 SHA3-256, salt 222)", digest: .sha3_256),
        AlgorithmPDF(key: .rsa(bits: 3072), producer: .pyHanko(digest: "sha512", pss: true),
                     algorithm: "RSA-PSS with SHA-512 (MGF1 SHA-512, salt 318)", digest: .sha512),
        AlgorithmPDF(key: .brainpoolP256r1, producer: .pyHanko(digest: "sha3_256", pss: false), algorithm: "ECDSA with SHA3-256", digest: .sha3_256),
        AlgorithmPDF(key: .brainpoolP384r1, producer: .pyHanko(digest: "sha384", pss: false), algorithm: "ECDSA with SHA-384", digest: .sha384),
        AlgorithmPDF(key: .brainpoolP512r1, producer: .pyHanko(digest: "sha512", pss: false), algorithm: "ECDSA with SHA-512", digest: .sha512),
        AlgorithmPDF(key: .p521, producer: .pyHanko(digest: "sha3_512", pss: false), algorithm: "ECDSA with SHA3-512", digest: .sha3_512),
        AlgorithmPDF(key: .rsa(bits: 2048), producer: .signet(.rsaPKCS1v15(.sha3_256)),
                     algorithm: "RSA PKCS#1 v1.5 with SHA3-256", digest: .sha3_256, pyHanko: .invalidUnknownOID),
        AlgorithmPDF(key: .rsaPSS(bits: 2048), producer: .signet(.rsaPSS(.sha256, mgf1: .sha256, saltLength: 32)),
                     algorithm: "RSA-PSS with SHA-256 (MGF1 SHA-256, salt 32)", digest: .sha256),
        AlgorithmPDF(key: .p256, producer: .signet(.ecdsaPlain(.sha256)),
                     algorithm: "ECDSA (plain r‖s, BSI TR-03111) with SHA-256", digest: .sha256, pyHanko: .notRun),
        AlgorithmPDF(key: .brainpoolP256r1, producer: .signet(.ecdsaPlain(.sha3_256)),
                     algorithm: "ECDSA (plain r‖s, BSI TR-03111) with SHA3-256", digest: .sha3_256, pyHanko: .notRun),
    ]

    /// Signs the cairo-pango fixture with a fresh `key` certificate from `pki`.
    func sign(_ pki: VerificationPKI) async throws -> [UInt8] {
        let (key, certificate) = try pki.signer(key: self.key)
        let chain = [pki.issuing.certificate, pki.root.certificate]
        let base = try VerificationSupport.base()
        switch producer {
        case .signet(let scheme):
            let cms = try CMSSigner(key: try key.signing(with: scheme), certificate: certificate, chain: chain)
            return try await PAdESSigner(cms: cms).sign(base, level: .bB, request: SignatureRequest(metadata: VerificationSupport.metadata))
        case .pyHanko(let digest, let pss):
            let dir = try TemporaryDirectory("signet-algorithm-pdf")
            try Data(base).write(to: dir.file("base.pdf"))
            try key.write(toFile: dir.file("key.pem").path)
            try certificate.pem.write(to: dir.file("cert.pem"), atomically: true, encoding: .utf8)
            try chain.map(\.pem).joined().write(to: dir.file("chain.pem"), atomically: true, encoding: .utf8)
            let script = RepositoryPaths.fixtures.appendingPathComponent("pyhanko-sign-algorithm.py").path
            let result = try ExternalTool.run(RepositoryPaths.root.appendingPathComponent(".venv/bin/python").path, [
                "-W", "ignore", script, dir.file("base.pdf").path, dir.file("signed.pdf").path, dir.file("key.pem").path,
                dir.file("cert.pem").path, dir.file("chain.pem").path, digest,
            ] + (pss ? ["pss"] : []))
            guard result.status == 0 else { throw OracleSetupError(description: "pyhanko-sign-algorithm.py: \(result.combinedOutput)") }
            return [UInt8](try Data(contentsOf: dir.file("signed.pdf")))
        }
    }
}

/// Edits inside a signed PDF's first /Contents (the CMS), keeping every length.
enum ContentsSurgery {
    /// The CMS in the first signature's /Contents and where its hex digits start.
    static func cms(_ pdf: [UInt8]) throws -> (cms: [UInt8], hexStart: Int) {
        let (_, numbers) = try #require(VerificationSupport.firstByteRange(pdf))
        let hexStart = numbers[1] + 1
        let digits = Array(pdf[hexStart..<(numbers[2] - 1)])
        let bytes = stride(from: 0, to: digits.count - 1, by: 2).map { i in
            UInt8(String(decoding: digits[i..<i + 2], as: UTF8.self), radix: 16) ?? 0
        }
        return (bytes, hexStart)
    }

    /// `pdf` with the CMS byte at `offset` replaced by `value` (hex written in the file's own case).
    static func setting(_ pdf: [UInt8], cmsOffset offset: Int, to value: UInt8) throws -> [UInt8] {
        let (_, hexStart) = try cms(pdf)
        var copy = pdf
        let upper = pdf[hexStart..<(hexStart + 64)].contains { (UInt8(ascii: "A")...UInt8(ascii: "F")).contains($0) }
        let text = String(value, radix: 16, uppercase: upper)
        let digits = Array((text.count == 1 ? "0" + text : text).utf8)
        copy[hexStart + 2 * offset] = digits[0]
        copy[hexStart + 2 * offset + 1] = digits[1]
        return copy
    }

    /// `pdf` with one bit of the signature value flipped.
    static func flippingSignatureValue(_ pdf: [UInt8]) throws -> [UInt8] {
        let (bytes, _) = try cms(pdf)
        let signature = try CMSSignedData(berEncoded: bytes, allowingTrailingZeroPadding: true).signerInfos[0].signature
        let at = try #require(ByteSearch.offset(of: signature, in: bytes)) + signature.count / 2
        return try setting(pdf, cmsOffset: at, to: bytes[at] ^ 0x04)
    }
}
