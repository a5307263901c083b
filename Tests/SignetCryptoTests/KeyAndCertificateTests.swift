import Foundation
import SignetCrypto
import SignetCryptoTestSupport
import SignetTestSupport
import Testing

@Suite("Private keys and certificates")
struct KeyAndCertificateTests {
    @Test("Generated keys sign and verify; a wrong message fails", arguments: [KeySpec.p256, .p384, .rsa(bits: 2048)])
    func signVerify(spec: KeySpec) throws {
        let key = try PrivateKey.generate(spec)
        let message = Array("contract digest".utf8)
        let scheme: SignatureScheme = spec == .rsa(bits: 2048) ? .rsaPKCS1v15(.sha256) : .ecdsa(.sha256)
        let signature = try key.sign(message, digest: .sha256)
        #expect(try key.publicKey.verify(signature: signature, message: message, scheme: scheme))
        #expect(try !key.publicKey.verify(signature: signature, message: Array("other".utf8), scheme: scheme))
        let digest = DigestAlgorithm.sha256.hash(message)
        let overDigest = try key.sign(digest: digest, algorithm: .sha256)
        #expect(try key.publicKey.verify(signature: overDigest, message: message, scheme: scheme))
        #expect(key.description.contains(spec == .p384 ? "P-384" : spec == .p256 ? "P-256" : "RSA 2048"))
    }

    @Test("A traditional encrypted EC key (Proc-Type: 4,ENCRYPTED, made by openssl) without its passphrase is a wrong-passphrase error")
    func traditionalEncryptedKey() throws {
        let dir = try TemporaryDirectory()
        let plain = try write(try PrivateKey.generate(.p256).pemPKCS8(), "plain.pem", in: dir)
        let encrypted = dir.file("traditional.pem").path
        _ = try openssl(["ec", "-in", plain, "-aes256", "-passout", "pass:secret", "-out", encrypted])
        let pem = try String(contentsOfFile: encrypted, encoding: .utf8)
        #expect(pem.contains("Proc-Type: 4,ENCRYPTED"))
        #expect(throws: CryptoError.wrongPassphrase) { try PrivateKey(pem: pem) }
        #expect(try PrivateKey(pem: pem, passphrase: "secret").algorithmDescription == "EC P-256")
    }

    @Test("Encrypted PKCS#8 round-trips, refuses a wrong passphrase, and openssl reads it")
    func encryptedPKCS8() throws {
        let key = try PrivateKey.generate(.p256)
        let pem = try key.pemPKCS8(passphrase: "correct horse")
        #expect(pem.contains("BEGIN ENCRYPTED PRIVATE KEY"))
        #expect(throws: CryptoError.wrongPassphrase) { try PrivateKey(pem: pem, passphrase: "wrong") }
        #expect(throws: CryptoError.wrongPassphrase) { try PrivateKey(pem: pem) }
        let back = try PrivateKey(pem: pem, passphrase: "correct horse")
        #expect(try back.publicKey == key.publicKey)
        let der = try key.derPKCS8(passphrase: "pw")
        #expect(try PrivateKey(der: der, passphrase: "pw").publicKey == key.publicKey)

        let dir = try TemporaryDirectory()
        let path = dir.file("key.pem").path
        try key.write(toFile: path, passphrase: "correct horse")
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(throws: CryptoError.self) { try key.write(toFile: path) }
        let openssl = try ExternalTool.run("openssl", ["pkey", "-in", path, "-passin", "pass:correct horse", "-noout", "-text_pub"])
        #expect(openssl.status == 0, "\(openssl.errorOutput)")
    }

    @Test("Certificate fields agree with openssl x509")
    func certificateFields() throws {
        let path = RepositoryPaths.corpus.appendingPathComponent("trust/pyhanko-testing-ca-root.cert.pem").path
        let cert = try Certificate(contentsOfFile: path)
        let serial = try ExternalTool.run("openssl", ["x509", "-in", path, "-noout", "-serial"]).output
        #expect(serial.trimmingCharacters(in: .whitespacesAndNewlines) == "serial=\(cert.serialNumberHex)")
        let fingerprint = try ExternalTool.run("openssl", ["x509", "-in", path, "-noout", "-fingerprint", "-sha256"]).output
        let hex = cert.sha256Fingerprint.map { String(format: "%02X", $0) }.joined(separator: ":")
        #expect(fingerprint.contains(hex))
        let subject = try ExternalTool.run("openssl", ["x509", "-in", path, "-noout", "-subject", "-nameopt", "RFC2253"]).output
        #expect(subject.trimmingCharacters(in: .whitespacesAndNewlines) == "subject=\(cert.subject.rfc2253)")
        #expect(cert.isCA)
        #expect(cert.isSelfSigned)
        #expect(cert.isIssued(by: cert))
        #expect(cert.keyUsage?.contains(.keyCertSign) == true)
        let enddate = try ExternalTool.run("openssl", ["x509", "-in", path, "-noout", "-enddate", "-dateopt", "iso_8601"]).output
        let iso = ISO8601DateFormatter()
        let printed = enddate.split(separator: "=")[1].trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(iso.date(from: printed.replacingOccurrences(of: " ", with: "T")) == cert.notAfter)

        let other = try Certificate(contentsOfFile: RepositoryPaths.corpus.appendingPathComponent("trust/siwa-selfsigned-mladenov.cert.pem").path)
        #expect(!cert.isIssued(by: other))
        #expect(cert != other)
        #expect(throws: (any Error).self) { try Certificate(der: Array(cert.der.dropLast())) }
        #expect(throws: (any Error).self) { try Certificate(der: cert.der + [0]) }
    }
}
