import Foundation
import SignetCrypto
import SignetCryptoTestSupport
import SignetPKI
import SignetTestSupport
import Testing

@Suite("Path validation to explicit trust anchors")
struct PathValidatorTests {
    @Test("A Signet chain validates to its root; the path holds leaf, issuing CA and anchor")
    func validChain() throws {
        let pki = try TestPKI()
        let (signer, _) = try pki.issueSigner()
        let validator = PathValidator(anchors: [pki.root.certificate], intermediates: [pki.issuing.certificate])
        let path = try validator.validate(signer, policy: .signing(at: .at(pki.now)))
        #expect(path.certificates == [signer, pki.issuing.certificate, pki.root.certificate])
        #expect(path.anchor.certificate == pki.root.certificate)
        #expect(Array(path.certificatesRequiringRevocationCheck) == [signer, pki.issuing.certificate])
        #expect(path.issuer(ofCertificateAt: 0) == pki.issuing.certificate)
        // TSA and OCSP policies for their certificates.
        let (tsa, _) = try pki.issueTSA()
        #expect(try validator.validate(tsa, policy: .timeStamping(at: .at(pki.now))).leaf == tsa)
        let (responder, _) = try pki.issueOCSPResponder()
        #expect(try validator.validate(responder, policy: .ocspSigning(at: .at(pki.now))).leaf == responder)
        // Extra noise among the intermediates does not matter.
        let other = try TestPKI(name: "Other")
        let noisy = PathValidator(anchors: [other.root.certificate, pki.root.certificate],
                                  intermediates: [other.issuing.certificate, other.root.certificate, pki.issuing.certificate, signer])
        #expect(try noisy.validate(signer, policy: .signing(at: .at(pki.now))).certificates.count == 3)
        // Building is bounded: with a budget of one issuer candidate the two-link chain is not found.
        var bounded = validator
        bounded.maximumBuildingSteps = 1
        #expect {
            try bounded.validate(signer, policy: .signing(at: .at(pki.now)))
        } throws: { error in
            guard case PathValidationError.noChainFound(_, let reason) = error else { return false }
            return reason.contains("within 1 issuer candidates")
        }
    }

    @Test("Unknown root: no chain, in plain words")
    func unknownRoot() throws {
        let pki = try TestPKI()
        let stranger = try TestPKI(name: "Stranger")
        let (signer, _) = try pki.issueSigner()
        // The chain's own root is supplied, but only as untrusted material.
        let withRoot = PathValidator(anchors: [stranger.root.certificate], intermediates: [pki.issuing.certificate, pki.root.certificate])
        #expect {
            try withRoot.validate(signer, policy: .signing(at: .at(pki.now)))
        } throws: { error in
            guard case PathValidationError.untrustedRoot(let root) = error else { return false }
            return root == pki.root.certificate && "\(error)".contains("is not a trust anchor")
        }
        let withoutRoot = PathValidator(anchors: [stranger.root.certificate], intermediates: [pki.issuing.certificate])
        #expect {
            try withoutRoot.validate(signer, policy: .signing(at: .at(pki.now)))
        } throws: { error in
            guard case PathValidationError.noChainFound(let where_, _) = error else { return false }
            return where_ == pki.issuing.certificate && "\(error)".contains("neither a trust anchor nor among")
        }
        #expect(throws: PathValidationError.self) { try PathValidator(anchors: []).validate(signer, policy: .signing(at: .at(pki.now))) }
        // A root with the same name but another key is not the anchor.
        let impostorKey = try PrivateKey.generate(.p256)
        let impostor = try CertificateAuthority.makeRoot(subject: pki.root.certificate.subject, key: impostorKey,
                                                         notBefore: pki.now.addingTimeInterval(-60), notAfter: pki.now.addingTimeInterval(86_400))
        #expect {
            try PathValidator(anchors: [impostor.certificate], intermediates: [pki.issuing.certificate])
                .validate(signer, policy: .signing(at: .at(pki.now)))
        } throws: { error in
            guard case PathValidationError.badSignature(let cert, let issuer) = error else { return false }
            return cert == pki.issuing.certificate && issuer == impostor.certificate
        }
    }

    @Test("An anchor re-issued with the same name and key counts as the anchor")
    func reissuedAnchor() throws {
        let pki = try TestPKI()
        let (signer, _) = try pki.issueSigner()
        // Same subject and key, different validity, serial and bytes.
        var builder = CertificateBuilder.certificateAuthority(
            subject: pki.root.certificate.subject, publicKey: try pki.root.privateKey.publicKey,
            notBefore: pki.now.addingTimeInterval(-7200), notAfter: pki.now.addingTimeInterval(30 * 86_400), pathLength: 3)
        builder.crlDistributionPoints = ["http://example.invalid/other.crl"]
        let reissued = try builder.selfSigned(with: pki.root.privateKey)
        #expect(reissued.der != pki.root.certificate.der)

        // Trust the re-issued copy; the document embeds the original root.
        let path = try PathValidator(anchors: [reissued], intermediates: [pki.issuing.certificate, pki.root.certificate])
            .validate(signer, policy: .signing(at: .at(pki.now)))
        #expect(path.certificates == [signer, pki.issuing.certificate, reissued])
        // Trust the original; the document embeds the copy.
        let back = try PathValidator(anchors: [pki.root.certificate], intermediates: [reissued, pki.issuing.certificate])
            .validate(signer, policy: .signing(at: .at(pki.now)))
        #expect(back.anchor.certificate == pki.root.certificate)
        // A self-signed leaf that is a copy of the anchor: the path is just the leaf.
        let selfPath = try PathValidator(anchors: [pki.root.certificate]).validate(reissued, policy: PathValidationPolicy(time: .at(pki.now)))
        #expect(selfPath.leafIsAnchor && selfPath.certificates == [reissued])
        #expect(selfPath.certificatesRequiringRevocationCheck.isEmpty)
    }

    @Test("Expired and not-yet-valid certificates fail with the certificate and the date; time can be chosen per certificate")
    func validityTimes() throws {
        let pki = try TestPKI()
        let start = pki.now.addingTimeInterval(-10 * 86_400).roundedDown
        let end = pki.now.addingTimeInterval(-5 * 86_400).roundedDown
        let (expired, _) = try pki.issueSigner(notBefore: start, notAfter: end)
        let validator = PathValidator(anchors: [pki.root.certificate], intermediates: [pki.issuing.certificate])
        #expect {
            try validator.validate(expired, policy: .signing(at: .at(pki.now)))
        } throws: { error in
            guard case PathValidationError.expired(let cert, let notAfter, let time) = error else { return false }
            return cert == expired && notAfter == end && time == pki.now && "\(error)".contains("expired on")
        }
        // Valid at a time inside its validity (e.g. a signature timestamp).
        #expect(try validator.validate(expired, policy: .signing(at: .at(pki.now.addingTimeInterval(-7 * 86_400)))).leaf == expired)
        // Built without time checks; the caller applies proof-of-existence logic.
        let path = try validator.validate(expired, policy: .signing(at: .notChecked))
        let problems = path.validityProblems(at: pki.now)
        #expect(problems.count == 1 && problems.first?.certificate == expired)
        #expect(path.validityProblems(at: end.addingTimeInterval(-1)).isEmpty)
        // Per certificate: the leaf at its timestamp, the CAs now.
        let perCertificate = PathValidationPolicy.signing(at: .perCertificate { _, depth in
            depth == 0 ? end.addingTimeInterval(-60) : Date()
        })
        #expect(try validator.validate(expired, policy: perCertificate).leaf == expired)

        let (future, _) = try pki.issueSigner(notBefore: pki.now.addingTimeInterval(86_400), notAfter: pki.now.addingTimeInterval(2 * 86_400))
        #expect {
            try validator.validate(future, policy: .signing(at: .at(pki.now)))
        } throws: { error in
            guard case PathValidationError.notYetValid(let cert, let notBefore, _) = error else { return false }
            return cert == future && notBefore == pki.now.addingTimeInterval(86_400).roundedDown
        }
        // An intermediate outside its validity fails too.
        #expect {
            try validator.validate(future, policy: .signing(at: .at(pki.now.addingTimeInterval(20 * 365 * 86_400))))
        } throws: { error in
            guard case PathValidationError.expired(let cert, _, _) = error else { return false }
            return cert == future || cert == pki.issuing.certificate
        }
    }

    @Test("Key usage and extended key usage requirements on the leaf")
    func usages() throws {
        let pki = try TestPKI()
        let validator = PathValidator(anchors: [pki.root.certificate], intermediates: [pki.issuing.certificate])
        let (encipherOnly, _) = try pki.issueSigner(keyUsage: [.keyEncipherment])
        #expect {
            try validator.validate(encipherOnly, policy: .signing(at: .at(pki.now)))
        } throws: { error in
            guard case PathValidationError.keyUsageNotAllowed(let cert, _, let actual) = error else { return false }
            return cert == encipherOnly && actual == [.keyEncipherment] && "\(error)".contains("keyEncipherment")
        }
        let (nonRepudiationOnly, _) = try pki.issueSigner(keyUsage: [.nonRepudiation])
        #expect(try validator.validate(nonRepudiationOnly, policy: .signing(at: .at(pki.now))).leaf == nonRepudiationOnly)
        var allOf = PathValidationPolicy.signing(at: .at(pki.now))
        allOf.leafKeyUsage = .allOf([.digitalSignature, .nonRepudiation])
        #expect(throws: PathValidationError.self) { try validator.validate(nonRepudiationOnly, policy: allOf) }

        // A signer certificate is not a TSA.
        let (signer, _) = try pki.issueSigner()
        #expect {
            try validator.validate(signer, policy: .timeStamping(at: .at(pki.now)))
        } throws: { error in
            guard case PathValidationError.extendedKeyUsageNotAllowed(let cert, _, _, let reason) = error else { return false }
            return cert == signer && reason.contains("no extended key usage")
        }
        // A TSA certificate whose timeStamping EKU is not critical fails RFC 3161's rule.
        let key = try PrivateKey.generate(.p256)
        var lax = CertificateBuilder.timeStamping(subject: try DistinguishedName([(.commonName, "Lax TSA")]), publicKey: try key.publicKey,
                                                  notBefore: pki.now.addingTimeInterval(-60), notAfter: pki.now.addingTimeInterval(86_400))
        lax.extendedKeyUsageCritical = false
        let laxTSA = try pki.issuing.issue(lax)
        #expect {
            try validator.validate(laxTSA, policy: .timeStamping(at: .at(pki.now)))
        } throws: { error in
            guard case PathValidationError.extendedKeyUsageNotAllowed(_, _, _, let reason) = error else { return false }
            return reason.contains("critical")
        }
        lax.extendedKeyUsageCritical = true
        lax.extendedKeyUsage = [ExtendedKeyUsage.timeStamping, ExtendedKeyUsage.codeSigning]
        #expect(throws: PathValidationError.self) { try validator.validate(try pki.issuing.issue(lax), policy: .timeStamping(at: .at(pki.now))) }
    }

    @Test("A certificate issued by a non-CA is refused, as openssl refuses it")
    func nonCAIssuer() throws {
        let pki = try TestPKI()
        let dir = try TemporaryDirectory()
        let (endEntity, endEntityKey) = try pki.issueSigner(commonName: "Not A CA")
        let childKey = try PrivateKey.generate(.p256)
        let child = try opensslIssue(subject: "/CN=Child of an end entity", key: childKey, issuer: endEntity, issuerKey: endEntityKey,
                                     extensions: "keyUsage = critical, digitalSignature", in: dir)
        #expect(child.isIssued(by: endEntity))
        let validator = PathValidator(anchors: [pki.root.certificate], intermediates: [pki.issuing.certificate, endEntity])
        #expect(throws: PathValidationError.notACertificateAuthority(endEntity)) {
            try validator.validate(child, policy: .signing(at: .at(Date())))
        }
        let output = try openssl(["verify", "-CAfile", try write(pki.root.certificate.pem, "root.pem", in: dir),
                                  "-untrusted", try write(pki.issuing.certificate.pem + endEntity.pem, "untrusted.pem", in: dir),
                                  try write(child.pem, "child.pem", in: dir)], expectedStatus: 2)
        #expect(output.contains("invalid CA certificate"), "\(output)")

        // A CA certificate whose keyUsage lacks keyCertSign.
        let noSignKey = try PrivateKey.generate(.p256)
        var builder = CertificateBuilder.certificateAuthority(subject: try DistinguishedName([(.commonName, "CA without keyCertSign")]),
                                                              publicKey: try noSignKey.publicKey, notBefore: pki.now.addingTimeInterval(-60),
                                                              notAfter: pki.now.addingTimeInterval(86_400), pathLength: nil)
        builder.keyUsage = [.cRLSign, .digitalSignature]
        let noSign = try pki.root.issue(builder)
        let grandchild = try opensslIssue(subject: "/CN=Grandchild", key: childKey, issuer: noSign, issuerKey: noSignKey,
                                          extensions: "keyUsage = critical, digitalSignature", in: dir)
        #expect(throws: PathValidationError.issuerKeyUsageMissing(noSign)) {
            try PathValidator(anchors: [pki.root.certificate], intermediates: [noSign]).validate(grandchild, policy: .signing(at: .at(Date())))
        }
    }

    @Test("pathLenConstraint is enforced, as openssl enforces it")
    func pathLength() throws {
        let pki = try TestPKI()  // issuing CA has pathlen 0
        let subKey = try PrivateKey.generate(.p256)
        let subCert = try pki.issuing.issueSubordinate(subject: try DistinguishedName([(.commonName, "Sub CA")]), key: try subKey.publicKey,
                                                       notBefore: pki.now.addingTimeInterval(-60), notAfter: pki.now.addingTimeInterval(86_400))
        let sub = try CertificateAuthority(certificate: subCert, privateKey: subKey)
        let leafKey = try PrivateKey.generate(.p256)
        let leaf = try sub.issue(.signer(subject: try DistinguishedName([(.commonName, "Too deep")]), publicKey: try leafKey.publicKey,
                                         notBefore: pki.now.addingTimeInterval(-60), notAfter: pki.now.addingTimeInterval(3600)))
        #expect(throws: PathValidationError.pathLengthExceeded(certificate: pki.issuing.certificate, constraint: 0, intermediatesBelow: 1)) {
            try PathValidator(anchors: [pki.root.certificate], intermediates: [pki.issuing.certificate, subCert])
                .validate(leaf, policy: .signing(at: .at(pki.now)))
        }
        let dir = try TemporaryDirectory()
        let output = try openssl(["verify", "-CAfile", try write(pki.root.certificate.pem, "root.pem", in: dir),
                                  "-untrusted", try write(pki.issuing.certificate.pem + subCert.pem, "untrusted.pem", in: dir),
                                  try write(leaf.pem, "leaf.pem", in: dir)], expectedStatus: 2)
        #expect(output.contains("path length constraint exceeded"), "\(output)")
        // The sub CA itself is fine (it is the only CA below the issuing CA's limit of 0 intermediates).
        #expect(try PathValidator(anchors: [pki.root.certificate], intermediates: [pki.issuing.certificate])
            .validate(subCert, policy: PathValidationPolicy(time: .at(pki.now))).certificates.count == 3)
    }

    @Test("Unknown critical extensions, name constraints and policy constraints")
    func criticalExtensions() throws {
        let pki = try TestPKI()
        let validator = PathValidator(anchors: [pki.root.certificate], intermediates: [pki.issuing.certificate])
        let key = try PrivateKey.generate(.p256)
        var builder = CertificateBuilder.signer(subject: try DistinguishedName([(.commonName, "Critical")]), publicKey: try key.publicKey,
                                                notBefore: pki.now.addingTimeInterval(-60), notAfter: pki.now.addingTimeInterval(3600))
        builder.additionalExtensions = [CertificateExtension(oid: "1.3.6.1.4.1.99999.1", critical: true, value: [0x05, 0x00])]
        let critical = try pki.issuing.issue(builder)
        #expect(throws: PathValidationError.unhandledCriticalExtension(certificate: critical, oids: ["1.3.6.1.4.1.99999.1"])) {
            try validator.validate(critical, policy: .signing(at: .at(pki.now)))
        }
        let dir = try TemporaryDirectory()
        let output = try openssl(["verify", "-CAfile", try write(pki.root.certificate.pem, "root.pem", in: dir),
                                  "-untrusted", try write(pki.issuing.certificate.pem, "issuing.pem", in: dir),
                                  try write(critical.pem, "critical.pem", in: dir)], expectedStatus: 2)
        #expect(output.contains("unsupported certificate extension") || output.contains("unhandled critical extension"), "\(output)")
        // The same extension, non-critical, is fine.
        builder.additionalExtensions[0].critical = false
        #expect(try validator.validate(try pki.issuing.issue(builder), policy: .signing(at: .at(pki.now))).certificates.count == 3)

        // Name constraints: a CA limited to O=Signet Test names.
        let permitted = try DistinguishedName([(.country, "CN"), (.organization, "Signet Test")])
        let nameConstraints = der(0x30, der(0xA0, der(0x30, der(0xA4, permitted.der))))
        let constrainedKey = try PrivateKey.generate(.p256)
        var caBuilder = CertificateBuilder.certificateAuthority(subject: try DistinguishedName([(.country, "CN"), (.organization, "Signet Test"), (.commonName, "Constrained CA")]),
                                                                publicKey: try constrainedKey.publicKey, notBefore: pki.now.addingTimeInterval(-60),
                                                                notAfter: pki.now.addingTimeInterval(86_400), pathLength: 0)
        caBuilder.additionalExtensions = [CertificateExtension(oid: "2.5.29.30", critical: true, value: nameConstraints)]
        let constrained = try CertificateAuthority(certificate: try pki.root.issue(caBuilder), privateKey: constrainedKey)
        let inside = try constrained.issue(.signer(subject: try DistinguishedName([(.country, "CN"), (.organization, "Signet Test"), (.commonName, "Inside")]),
                                                   publicKey: try key.publicKey, notBefore: pki.now, notAfter: pki.now.addingTimeInterval(60)))
        let outside = try constrained.issue(.signer(subject: try DistinguishedName([(.country, "CN"), (.organization, "Elsewhere"), (.commonName, "Outside")]),
                                                    publicKey: try key.publicKey, notBefore: pki.now, notAfter: pki.now.addingTimeInterval(60)))
        let constrainedValidator = PathValidator(anchors: [pki.root.certificate], intermediates: [constrained.certificate])
        #expect(try constrainedValidator.validate(inside, policy: .signing(at: .at(pki.now))).leaf == inside)
        #expect {
            try constrainedValidator.validate(outside, policy: .signing(at: .at(pki.now)))
        } throws: { error in
            guard case PathValidationError.nameConstraintsViolated(let cert, let ca, _) = error else { return false }
            return cert == outside && ca == constrained.certificate
        }

        // Policy constraints: requireExplicitPolicy 0 on a CA, leaf without policies.
        let policyKey = try PrivateKey.generate(.p256)
        var policyCABuilder = CertificateBuilder.certificateAuthority(subject: try DistinguishedName([(.commonName, "Policy CA")]),
                                                                      publicKey: try policyKey.publicKey, notBefore: pki.now.addingTimeInterval(-60),
                                                                      notAfter: pki.now.addingTimeInterval(86_400), pathLength: 0)
        let policyOID: [UInt8] = [0x06, 0x08, 0x2B, 0x06, 0x01, 0x04, 0x01, 0x86, 0x8D, 0x1F]  // 1.3.6.1.4.1.99999
        let certificatePolicies = CertificateExtension(oid: "2.5.29.32", critical: false, value: der(0x30, der(0x30, policyOID)))
        policyCABuilder.additionalExtensions = [
            CertificateExtension(oid: "2.5.29.36", critical: true, value: der(0x30, [0x80, 0x01, 0x00])), certificatePolicies,
        ]
        let policyCA = try CertificateAuthority(certificate: try pki.root.issue(policyCABuilder), privateKey: policyKey)
        let noPolicy = try policyCA.issue(.signer(subject: try DistinguishedName([(.commonName, "No policy")]), publicKey: try key.publicKey,
                                                  notBefore: pki.now, notAfter: pki.now.addingTimeInterval(60)))
        var withPolicyBuilder = CertificateBuilder.signer(subject: try DistinguishedName([(.commonName, "With policy")]), publicKey: try key.publicKey,
                                                          notBefore: pki.now, notAfter: pki.now.addingTimeInterval(60))
        withPolicyBuilder.additionalExtensions = [certificatePolicies]
        let withPolicy = try policyCA.issue(withPolicyBuilder)
        let policyValidator = PathValidator(anchors: [pki.root.certificate], intermediates: [policyCA.certificate])
        #expect(try policyValidator.validate(withPolicy, policy: .signing(at: .at(pki.now))).leaf == withPolicy)
        #expect {
            try policyValidator.validate(noPolicy, policy: .signing(at: .at(pki.now)))
        } throws: { error in
            guard case PathValidationError.policyConstraintsViolated = error else { return false }
            return true
        }
        let policyOutput = try openssl(["verify", "-policy_check", "-CAfile", try write(pki.root.certificate.pem, "root2.pem", in: dir),
                                        "-untrusted", try write(policyCA.certificate.pem, "policy-ca.pem", in: dir),
                                        try write(noPolicy.pem, "no-policy.pem", in: dir)], expectedStatus: 2)
        #expect(policyOutput.contains("no explicit policy"), "\(policyOutput)")
    }

    @Test("The pyHanko test root validates as an anchor for itself and refuses an unrelated leaf")
    func corpusAnchor() throws {
        let root = try Certificate(contentsOfFile: RepositoryPaths.corpus.appendingPathComponent("trust/pyhanko-testing-ca-root.cert.pem").path)
        let other = try Certificate(contentsOfFile: RepositoryPaths.corpus.appendingPathComponent("trust/siwa-selfsigned-mladenov.cert.pem").path)
        let validator = PathValidator(anchors: [root])
        let path = try validator.validate(root, policy: PathValidationPolicy(time: .at(root.notBefore.addingTimeInterval(60))))
        #expect(path.leafIsAnchor)
        #expect(throws: PathValidationError.untrustedRoot(other)) {
            try validator.validate(other, policy: .signing(at: .at(other.notBefore.addingTimeInterval(60))))
        }
    }
}

