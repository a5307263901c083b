import SignetCrypto
import SignetCryptoTestSupport
import SignetPKI
import Testing

/// A `CertificateCache` belongs to the validation run that creates it: shared within it,
/// bounded, and nothing is kept between runs.
@Suite("Certificate cache of a validation run")
struct CertificateCacheTests {
    @Test("One parse per DER within a cache; separate caches share nothing")
    func sharedWithinACacheOnly() throws {
        let pki = try TestPKI()
        let (signer, _) = try pki.issueSigner()
        let cache = CertificateCache()
        let first = try cache.certificate(der: signer.der)
        let again = try cache.certificate(der: signer.der)
        #expect(first === again)
        #expect(first == signer && first !== signer)
        #expect(cache.count == 1)

        // Another run's cache parses afresh: there is no process-wide cache behind it.
        let other = try CertificateCache().certificate(der: signer.der)
        #expect(other !== first)
        #expect(throws: (any Error).self) { try cache.certificate(der: [0x30, 0x03, 0x02, 0x01, 0x01]) }
        #expect(cache.count == 1)
    }

    @Test("Bounded: never more than its limit, and still correct after being cleared")
    func bounded() throws {
        let pki = try TestPKI()
        let certificates = try (0..<5).map { _ in try pki.issueSigner().0 }
        let cache = CertificateCache(limit: 3)
        for certificate in certificates + certificates {
            #expect(try cache.certificate(der: certificate.der) == certificate)
            #expect(cache.count <= 3)
        }
        #expect(cache.count >= 1)
    }

    @Test("A CMS structure and a certificate pool parsing through the same cache hand out the same objects")
    func cmsAndPoolShareTheRunsParses() async throws {
        let pki = try CMSTestPKI()
        let cms = try await CMSSigner(key: pki.signerKey, certificate: pki.signer, chain: [pki.issuing.certificate])
            .sign(messageDigest: DigestAlgorithm.sha256.hash(Array("content".utf8)))
        let cache = CertificateCache()
        let signedData = try CMSSignedData(berEncoded: cms, certificateCache: cache)
        var pool = CertificatePool(cache: cache)
        #expect(pool.add(der: pki.signer.der) && pool.add(der: pki.issuing.certificate.der))
        let fromCMS = try #require(signedData.certificates.first { $0.der == pki.signer.der })
        let fromPool = try #require(pool.certificates(withSubject: pki.signer.subject).first)
        #expect(fromCMS === fromPool)

        // Without a cache, each structure parses its own.
        let unshared = try CMSSignedData(berEncoded: cms)
        let unsharedSigner = try #require(unshared.certificates.first { $0.der == pki.signer.der })
        #expect(unsharedSigner !== fromCMS)
    }
}

