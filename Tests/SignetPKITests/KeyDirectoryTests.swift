import Foundation
import SignetCrypto
import SignetCryptoTestSupport
import SignetPKI
import SignetTestSupport
import Testing

@Suite("Key directory (development PKI)")
struct KeyDirectoryTests {
    @Test("create writes the PKI with 0600 keys; openssl accepts every chain and CRL")
    func createAndVerify() throws {
        let dir = try TemporaryDirectory()
        let keys = dir.file("keys").path
        var options = KeyDirectory.CreationOptions()
        options.organization = "Signet Platform Co., Ltd."
        options.creditCode = testCreditCode
        let pki = try KeyDirectory.create(at: keys, options: options)
        for role in KeyDirectory.Role.allCases {
            let keyMode = try FileManager.default.attributesOfItem(atPath: pki.path(role.keyFile))[.posixPermissions] as? Int
            #expect(keyMode == 0o600, "\(role.keyFile)")
            let certMode = try FileManager.default.attributesOfItem(atPath: pki.path(role.certificateFile))[.posixPermissions] as? Int
            #expect(certMode == 0o644, "\(role.certificateFile)")
        }
        let root = pki.path(KeyDirectory.Role.rootCA.certificateFile)
        let issuing = pki.path(KeyDirectory.Role.issuingCA.certificateFile)
        for (role, purpose) in [(KeyDirectory.Role.timeStamping, "timestampsign"), (.ocspResponder, "ocsphelper"), (.seal, "any"), (.issuingCA, "any")] {
            let path = pki.path(role.certificateFile)
            let output = try openssl(["verify", "-CAfile", root, "-untrusted", issuing, "-purpose", purpose, path])
            #expect(output.contains("\(path): OK"), "\(output)")
        }
        // The chain file serves as -untrusted too, and the CRLs verify and are current.
        for (crl, issuer) in [(KeyDirectory.File.issuingCRL, issuing), (KeyDirectory.File.rootCRL, root)] {
            let output = try openssl(["crl", "-inform", "DER", "-in", pki.path(crl), "-noout", "-CAfile", issuer])
            #expect(output.contains("verify OK"), "\(output)")
        }
        let crlCheck = try openssl(["verify", "-crl_check_all", "-CAfile", root, "-untrusted", pki.path(KeyDirectory.File.chain),
                                    "-CRLfile", try pemCRL(pki.path(KeyDirectory.File.issuingCRL), dir),
                                    "-CRLfile", try pemCRL(pki.path(KeyDirectory.File.rootCRL), dir),
                                    pki.path(KeyDirectory.Role.seal.certificateFile)])
        #expect(crlCheck.contains(": OK"), "\(crlCheck)")

        // Roles and URLs.
        #expect(pki.timeStamping.certificate.extendedKeyUsage == [ExtendedKeyUsage.timeStamping])
        #expect(pki.timeStamping.certificate.isExtensionCritical(CertificateExtensionOID.extendedKeyUsage) == true)
        #expect(pki.ocspResponder.certificate.hasOCSPNoCheck && pki.ocspResponder.certificate.ocspURLs.isEmpty)
        #expect(pki.seal.certificate.subject.organization == "Signet Platform Co., Ltd.")
        #expect(pki.seal.certificate.subject.organizationIdentifier == "NTRCN-\(testCreditCode)")
        #expect(pki.seal.certificate.crlDistributionPoints == ["http://localhost:8080/pki/crl/issuing-ca.crl"])
        #expect(pki.seal.certificate.ocspURLs == ["http://localhost:8080/pki/ocsp"])
        #expect(pki.issuingAuthority.certificate.crlDistributionPoints == ["http://localhost:8080/pki/crl/root-ca.crl"])
        #expect(try pki.root.publicKey.algorithmDescription == "EC P-256")
        #expect(try pki.issuingAuthority.certificate.publicKey.algorithmDescription == "EC P-256")
        #expect(try pki.seal.privateKey.publicKey.algorithmDescription == "EC P-256")
        #expect(pki.rootAuthority != nil)
        #expect(pki.chain == [pki.issuingAuthority.certificate, pki.root])
        #expect(try pki.issuingCRL().crlNumberValue == 1 && pki.rootCRL().entries.isEmpty)
        // Loading again gives the same material.
        let loaded = try KeyDirectory.load(from: keys)
        #expect(loaded.seal.certificate == pki.seal.certificate && loaded.manifest == pki.manifest)
    }