/// A DER TLV with a short or long length.
func der(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
    var length: [UInt8]
    if content.count < 0x80 {
        length = [UInt8(content.count)]
    } else {
        var bytes: [UInt8] = []
        var n = content.count
        while n > 0 { bytes.insert(UInt8(n & 0xFF), at: 0); n >>= 8 }
        length = [0x80 | UInt8(bytes.count)] + bytes
    }
    return [tag] + length + content
}

/// Issues a certificate with the openssl CLI (for issuers Signet's CA refuses to use).
func opensslIssue(subject: String, key: PrivateKey, issuer: Certificate, issuerKey: PrivateKey, extensions: String,
                  in dir: TemporaryDirectory) throws -> Certificate {
    let name = UUID().uuidString
    let keyPath = dir.file("\(name).key").path
    try key.write(toFile: keyPath)
    let issuerKeyPath = dir.file("\(name)-issuer.key").path
    try issuerKey.write(toFile: issuerKeyPath)
    let csr = dir.file("\(name).csr").path
    try openssl(["req", "-new", "-key", keyPath, "-subj", subject, "-out", csr])
    let out = dir.file("\(name).pem").path
    try openssl(["x509", "-req", "-in", csr, "-CA", try write(issuer.pem, "\(name)-issuer.pem", in: dir), "-CAkey", issuerKeyPath,
                 "-set_serial", "4660", "-days", "1", "-sha256", "-extfile", try write(extensions + "\n", "\(name).ext", in: dir),
                 "-out", out])
    return try Certificate(contentsOfFile: out)
}

