import Foundation
import SignetCrypto
import SignetPAdES
import SignetTestSupport
import Testing

/// Validations parse certificates through a `CertificateCache`: their own by default, or
/// one a long-lived owner (the service) passes in `ValidationOptions`.
@Suite("Certificate cache owned by the caller of a validation")
struct CertificateCacheValidationTests {
    @Test("A cache passed in the options is used and shared by validations; verdicts are those of a run's own cache")
    func callerOwnedCache() async throws {
        let pki = try VerificationPKI()
        let first = try await pki.padesSigner(try pki.signer()).sign(
            try VerificationSupport.base(), level: .bLTA, request: SignatureRequest(metadata: VerificationSupport.metadata))
        let second = try await pki.padesSigner(try pki.signer("李四")).sign(
            try VerificationSupport.base("ghostscript.pdf"), level: .bLTA, request: SignatureRequest(metadata: VerificationSupport.metadata))

        let cache = CertificateCache(limit: 64)
        var shared = pki.options()
        shared.certificateCache = cache
        var counts: [Int] = []
        for pdf in [first, second, first] {
            let own = VerificationSupport.verify(pdf, pki.options())
            let withCache = VerificationSupport.verify(pdf, shared)
            #expect(own.outcome == .passed, "\(ValidationReportFormatter.text(own))")
            #expect(withCache.outcome == own.outcome)
            #expect(withCache.signatures.map(\.indication) == own.signatures.map(\.indication))
            #expect(withCache.signatures.map(\.trust.chain) == own.signatures.map(\.trust.chain))
            counts.append(cache.count)
        }
        // The first file's certificates went into the caller's cache, the second file's new ones
        // (its signer) were added, and validating the first again parsed nothing new.
        #expect(counts[0] > 0)
        #expect(counts[1] > counts[0])
        #expect(counts[2] == counts[1])
    }
}
