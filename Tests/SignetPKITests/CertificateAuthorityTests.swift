import Foundation
import SignetCrypto
import SignetCryptoTestSupport
import SignetPKI
import SignetTestSupport
import Testing

@Suite("Certificate authority: issuing certificates")
struct CertificateAuthorityTests {
    @Test("openssl verify accepts Signet-issued chains for signer, TSA and OCSP responder certificates")
    func opensslVerifiesChains() throws {
        let pki = try TestPKI()
        let dir = try TemporaryDirectory()
        let root = try write(pki.root.certificate.pem, "root.pem", in: dir)
        let issuing = try write(pki.issuing.certificate.pem, "issuing.pem", in: dir)
        let (signer, _) = try pki.issueSigner()
        let (tsa, _) = try pki.issueTSA()
        let (responder, _) = try pki.issueOCSPResponder()
        let cases: [(Certificate, String?)] = [
            (pki.issuing.certificate, nil), (signer, nil), (tsa, "timestampsign"), (responder, "ocsphelper"),
        ]
        for (index, (cert, purpose)) in cases.enumerated() {
            let path = try write(cert.pem, "leaf\(index).pem", in: dir)
            var arguments = ["verify", "-x509_strict", "-CAfile", root, "-untrusted", issuing]
            if let purpose { arguments += ["-purpose", purpose] }
            let output = try openssl(arguments + [path])
            #expect(output.contains("\(path): OK"), "\(output)")
        }
        // Without the intermediate the chain does not verify: the test can fail.
        let lone = try write(signer.pem, "lone.pem", in: dir)
        let output = try openssl(["verify", "-CAfile", root, lone], expectedStatus: 2)
        #expect(output.contains("unable to get local issuer certificate"), "\(output)")
        // The TSA purpose check fails for a plain signer certificate.
        _ = try openssl(["verify", "-CAfile", root, "-untrusted", issuing, "-purpose", "timestampsign", lone], expectedStatus: 2)
    }

    @Test("openssl x509 -text shows the subject attributes and extensions Signet claims")
    func extensionsAsOpenSSLSeesThem() throws {
        let pki = try TestPKI()
        let dir = try TemporaryDirectory()
        let (signer, _) = try pki.issueSigner(commonName: "Li Si", organization: "Example Merchant Co., Ltd.", creditCode: "91350211MA2XYZ1234")
        let signerText = try openssl(["x509", "-in", try write(signer.pem, "signer.pem", in: dir), "-noout", "-text",
                                      "-nameopt", "RFC2253,-esc_msb"])
        for needle in [
            "Version: 3 (0x2)",
            "Signature Algorithm: ecdsa-with-SHA256",
            "Subject: CN=Li Si,serialNumber=91350211MA2XYZ1234,organizationIdentifier=NTRCN-91350211MA2XYZ1234,O=Example Merchant Co.\\, Ltd.,C=CN",
            "X509v3 Basic Constraints: critical\n                CA:FALSE",
            "X509v3 Key Usage: critical\n                Digital Signature, Non Repudiation",
            "X509v3 CRL Distribution Points: \n                Full Name:\n                  URI:\(TestPKI.crlURL)",
            "Authority Information Access: \n                OCSP - URI:\(TestPKI.ocspURL)",
            "X509v3 Subject Key Identifier",
            "X509v3 Authority Key Identifier",
        ] {
            #expect(signerText.contains(needle), "missing \(needle) in\n\(signerText)")
        }
        #expect(!signerText.contains("Extended Key Usage"))

        let (tsa, _) = try pki.issueTSA()
        let tsaText = try openssl(["x509", "-in", try write(tsa.pem, "tsa.pem", in: dir), "-noout", "-text"])
        #expect(tsaText.contains("X509v3 Extended Key Usage: critical\n                Time Stamping\n"), "\(tsaText)")

        let (responder, _) = try pki.issueOCSPResponder()
        let responderText = try openssl(["x509", "-in", try write(responder.pem, "ocsp.pem", in: dir), "-noout", "-text"])
        #expect(responderText.contains("X509v3 Extended Key Usage: \n                OCSP Signing"), "\(responderText)")
        #expect(responderText.contains("OCSP No Check"), "\(responderText)")
        #expect(responderText.contains("X509v3 Key Usage: critical\n                Digital Signature\n"), "\(responderText)")
        #expect(!responderText.contains("CRL Distribution Points"))

        let issuingText = try openssl(["x509", "-in", try write(pki.issuing.certificate.pem, "issuing.pem", in: dir), "-noout", "-text"])
        #expect(issuingText.contains("X509v3 Basic Constraints: critical\n                CA:TRUE, pathlen:0"), "\(issuingText)")
        #expect(issuingText.contains("X509v3 Key Usage: critical\n                Certificate Sign, CRL Sign"), "\(issuingText)")
        #expect(issuingText.contains("URI:\(TestPKI.rootCRLURL)"))
        #expect(issuingText.contains("Signature Algorithm: ecdsa-with-SHA256"))

        let rootText = try openssl(["x509", "-in", try write(pki.root.certificate.pem, "root.pem", in: dir), "-noout", "-text"])
        #expect(rootText.contains("X509v3 Basic Constraints: critical\n                CA:TRUE\n"), "\(rootText)")
        #expect(rootText.contains("Public-Key: (384 bit)"))
    }