    @Test("create refuses an existing PKI; force replaces it")
    func refusesOverwrite() throws {
        let dir = try TemporaryDirectory()
        let keys = dir.file("keys").path
        let first = try KeyDirectory.create(at: keys)
        #expect {
            try KeyDirectory.create(at: keys)
        } throws: { error in
            guard case KeyDirectoryError.alreadyInitialized(_, let files) = error else { return false }
            return files.contains("root-ca.key.pem") && "\(error)".contains("--force")
        }
        #expect(try KeyDirectory.load(from: keys).root == first.root)  // untouched
        let second = try KeyDirectory.create(at: keys, force: true)
        #expect(second.root != first.root)
        #expect(try KeyDirectory.load(from: keys).root == second.root)
        #expect(try second.issuingDatabase.entries().count == 3)  // the old database is gone
        // A lone stray file also counts as existing material.
        let other = dir.file("other").path
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        try "x".write(toFile: (other as NSString).appendingPathComponent("seal.key.pem"), atomically: true, encoding: .utf8)
        #expect(throws: KeyDirectoryError.self) { try KeyDirectory.create(at: other) }
    }

    @Test("Passphrase-encrypted keys: loading needs the passphrase; openssl reads them with it")
    func passphrase() throws {
        let dir = try TemporaryDirectory()
        let keys = dir.file("keys").path
        try KeyDirectory.create(at: keys, passphrase: "correct horse battery staple")
        let keyFile = (keys as NSString).appendingPathComponent("issuing-ca.key.pem")
        #expect(try String(contentsOfFile: keyFile, encoding: .utf8).hasPrefix("-----BEGIN ENCRYPTED PRIVATE KEY-----"))
        #expect(throws: KeyDirectoryError.passphraseRequired(directory: keys, environmentVariable: "SIGNET_KEY_PASSPHRASE")) {
            try KeyDirectory.load(from: keys)
        }
        #expect(throws: KeyDirectoryError.self) { try KeyDirectory.load(from: keys, passphrase: "wrong") }
        let pki = try KeyDirectory.load(from: keys, passphrase: "correct horse battery staple")
        #expect(pki.manifest.encrypted)
        let inventory = KeyDirectoryInventory(directory: keys).report()
        #expect(inventory.contains("private key: \(keyFile) (mode 600, encrypted)"), "\(inventory)")
        #expect(!inventory.contains("not encrypted)"), "\(inventory)")
        try openssl(["pkey", "-in", keyFile, "-passin", "pass:correct horse battery staple", "-noout"])
        try openssl(["pkey", "-in", keyFile, "-passin", "pass:wrong", "-noout"], expectedStatus: 1)
        #expect(throws: KeyDirectoryError.self) { try KeyDirectory.create(at: dir.file("empty").path, passphrase: "") }
    }

    @Test("The inventory lists subjects, key types and dates, and never key material")
    func inventory() throws {
        let dir = try TemporaryDirectory()
        let keys = dir.file("keys").path
        let pki = try KeyDirectory.create(at: keys)
        let report = KeyDirectoryInventory(directory: keys).report()
        for needle in ["root-ca: root CA", "Signet Development Root CA", "EC P-256", "tsa: time-stamping authority",
                       "extended: timeStamping (critical)", "ocsp-nocheck", "private key: \(pki.path("seal.key.pem")) (mode 600, not encrypted)",
                       "validity: ", "(valid)", "CRL \(pki.path("issuing-ca.crl"))", "number 1"] {
            #expect(report.contains(needle), "missing \(needle) in\n\(report)")
        }
        #expect(!report.contains("PRIVATE KEY"))
        for role in KeyDirectory.Role.allCases {
            let pem = try String(contentsOfFile: pki.path(role.keyFile), encoding: .utf8)
            let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }
            for line in body { #expect(!report.contains(line), "the report leaks \(role.keyFile)") }
        }
        #expect(KeyDirectoryInventory(directory: dir.file("nothing").path).isEmpty)
    }

    @Test("Event certificates, OCSP and CRLs from the directory work together")
    func endToEnd() async throws {
        let dir = try TemporaryDirectory()
        let pki = try KeyDirectory.create(at: dir.file("keys").path)
        let subject = EventSubject(organizationName: "示例商户", unifiedSocialCreditCode: testCreditCode, signerName: "李四",
                                   contractNumber: "C-1", signingEventID: "E-1")
        let event = try await pki.eventAuthority.withEventCredential(for: subject) { $0.certificate }
        #expect(event.crlDistributionPoints == ["http://localhost:8080/pki/crl/issuing-ca.crl"])
        #expect(event.ocspURLs == ["http://localhost:8080/pki/ocsp"])
        // OCSP knows the recorded event certificate; the path and its revocation check out.
        let responder = try pki.makeOCSPResponder()
        let request = try OCSPRequest(certificates: [(event, pki.issuingAuthority.certificate)])
        let response = try OCSPResponse(der: await responder.respond(to: request.der))
        #expect(response.singleResponse(for: event, issuer: pki.issuingAuthority.certificate)?.status == .good)
        let path = try PathValidator(anchors: [pki.root], intermediates: pki.chain).validate(event, policy: .signing(at: .at(Date())))
        let results = RevocationChecker(crls: [try pki.rootCRL()], ocspResponses: [response]).check(path)
        #expect(results.count == 2)
        for result in results {
            guard case .good = result.status else {
                Issue.record("\(result)")
                continue
            }
        }
        // The material for a DSS proves every certificate but the anchor, from the supplied data only.
        let material = try await pki.revocationMaterial(for: path.certificates + [pki.seal.certificate, pki.timeStamping.certificate,
                                                                            pki.ocspResponder.certificate])
        #expect(material.ocspResponses.count == 1 && material.crls.count == 2)
        #expect(material.crls[0].crlNumberValue == 1)  // the initial CRL is young and still right: reused
        #expect(material.ocspResponses[0].responses.count == 3)  // event, seal, TSA; not the nocheck responder
        let checker = RevocationChecker(crlDER: material.crls.map(\.der), ocspDER: material.ocspResponses.map(\.der))
        for cert in [event, pki.seal.certificate, pki.timeStamping.certificate, pki.issuingAuthority.certificate] {
            let issuer = cert == pki.issuingAuthority.certificate ? pki.root : pki.issuingAuthority.certificate
            guard case .good = checker.check(cert, issuer: issuer).status else {
                Issue.record("\(cert.subject): \(checker.check(cert, issuer: issuer))")
                continue
            }
        }

        // Revoking refreshes the CRL; openssl then rejects the certificate.
        let crl = try pki.revoke(serialNumber: event.serialNumber, reason: .keyCompromise)
        #expect(crl.entry(for: event)?.reason == .keyCompromise && crl.crlNumberValue == 2)
        // The stored CRL is reused while it is young and matches the database; a revocation forces a new one.
        #expect(try pki.currentIssuingCRL() == crl)
        #expect(try pki.currentIssuingCRL(at: Date().addingTimeInterval(7200)).crlNumberValue == 3)
        let another = pki.seal.certificate
        try pki.issuingDatabase.revoke(serialNumber: another.serialNumber, reason: .superseded)
        #expect(try pki.currentIssuingCRL(at: Date().addingTimeInterval(7200)).entries.count == 2)
        let after = try OCSPResponse(der: await responder.respond(to: request.der))
        if case .revoked = after.singleResponse(for: event, issuer: pki.issuingAuthority.certificate)?.status {} else {
            Issue.record("OCSP should now say revoked")
        }
        let eventPath = try write(event.pem, "event.pem", in: dir)
        let output = try openssl(["verify", "-crl_check", "-CAfile", pki.path("root-ca.cert.pem"), "-untrusted", pki.path("chain.pem"),
                                  "-CRLfile", try pemCRL(pki.path("issuing-ca.crl"), dir), eventPath], expectedStatus: 2)
        #expect(output.contains("certificate revoked"), "\(output)")
    }

    @Test("A development PKI with P-384 CA keys and P-256 end entities")
    func p384CAs() throws {
        let dir = try TemporaryDirectory()
        var options = KeyDirectory.CreationOptions()
        options.keyAlgorithm = .ecP384CAs
        let pki = try KeyDirectory.create(at: dir.file("keys").path, options: options)
        #expect(try pki.root.publicKey.algorithmDescription == "EC P-384")
        #expect(try pki.issuingAuthority.certificate.publicKey.algorithmDescription == "EC P-384")
        for credential in [pki.timeStamping, pki.ocspResponder, pki.seal] {
            #expect(try credential.certificate.publicKey.algorithmDescription == "EC P-256")
        }
        let output = try openssl(["verify", "-CAfile", pki.path("root-ca.cert.pem"), "-untrusted", pki.path("chain.pem"), pki.path("seal.cert.pem")])
        #expect(output.contains(": OK"))
    }

    @Test("An RSA development PKI")
    func rsa() throws {
        let dir = try TemporaryDirectory()
        var options = KeyDirectory.CreationOptions()
        options.keyAlgorithm = .rsa
        let pki = try KeyDirectory.create(at: dir.file("keys").path, options: options)
        #expect(try pki.root.publicKey.algorithmDescription == "RSA 3072")
        let output = try openssl(["verify", "-CAfile", pki.path("root-ca.cert.pem"), "-untrusted", pki.path("chain.pem"), pki.path("tsa.cert.pem")])
        #expect(output.contains(": OK"))
    }
}

/// Converts a DER CRL file to PEM for `openssl verify -CRLfile`.
private func pemCRL(_ path: String, _ dir: TemporaryDirectory) throws -> String {
    try write(CertificateRevocationList(contentsOfFile: path).pem, UUID().uuidString + ".crl.pem", in: dir)
}
