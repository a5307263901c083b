import SignetCrypto
import SignetPAdES

extension ArchiveSeal {
    /// The CAdES detached signature (DER ContentInfo) over `manifest`: the seal's signature,
    /// a signature timestamp, and in SignedData the seal's and the TSA's chains plus the
    /// revocation data of every certificate below the root of both chains.
    func signManifest(_ manifest: [UInt8]) async throws(ArchiveError) -> [UInt8] {
        let revocation = self.revocation
        let sealChain = [signer.certificate] + signer.chain
        do {
            return try await signer.sign(
                messageDigest: signer.digestAlgorithm.hash(manifest), timestampProvider: timestamps,
                validationData: { token in
                    var data = CMSEmbeddedValidationData()
                    var chains = [try Self.chain(from: signer.certificate, pool: sealChain + revocation.knownCertificates)]
                    if let token, let tsa = token.signedData.certificates.first(where: { token.signerInfo.signerIdentifier.matches($0) }) {
                        let tsaChain = try Self.chain(from: tsa, pool: token.signedData.certificates + revocation.knownCertificates)
                        data.certificates += tsaChain
                        chains.append(tsaChain)
                    }
                    var asked: [Certificate] = []
                    for chain in chains {
                        for (certificate, issuer) in zip(chain, chain.dropFirst()) where !asked.contains(certificate) {
                            asked.append(certificate)
                            let material = try await revocation.revocationData(for: certificate, issuer: issuer)
                            for crl in material.crls where !data.crls.contains(crl) { data.crls.append(crl) }
                            for response in material.ocspResponses where !data.ocspResponses.contains(response) {
                                data.ocspResponses.append(response)
                                // The delegated responder's certificate, for offline checks.
                                for responder in (try? OCSPResponse(der: response))?.certificates ?? [] where !data.certificates.contains(responder) {
                                    data.certificates.append(responder)
                                }
                            }
                            for der in material.certificates {
                                if let extra = try? Certificate(der: der), !data.certificates.contains(extra) { data.certificates.append(extra) }
                            }
                        }
                    }
                    return data
                })
        } catch {
            throw .sealing("\(error)")
        }
    }

    /// leaf → … → self-signed root from `pool`.
    static func chain(from leaf: Certificate, pool: [Certificate]) throws(ArchiveError) -> [Certificate] {
        var chain = [leaf]
        while let last = chain.last, !last.isSelfSigned {
            guard chain.count < 16, let issuer = pool.first(where: { !chain.contains($0) && last.isIssued(by: $0) }) else {
                throw .sealing("no issuer known for \(last.subject): cannot complete its chain")
            }
            chain.append(issuer)
        }
        return chain
    }
}