    @Test("Certificate reads back what the builder put in")
    func readBack() throws {
        let pki = try TestPKI()
        let (signer, key) = try pki.issueSigner()
        #expect(try signer.publicKey == key.publicKey)
        #expect(signer.issuer == pki.issuing.certificate.subject)
        #expect(signer.subject.organizationIdentifier == "NTRCN-91350211MA2XYZ1234")
        #expect(signer.subject.serialNumber == "91350211MA2XYZ1234")
        #expect(signer.subject.commonName == "张三")
        #expect(signer.subject.organization == "示例商户有限公司")
        #expect(signer.keyUsage == [.digitalSignature, .nonRepudiation])
        #expect(signer.extendedKeyUsage.isEmpty)
        #expect(!signer.isCA)
        #expect(signer.crlDistributionPoints == [TestPKI.crlURL])
        #expect(signer.ocspURLs == [TestPKI.ocspURL])
        #expect(signer.authorityKeyIdentifier == pki.issuing.certificate.subjectKeyIdentifier)
        #expect(signer.isIssued(by: pki.issuing.certificate))
        #expect(!signer.isIssued(by: pki.root.certificate))
        #expect(pki.issuing.certificate.isCA && pki.issuing.certificate.pathLengthConstraint == 0)
        #expect(pki.root.certificate.isSelfSigned)
        #expect(pki.root.certificate.authorityKeyIdentifier == pki.root.certificate.subjectKeyIdentifier)

        let (tsa, _) = try pki.issueTSA()
        #expect(tsa.extendedKeyUsage == [ExtendedKeyUsage.timeStamping])
        #expect(tsa.isExtensionCritical(CertificateExtensionOID.extendedKeyUsage) == true)
        let (responder, _) = try pki.issueOCSPResponder()
        #expect(responder.hasOCSPNoCheck)
        #expect(!tsa.hasOCSPNoCheck)
        #expect(responder.crlDistributionPoints.isEmpty && responder.ocspURLs.isEmpty)
    }

    @Test("Serial numbers are random, positive and 16 bytes")
    func serials() throws {
        let pki = try TestPKI()
        var seen = Set<[UInt8]>()
        for _ in 0..<20 {
            let (cert, _) = try pki.issueSigner()
            #expect(cert.serialNumber.count == 16)
            #expect(cert.serialNumber[0] & 0x80 == 0 && cert.serialNumber[0] != 0)
            seen.insert(cert.serialNumber)
        }
        #expect(seen.count == 20)
    }

    @Test("RSA issuers sign with sha256WithRSAEncryption")
    func rsaIssuer() throws {
        let pki = try TestPKI(rootKey: .rsa(bits: 2048), issuingKey: .rsa(bits: 2048))
        let (signer, _) = try pki.issueSigner()
        let dir = try TemporaryDirectory()
        let text = try openssl(["x509", "-in", try write(signer.pem, "s.pem", in: dir), "-noout", "-text"])
        #expect(text.contains("Signature Algorithm: sha256WithRSAEncryption"))
        #expect(signer.isIssued(by: pki.issuing.certificate))
    }

    @Test("The CA refuses what it must not sign")
    func refusals() throws {
        let pki = try TestPKI()
        let key = try PrivateKey.generate(.p256)
        let subject = try DistinguishedName([(.commonName, "x")])
        // Validity beyond the issuer's.
        let tooLong = CertificateBuilder.signer(subject: subject, publicKey: try key.publicKey, notBefore: pki.now,
                                                notAfter: pki.issuing.certificate.notAfter.addingTimeInterval(1))
        #expect(throws: CertificateAuthorityError.self) { try pki.issuing.issue(tooLong) }
        // Reversed validity.
        let reversed = CertificateBuilder.signer(subject: subject, publicKey: try key.publicKey, notBefore: pki.now,
                                                 notAfter: pki.now.addingTimeInterval(-1))
        #expect(throws: CertificateAuthorityError.invalidValidity(notBefore: pki.now, notAfter: pki.now.addingTimeInterval(-1))) {
            try pki.issuing.issue(reversed)
        }
        // A key that is not the certificate's; an end entity as a CA.
        #expect(throws: CertificateAuthorityError.self) {
            try CertificateAuthority(certificate: pki.issuing.certificate, privateKey: key)
        }
        let (signer, signerKey) = try pki.issueSigner()
        #expect(throws: CertificateAuthorityError.self) { try CertificateAuthority(certificate: signer, privateKey: signerKey) }
        // Name attributes OpenSSL's string table refuses.
        #expect(throws: CertificateAuthorityError.self) { try DistinguishedName([(.country, "CHN")]) }
        #expect(throws: CertificateAuthorityError.self) { try DistinguishedName([(.serialNumber, "码")]) }
        #expect(throws: CertificateAuthorityError.self) { try DistinguishedName([(.commonName, "")]) }
        // Zero serial, bad URL.
        var zero = CertificateBuilder.signer(subject: subject, publicKey: try key.publicKey, notBefore: pki.now, notAfter: pki.now.addingTimeInterval(60))
        zero.serialNumber = [0]
        #expect(throws: CertificateAuthorityError.self) { try pki.issuing.issue(zero) }
        var badURL = zero
        badURL.serialNumber = nil
        badURL.crlDistributionPoints = ["http://exa mple/crl"]
        #expect(throws: CertificateAuthorityError.invalidURL("http://exa mple/crl")) { try pki.issuing.issue(badURL) }
    }
}
