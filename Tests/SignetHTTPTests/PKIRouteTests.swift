import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SignetCrypto
import SignetHTTP
import SignetPKI
import Testing

@Suite("PKI and TSA routes")
struct PKIRouteTests {
    @Test("Certificates by the names the certificates' URLs use, DER; unknown names 404; never a key")
    func certificates() async throws {
        let keys = try TestKeys.keys()
        let urls = try #require(keys.manifest.urls)
        // The URLs the certificates point at are routes here.
        #expect(urls.rootCACertificate.hasSuffix("/pki/cert/root-ca.cer") && urls.issuingCACertificate.hasSuffix("/pki/cert/issuing-ca.cer"))
        let expected: [(String, Certificate)] = [
            ("/pki/root-ca.cer", keys.root), ("/pki/cert/root-ca.cer", keys.root),
            ("/pki/cert/issuing-ca.cer", keys.issuingAuthority.certificate), ("/pki/cert/tsa.cer", keys.timeStamping.certificate),
            ("/pki/cert/ocsp-responder.cer", keys.ocspResponder.certificate),
        ]
        try await TestApplication.make().test(.router) { client in
            for (uri, certificate) in expected {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok, "\(uri)")
                    #expect(response.headers[.contentType] == "application/pkix-cert")
                    #expect(response.body.bytes == certificate.der, "\(uri)")
                }
            }
            for uri in ["/pki/cert/seal.key.cer", "/pki/cert/root-ca.key.pem", "/pki/cert/..%2Froot-ca.key.pem", "/pki/cert/root-ca.pem",
                        "/pki/crl/seal.crl", "/pki/root-ca.key.pem"] {
                try await client.execute(uri: uri, method: .get) { response in
                    try ProblemTests.expectProblem(response, status: .notFound, code: "not_found")
                }
            }
        }
    }

    @Test("CRLs of both CAs; the issuing CA's is re-issued after a revocation")
    func crls() async throws {
        let keys = try TestKeys.keys()
        try await TestApplication.make().test(.router) { client in
            try await client.execute(uri: "/pki/crl/root-ca.crl", method: .get) { response in
                #expect(response.headers[.contentType] == "application/pkix-crl")
                let crl = try CertificateRevocationList(der: response.body.bytes)
                #expect(crl.isIssued(by: keys.root))
            }
            let before = try await client.execute(uri: "/pki/crl/issuing-ca.crl", method: .get) { response in
                try CertificateRevocationList(der: response.body.bytes)
            }
            #expect(before.isIssued(by: keys.issuingAuthority.certificate))
            #expect(before.nextUpdate.map { $0 > Date() } == true)

            // A certificate revoked in the database shows in the next CRL served.
            let subject = EventSubject(organizationName: "测试商户有限公司", registrationNumber: "201912345K", countryCode: "SG",
                                       signerName: "Tan", contractNumber: "SN-TEST-1", signingEventID: "evt-crl")
            let credential = try keys.eventAuthority.issueCertificate(for: subject, publicKey: try PrivateKey.generate(.p256).publicKey)
            try keys.issuingDatabase.recordIssued(credential)
            try keys.issuingDatabase.revoke(serialNumber: credential.serialNumber, reason: .keyCompromise)
            let after = try await client.execute(uri: "/pki/crl/issuing-ca.crl", method: .get) { response in
                try CertificateRevocationList(der: response.body.bytes)
            }
            #expect(after.entries.contains { $0.serialNumber == credential.serialNumber })
            #expect(!before.entries.contains { $0.serialNumber == credential.serialNumber })
        }
    }

    @Test("OCSP over POST and over GET (base64, percent-encoded or with raw slashes): signed answers for this CA's certificates")
    func ocsp() async throws {
        let keys = try TestKeys.keys()
        let issuer = keys.issuingAuthority.certificate
        // A request whose base64 has a '/' (the nonce is random): the raw form then spans path segments.
        var candidate = try OCSPRequest(certificates: [(keys.seal.certificate, issuer), (keys.timeStamping.certificate, issuer)])
        while !Data(candidate.der).base64EncodedString().contains("/") {
            candidate = try OCSPRequest(certificates: [(keys.seal.certificate, issuer), (keys.timeStamping.certificate, issuer)])
        }
        let request = candidate
        let base64 = Data(request.der).base64EncodedString()
        let percentEncoded = base64.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        try await TestApplication.make().test(.router) { client in
            var answers: [OCSPResponse] = []
            answers.append(try await client.execute(uri: "/pki/ocsp", method: .post, headers: [.contentType: "application/ocsp-request"],
                                                    body: ByteBuffer(bytes: request.der)) { response in
                #expect(response.headers[.contentType] == "application/ocsp-response")
                return try OCSPResponse(der: response.body.bytes)
            })
            for path in [percentEncoded, base64] {
                answers.append(try await client.execute(uri: "/pki/ocsp/" + path, method: .get) { response in
                    #expect(response.status == .ok)
                    return try OCSPResponse(der: response.body.bytes)
                })
            }
            for answer in answers {
                #expect(answer.status == .successful)
                #expect(answer.nonce == request.nonce)
                #expect(try answer.verifySigner(issuer: issuer) != nil)
                #expect(answer.singleResponse(for: keys.seal.certificate, issuer: issuer)?.status == .good)
                #expect(answer.singleResponse(for: keys.timeStamping.certificate, issuer: issuer)?.status == .good)
            }
        }
    }

    @Test("A malformed OCSP request gets the responder's malformedRequest answer, not a 5xx", arguments: [
        ("POST", "not DER at all"), ("GET", "not-base64!!"), ("GET", "%ZZ"), ("GET", "AAAA"),
    ])
    func malformedOCSP(method: String, payload: String) async throws {
        try await TestApplication.make().test(.router) { client in
            let response = method == "POST"
                ? try await client.execute(uri: "/pki/ocsp", method: .post, body: ByteBuffer(string: payload))
                : try await client.execute(uri: "/pki/ocsp/" + payload, method: .get)
            #expect(response.status == .ok)
            #expect(try OCSPResponse(der: response.body.bytes).status == .malformedRequest)
        }
    }

    @Test("POST /tsa: a granted RFC 3161 token over the imprint; a malformed query a rejection")
    func timeStamp() async throws {
        let keys = try TestKeys.keys()
        let digest = DigestAlgorithm.sha256.hash(Array("contract".utf8))
        let query = TimeStampRequest(digest: digest, algorithm: .sha256, certificateRequested: true)
        try await TestApplication.make().test(.router) { client in
            let reply = try await client.execute(uri: "/tsa", method: .post, headers: [.contentType: "application/timestamp-query"],
                                                 body: ByteBuffer(bytes: try query.derEncoded())) { response in
                #expect(response.headers[.contentType] == "application/timestamp-reply")
                return try TimeStampResponse(berEncoded: response.body.bytes)
            }
            #expect(reply.status == .granted)
            let token = try #require(reply.token)
            #expect(token.info.messageImprint.digest == digest)
            #expect(token.info.nonce == query.nonce)
            #expect(token.signedData.certificates.contains(keys.timeStamping.certificate))

            let refused = try await client.execute(uri: "/tsa", method: .post, body: ByteBuffer(string: "junk")) { response in
                #expect(response.status == .ok)
                return try TimeStampResponse(berEncoded: response.body.bytes)
            }
            #expect(refused.status == .rejection)
        }
    }
}
