import COpenSSL
import Foundation
import SignetCrypto
import SignetTestSupport
import Synchronization
import Testing

/// The X509 objects OpenSSL creates on a watched thread and has not freed yet, by thread.
/// Filled by an ex_data index whose new/free callbacks OpenSSL calls for every X509.
private let liveX509ByThread = Mutex<[pthread_t: Set<UInt>]>([:])

/// Registers the census callbacks once (X509 ex_data class); a negative index is a failure.
private let x509CensusIndex: Int32 = CRYPTO_get_ex_new_index(
    CRYPTO_EX_INDEX_X509, 0, nil,
    { parent, _, _, _, _, _ in
        guard let parent else { return }
        let thread = pthread_self()
        liveX509ByThread.withLock { live in
            if live[thread] != nil { live[thread]!.insert(UInt(bitPattern: parent)) }
        }
    },
    nil,
    { parent, _, _, _, _, _ in
        guard let parent else { return }
        liveX509ByThread.withLock { live in
            for thread in live.keys { live[thread]!.remove(UInt(bitPattern: parent)) }
        }
    })

/// How many X509 objects `body` created on this thread and left unfreed. `body` must be
/// synchronous (it stays on the calling thread), so parallel tests do not count.
private func x509sLeft(by body: () -> Void) throws -> Int {
    try #require(x509CensusIndex >= 0)
    let thread = pthread_self()
    liveX509ByThread.withLock { $0[thread] = [] }
    defer { _ = liveX509ByThread.withLock { $0.removeValue(forKey: thread) } }
    body()
    return liveX509ByThread.withLock { $0[thread]?.count ?? 0 }
}

/// A saved `cms` fuzz input without its selector byte (docs/fuzzing.md, "Findings").
private func cmsRegression(_ name: String) throws -> [UInt8] {
    let url = RepositoryPaths.fixtures.appendingPathComponent("fuzz-regressions/cms/\(name)")
    return Array(try Data(contentsOf: url).dropFirst())
}

/// The parsers free every OpenSSL object they decoded when a later step rejects the input
/// (LeakSanitizer findings of the `cms` fuzz harness): a Swift class whose initializer
/// throws never runs its `deinit`, so the handle must be freed on the error path.
@Suite("Parser error paths free their OpenSSL objects")
struct ParserErrorPathLeakTests {
    @Test("the census sees a certificate that is kept, and not one that is released")
    func censusCounts() throws {
        let der = try cmsRegression("leak-signeddata-certificate-notafter-lowercase-z")
        // The SignedData's first certificate (offset 60, 905 bytes), with its "z" made a "Z".
        var certificate = Array(der[60..<(60 + 905)])
        let notAfter = try #require(certificate.firstRange(of: Array("25000101000000z".utf8)))
        certificate[notAfter.upperBound - 1] = UInt8(ascii: "Z")
        var kept: Certificate?
        #expect(try x509sLeft { kept = try? Certificate(der: certificate) } == 1)
        #expect(kept != nil)
        #expect(try x509sLeft { _ = try? Certificate(der: certificate) } == 0)
    }

    @Test("a certificate whose notAfter does not convert (\"…z\") is freed; so is one with trailing bytes")
    func certificateErrorPaths() throws {
        let der = try cmsRegression("leak-signeddata-certificate-notafter-lowercase-z")
        #expect(try x509sLeft { #expect(throws: (any Error).self) { try CMSSignedData(berEncoded: der) } } == 0)
        let certificate = Array(der[60..<(60 + 905)])
        #expect(try x509sLeft { #expect(throws: (any Error).self) { try Certificate(der: certificate) } } == 0)
        var fixed = certificate
        fixed[fixed.firstRange(of: Array("25000101000000z".utf8))!.upperBound - 1] = UInt8(ascii: "Z")
        #expect(try x509sLeft { #expect(throws: (any Error).self) { try Certificate(der: fixed + [0]) } } == 0)
    }

    @Test("an OCSP response whose single response has an unreadable thisUpdate frees its basic response")
    func ocspErrorPath() throws {
        let der = try cmsRegression("leak-ocsp-single-response-bad-thisupdate")
        // The basic response embeds the responder's certificate: it is freed with it.
        #expect(try x509sLeft { #expect(throws: (any Error).self) { try OCSPResponse(der: der) } } == 0)
    }
}
