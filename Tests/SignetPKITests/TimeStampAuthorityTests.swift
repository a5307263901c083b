import Foundation
import SignetCrypto
import SignetCryptoTestSupport
import SignetPKI
import SignetTestSupport
import Testing

@Suite("Built-in RFC 3161 TSA")
struct TimeStampAuthorityTests {
    @Test("openssl ts -query requests answered by Signet verify with openssl ts -verify",
          arguments: [("sha256", true), ("sha384", true), ("sha512", false)])
    func opensslVerifiesReplies(digest: String, certificateRequested: Bool) async throws {
        let pki = try CMSTestPKI()
        let tsa = try pki.authority()
        try pki.save(CMSBytes.random(10_000), "data.bin")
        try CMSOpenSSL.run(["ts", "-query", "-data", pki.path("data.bin"), "-\(digest)", "-out", pki.path("q.tsq")]
            + (certificateRequested ? ["-cert"] : []))
        let request = try pki.load("q.tsq")
        try pki.save(await tsa.respond(to: request), "r.tsr")

        let verified = try CMSOpenSSL.run(["ts", "-verify", "-in", pki.path("r.tsr"), "-queryfile", pki.path("q.tsq"),
                                           "-CAfile", pki.path("root.pem"), "-untrusted", pki.path("tsa-chain.pem")])
        #expect(verified.output.contains("Verification: OK"))
        let againstData = try CMSOpenSSL.run(["ts", "-verify", "-in", pki.path("r.tsr"), "-data", pki.path("data.bin"),
                                              "-CAfile", pki.path("root.pem"), "-untrusted", pki.path("tsa-chain.pem")])
        #expect(againstData.output.contains("Verification: OK"))

        let text = try CMSOpenSSL.run(["ts", "-reply", "-in", pki.path("r.tsr"), "-text"]).output
        #expect(text.contains("Status: Granted."))
        #expect(text.contains("Policy OID: 1.3.6.1.4.1.99999.1.1"))
        #expect(text.contains("Accuracy: 0x01 seconds"))
        #expect(text.contains("TSA: DirName:"))

        let parsedRequest = try TimeStampRequest(berEncoded: request)
        let response = try TimeStampResponse(berEncoded: try pki.load("r.tsr"))
        #expect(response.status == .granted)
        let token = try #require(response.token)
        #expect(token.info.nonce == parsedRequest.nonce)
        #expect(token.info.messageImprint == parsedRequest.messageImprint)
        #expect(token.signedData.certificates.isEmpty == !certificateRequested)
        #expect(token.info.accuracy == TimeStampAccuracy(seconds: 1))
        #expect(abs(token.info.genTime.timeIntervalSinceNow) < 600)
        // The token's own signed attributes: content-type, message-digest, signing-certificate-v2.
        let attributes = try #require(token.signerInfo.signedAttributes)
        #expect(attributes.contentType == CMSObjectIdentifier.tstInfo)
        #expect(attributes.signingCertificateV2 != nil)
        #expect(attributes.isDEREncoded)
        _ = try token.verify(digest: parsedRequest.messageImprint.digest,
                             algorithm: try #require(parsedRequest.messageImprint.algorithm.digestAlgorithm),
                             nonce: parsedRequest.nonce, trust: pki.trust(),
                             extraCertificates: [pki.tsa, pki.issuing.certificate])
    }

