import FoundationEssentials
import SignetCrypto

/// The `signature` and `timestamp` checks: `signature001.p7s` is a detached CMS signature
/// over the exact manifest bytes by a certificate that chains to a given trust root, with
/// the signing-certificate-v2 binding, revocation data in the SignedData for every
/// certificate below the root, and a signature timestamp over the signature value from a
/// TSA that also chains to a given root. Nothing from the archive's `trust/` is trusted.
enum ArchiveSignatureCheck {
    static func run(signature: [UInt8], manifest: [UInt8], trustRoots: [Certificate], revocationRequired: Bool) -> [ArchiveCheck] {
        let signedData: CMSSignedData
        do {
            signedData = try CMSSignedData(berEncoded: signature)
        } catch {
            return [fail("signature", "\(ArchiveLayout.signaturePath) is not a CMS SignedData: \(error)"),
                    fail("timestamp", "no readable signature")]
        }
        guard signedData.isDetached, signedData.signerInfos.count == 1, let signer = signedData.signerInfos.first else {
            return [fail("signature", "expected a detached SignedData with exactly one signer"), fail("timestamp", "no usable signature")]
        }
        let revocation = RevocationChecker(crlDER: signedData.crls, ocspDER: signedData.ocspResponses, certificates: signedData.certificates)

        // The timestamp first: its time is when the seal's certificate must have been valid.
        var timestampCheck: ArchiveCheck
        var stampedAt: Date?
        let tokens = signer.signatureTimeStampTokens
        if tokens.count != 1 {
            timestampCheck = fail("timestamp", "expected one signature timestamp (id-aa-signatureTimeStampToken), found \(tokens.count)")
        } else {
            do {
                let token = try TimeStampToken(berEncoded: tokens[0])
                guard let algorithm = token.info.messageImprint.algorithm.digestAlgorithm else {
                    throw ArchiveReader.ReadError("the token's imprint algorithm is not supported")
                }
                let genTime = token.info.genTime
                let verified = try token.verify(digest: algorithm.hash(signer.signature), algorithm: algorithm,
                                                trust: TimeStampTrust(anchors: trustRoots, intermediates: signedData.certificates, validationTime: genTime),
                                                extraCertificates: signedData.certificates)
                let chain = verified.chain ?? [verified.tsaCertificate]
                let problems = revocationProblems(chain: chain, checker: revocation, required: revocationRequired)
                if problems.isEmpty {
                    stampedAt = genTime
                    timestampCheck = ArchiveCheck(name: "timestamp", passed: true,
                                                  detail: "covers the signature value; time \(TimeText.iso8601(genTime)) by \(verified.tsaCertificate.subject.displayString)")
                } else {
                    timestampCheck = fail("timestamp", problems.joined(separator: "; "))
                }
            } catch {
                timestampCheck = fail("timestamp", "\(error)")
            }
        }

        let signatureCheck: ArchiveCheck
        do {
            let verification = try signedData.verifySigner(
                at: 0, contentDigest: signer.digestAlgorithm.map { $0.hash(manifest) },
                options: CMSVerificationOptions(requireDetached: true, requireSigningCertificateReference: true))
            guard verification.isValid, let certificate = verification.signerCertificate else {
                throw ArchiveReader.ReadError("the signature does not cover \(ArchiveLayout.manifestPath) as it is: "
                                              + verification.failures.map(\.description).joined(separator: "; "))
            }
            let time = stampedAt ?? Date()
            let path = try PathValidator(anchors: trustRoots, intermediates: signedData.certificates)
                .validate(certificate, policy: .signing(at: .at(time)))
            let problems = revocationProblems(chain: path.certificates, checker: revocation, required: revocationRequired)
            guard problems.isEmpty else { throw ArchiveReader.ReadError(problems.joined(separator: "; ")) }
            signatureCheck = ArchiveCheck(name: "signature", passed: true,
                                          detail: "signed by \(certificate.subject.displayString), chain to \(path.anchor.certificate.subject.displayString) valid at \(TimeText.iso8601(time))")
        } catch {
            signatureCheck = fail("signature", "\(error)")
        }
        return [signatureCheck, timestampCheck]
    }

    /// Every certificate of `chain` below the root must have revocation data saying good.
    private static func revocationProblems(chain: [Certificate], checker: RevocationChecker, required: Bool) -> [String] {
        var problems: [String] = []
        for (certificate, issuer) in zip(chain, chain.dropFirst()) {
            switch checker.check(certificate, issuer: issuer).status {
            case .good, .exempt: continue
            case .revoked(let entry, _): problems.append("\(certificate.subject.displayString) is revoked since \(TimeText.iso8601(entry.revocationDate))")
            case .unknown:
                if required { problems.append("no revocation data in the signature for \(certificate.subject.displayString)") }
            }
        }
        return problems
    }

    private static func fail(_ name: String, _ detail: String) -> ArchiveCheck {
        ArchiveCheck(name: name, passed: false, detail: detail)
    }
}
