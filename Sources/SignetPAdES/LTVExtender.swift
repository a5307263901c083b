import SignetCrypto
import SignetPDF

/// Extends the signatures of a document to B-LT: collects the certificate chains of the
/// signers, of their signature-timestamp TSAs and of document timestamps, obtains
/// revocation data for every certificate below the root from a `RevocationDataSource`,
/// and writes it all to the DSS (with a VRI entry per signature) in one update.
///
/// Only signatures without a VRI entry are extended (a new signature, the newest document
/// timestamp, a signature another tool left without one): data already recorded for a
/// signature stays as it is, and no revocation data is asked for certificates whose
/// signatures are already covered (their CAs may no longer answer for them).
public struct LTVExtender: Sendable {
    /// Where the revocation data and the issuer certificates completing the chains come from.
    public let source: any RevocationDataSource

    /// An extender that asks `source` for each certificate's revocation data.
    public init(source: any RevocationDataSource) { self.source = source }

    /// `pdf` with an update adding the validation data of its signatures that have no VRI
    /// entry yet; `pdf` itself when every signature has one. Fails closed: without
    /// revocation data for every certificate concerned, nothing is returned.
    public func addValidationData(to pdf: [UInt8]) async throws -> [UInt8] {
        let document = try openForSigning(pdf)
        let signatures = try SignatureLocator.signatures(in: document.current)
        guard !signatures.isEmpty else { throw PAdESError.nothingToExtend }
        let covered = try DocumentSecurityStoreWriter.existingVRIKeys(in: document.current)
        var all = ValidationMaterial()
        var perSignature: [(contents: [UInt8], material: ValidationMaterial)] = []
        var revocationCache: [Certificate: ValidationMaterial] = [:]
        for signature in signatures where !covered.contains(DocumentSecurityStoreWriter.vriKey(forContents: signature.contents)) {
            let tokens = try signedDataObjects(of: signature)
            var material = ValidationMaterial()
            for signedData in tokens {
                for signer in try signerCertificates(of: signedData, field: signature.fieldName) {
                    let chain = try buildChain(from: signer, pool: signedData.certificates + source.knownCertificates, field: signature.fieldName)
                    material.merge(ValidationMaterial(certificates: chain.map(\.der)))
                    for (certificate, issuer) in zip(chain, chain.dropFirst()) {
                        if let cached = revocationCache[certificate] {
                            material.merge(cached)
                        } else {
                            var fetched = try await source.revocationData(for: certificate, issuer: issuer)
                            fetched.merge(ValidationMaterial(certificates: Self.responderCertificates(in: fetched)))
                            revocationCache[certificate] = fetched
                            material.merge(fetched)
                        }
                    }
                }
            }
            all.merge(material)
            perSignature.append((signature.contents, material))
        }
        guard !perSignature.isEmpty else { return pdf }
        return try DocumentSecurityStoreWriter.append(to: pdf, material: all, perSignature: perSignature)
    }

    /// The certificates OCSP responses carry (their delegated responders): validators
    /// need them, and proof that they existed, to rely on the responses later.
    static func responderCertificates(in material: ValidationMaterial) -> [[UInt8]] {
        material.ocspResponses.flatMap { der in ((try? OCSPResponse(der: der))?.certificates ?? []).map(\.der) }
    }

    /// The CMS of the signature plus, for approval signatures, its signature timestamps.
    private func signedDataObjects(of signature: LocatedSignature) throws -> [CMSSignedData] {
        do {
            let main = try CMSSignedData(berEncoded: signature.contents, allowingTrailingZeroPadding: true)
            var result = [main]
            for signerInfo in main.signerInfos {
                for token in signerInfo.signatureTimeStampTokens {
                    result.append(try CMSSignedData(berEncoded: token))
                }
            }
            return result
        } catch {
            throw PAdESError.unreadableSignature(field: signature.fieldName, reason: "\(error)")
        }
    }

    private func signerCertificates(of signedData: CMSSignedData, field: String) throws -> [Certificate] {
        try signedData.signerInfos.map { info in
            guard let certificate = signedData.certificates.first(where: { info.signerIdentifier.matches($0) }) else {
                throw PAdESError.unreadableSignature(field: field, reason: "the signer certificate (\(info.signerIdentifier)) is not embedded")
            }
            return certificate
        }
    }

    /// leaf → ... → self-signed root, using `pool`; fails closed if the root is not reached.
    private func buildChain(from leaf: Certificate, pool: [Certificate], field: String) throws -> [Certificate] {
        var chain = [leaf]
        while let last = chain.last, !last.isSelfSigned {
            guard chain.count < 16,
                  let issuer = pool.first(where: { candidate in !chain.contains(candidate) && last.isIssued(by: candidate) })
            else {
                throw PAdESError.unreadableSignature(field: field, reason: "no issuer known for \(last.subject): cannot complete its chain for LTV")
            }
            chain.append(issuer)
        }
        return chain
    }
}