    @Test("Requests the TSA cannot serve get PKIStatus rejections that openssl reads")
    func rejections() async throws {
        let pki = try CMSTestPKI()
        let tsa = try pki.authority()
        try pki.save(CMSBytes.random(100), "data.bin")

        func reply(_ request: [UInt8]) async throws -> (TimeStampResponse, String) {
            try pki.save(await tsa.respond(to: request), "rejected.tsr")
            let text = try CMSOpenSSL.run(["ts", "-reply", "-in", pki.path("rejected.tsr"), "-text"]).output
            return (try TimeStampResponse(berEncoded: try pki.load("rejected.tsr")), text)
        }

        try CMSOpenSSL.run(["ts", "-query", "-data", pki.path("data.bin"), "-sha1", "-cert", "-out", pki.path("sha1.tsq")])
        let (badAlg, badAlgText) = try await reply(try pki.load("sha1.tsq"))
        #expect(badAlg.status == .rejection)
        #expect(badAlg.failureInfo == .badAlg)
        #expect(badAlg.token == nil)
        #expect(badAlgText.contains("Status: Rejected."))
        #expect(badAlgText.contains("unrecognized or unsupported algorithm identifier"))

        try CMSOpenSSL.run(["ts", "-query", "-data", pki.path("data.bin"), "-sha256", "-tspolicy", "1.2.3.4.5",
                        "-out", pki.path("policy.tsq")])
        let (policy, policyText) = try await reply(try pki.load("policy.tsq"))
        #expect(policy.failureInfo == .unacceptedPolicy)
        #expect(policyText.contains("the requested TSA policy is not supported by the TSA"))

        let (garbage, garbageText) = try await reply(CMSBytes.random(64))
        #expect(garbage.failureInfo == .badDataFormat)
        #expect(garbageText.contains("the data submitted has the wrong format"))

        var wrongLength = try TimeStampRequest(berEncoded: try pki.load("policy.tsq"))
        wrongLength.policy = nil
        wrongLength.messageImprint = TimeStampMessageImprint(algorithm: .sha256, digest: [1, 2, 3])
        let (length, _) = try await reply(try wrongLength.derEncoded())
        #expect(length.failureInfo == .badDataFormat)

        // A policy the TSA also serves is honoured and written into the token.
        let multi = try TimeStampAuthority(
            key: pki.tsaKey, certificate: pki.tsa, serials: TimeStampSerialCounter(),
            configuration: TimeStampAuthorityConfiguration(policy: "1.3.6.1.4.1.99999.1.1", otherPolicies: ["1.2.3.4.5"]))
        let granted = try TimeStampResponse(berEncoded: await multi.respond(to: try pki.load("policy.tsq")))
        #expect(granted.token?.info.policy == "1.2.3.4.5")
    }

    @Test("The in-process provider's tokens verify against the anchors and fail against others or outside validity")
    func inProcessTrust() async throws {
        let pki = try CMSTestPKI()
        let tsa = try pki.authority()
        let digest = DigestAlgorithm.sha384.hash(Array("document".utf8))
        let token = try await tsa.timestamp(digest: digest, algorithm: .sha384)
        let result = try token.verify(digest: digest, algorithm: .sha384, trust: pki.trust())
        #expect(result.chain?.count == 3)
        #expect(throws: TimeStampError.self) {
            try token.verify(digest: DigestAlgorithm.sha384.hash(Array("other".utf8)), algorithm: .sha384, trust: nil)
        }
        #expect(throws: TimeStampError.nonceMismatch(expected: [1], actual: nil)) {
            try token.verify(digest: digest, algorithm: .sha384, nonce: [1], trust: nil)
        }
        let stranger = try CMSTestPKI()
        #expect {
            try token.verify(digest: digest, algorithm: .sha384, trust: stranger.trust())
        } throws: { error in
            if case TimeStampError.untrusted = error { return true }
            return false
        }
        #expect {
            try token.verify(digest: digest, algorithm: .sha384, trust: pki.trust(at: Date().addingTimeInterval(2 * 365 * 86_400)))
        } throws: { error in
            if case TimeStampError.untrusted(let why) = error { return why.contains("expired") }
            return false
        }
        #expect(throws: TimeStampError.untrusted("no trust anchor was supplied")) {
            try token.verify(digest: digest, algorithm: .sha384, trust: TimeStampTrust(anchors: []))
        }
        // The intermediate alone is enough as an anchor (partial chain).
        let partial = try token.verify(digest: digest, algorithm: .sha384,
                                       trust: TimeStampTrust(anchors: [pki.issuing.certificate]))
        #expect(partial.chain?.last == pki.issuing.certificate)
    }

    @Test("A certificate without a critical timeStamping EKU cannot run the TSA, and its tokens are refused")
    func timeStampingCertificateRequired() async throws {
        let pki = try CMSTestPKI()
        let key = try PrivateKey.generate(.p256)
        func issue(eku: [String], critical: Bool) throws -> Certificate {
            var builder = CertificateBuilder.signer(subject: try DistinguishedName([(.commonName, "Not a TSA")]),
                                                    publicKey: try key.publicKey,
                                                    notBefore: pki.now.addingTimeInterval(-60), notAfter: pki.now.addingTimeInterval(86_400))
            builder.extendedKeyUsage = eku
            builder.extendedKeyUsageCritical = critical
            return try pki.issuing.issue(builder)
        }
        let configuration = TimeStampAuthorityConfiguration(policy: "1.2.3")
        for (certificate, reason) in [
            (try issue(eku: [], critical: false), "no timeStamping"),
            (try issue(eku: [ExtendedKeyUsage.timeStamping], critical: false), "not critical"),
            (try issue(eku: [ExtendedKeyUsage.timeStamping, ExtendedKeyUsage.codeSigning], critical: true), "other purposes"),
        ] {
            #expect {
                try TimeStampAuthority(key: key, certificate: certificate, serials: TimeStampSerialCounter(), configuration: configuration)
            } throws: { error in
                if case TimeStampError.configuration(let why) = error { return why.contains(reason) }
                return false
            }
            #expect(throws: TimeStampError.self) { try TimeStampToken.checkTimeStampingCertificate(certificate) }
        }
        #expect(throws: TimeStampError.self) {
            try TimeStampAuthority(key: try PrivateKey.generate(.p256), certificate: pki.tsa, serials: TimeStampSerialCounter(),
                                   configuration: configuration)
        }
    }

    @Test("Serial numbers increase monotonically across a restart and stay unique under concurrent calls",
          arguments: [1, 16])
    func serialNumbers(reservation: Int) async throws {
        let pki = try CMSTestPKI()
        let counterPath = pki.path("tsa-serial")
        var serials: [UInt64] = []
        do {
            let tsa = try pki.authority(serials: try TimeStampSerialCounter(path: counterPath, reservation: reservation))
            for index in 0..<3 {
                serials.append(Self.serial(of: try await tsa.timestamp(digest: DigestAlgorithm.sha256.hash([UInt8(index)]), algorithm: .sha256)))
            }
        }
        // A restart: a new counter over the same file.
        let restarted = try pki.authority(serials: try TimeStampSerialCounter(path: counterPath, reservation: reservation))
        for index in 0..<3 {
            serials.append(Self.serial(of: try await restarted.timestamp(digest: DigestAlgorithm.sha256.hash([UInt8(index)]), algorithm: .sha256)))
        }
        #expect(serials == serials.sorted())
        #expect(Set(serials).count == serials.count)
        #expect(serials.first == 1)
        if reservation > 1 { #expect(serials[3] == UInt64(reservation) + 1) }
        let stored = try String(contentsOfFile: counterPath, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(UInt64(stored)! >= serials.last!)
        let mode = try FileManager.default.attributesOfItem(atPath: counterPath)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        // Concurrent callers, and a second "process" sharing the file: never a duplicate.
        let other = try pki.authority(serials: try TimeStampSerialCounter(path: counterPath, reservation: reservation))
        let concurrent = try await withThrowingTaskGroup(of: UInt64.self) { group in
            for index in 0..<40 {
                let tsa = index % 2 == 0 ? restarted : other
                group.addTask { Self.serial(of: try await tsa.timestamp(digest: DigestAlgorithm.sha256.hash([UInt8(index)]), algorithm: .sha256)) }
            }
            return try await group.reduce(into: [UInt64]()) { $0.append($1) }
        }
        #expect(Set(concurrent).count == 40)
        #expect(concurrent.allSatisfy { $0 > serials.last! })
    }

    static func serial(of token: TimeStampToken) -> UInt64 {
        token.info.serialNumber.reduce(0) { $0 << 8 | UInt64($1) }
    }

    @Test("A corrupt serial counter is refused instead of restarting at 1")
    func corruptCounter() throws {
        let pki = try CMSTestPKI()
        try pki.save("not a number\n", "tsa-serial")
        #expect(throws: TimeStampError.self) { try TimeStampSerialCounter(path: pki.path("tsa-serial")) }
        #expect(throws: TimeStampError.self) { try TimeStampSerialCounter(path: pki.path("missing-dir/tsa-serial")) }
    }

    @Test("The token size estimate bounds real tokens")
    func estimate() async throws {
        let pki = try CMSTestPKI()
        let tsa = try pki.authority(serials: TimeStampSerialCounter(inMemoryStartingAfter: UInt64.max - 100))
        let estimate = try await tsa.estimatedTokenSize(algorithm: .sha256)
        for _ in 0..<10 {
            let token = try await tsa.timestamp(digest: DigestAlgorithm.sha256.hash(CMSBytes.random(8)), algorithm: .sha256)
            #expect(token.encoded.count <= estimate)
            #expect(estimate - token.encoded.count < 16)
        }
    }
}
