public import FoundationEssentials

/// A client for an external RFC 3161 TSA over HTTP (RFC 3161 §3.4).
///
/// Each request carries a fresh random nonce and certReq; a reply is accepted only when
/// it is `application/timestamp-reply`, granted, its token's imprint and nonce match the
/// request, the token carries and is signed by a timestamping certificate bound by
/// signing-certificate(-v2) and, when `trust` is set, that certificate chains to an anchor.
public struct TimeStampClient: TimeStampProvider {
    /// The TSA's URL.
    public let url: URL
    /// The policy to request, if any (the token must then carry it).
    public var policy: String?
    /// When set, the TSA certificate must chain to one of these anchors.
    public var trust: TimeStampTrust?
    /// Seconds the whole HTTP exchange may take (connecting, sending, receiving the reply).
    public var timeout: TimeInterval
    /// Bytes added to a measured token size by `estimatedTokenSize` (serial numbers, genTime
    /// fractions and ECDSA signatures vary in length between tokens).
    public var sizeMargin: Int
    private let transport: any HTTPTransport

    /// A client for the TSA at `url`. `transport` defaults to `AsyncHTTPClientTransport` on
    /// the process's shared client (http and https, no redirects, replies up to 1 MiB).
    public init(url: URL, policy: String? = nil, trust: TimeStampTrust? = nil, timeout: TimeInterval = 10,
                sizeMargin: Int = 64, transport: any HTTPTransport = AsyncHTTPClientTransport()) {
        self.url = url
        self.policy = policy
        self.trust = trust
        self.timeout = timeout
        self.sizeMargin = sizeMargin
        self.transport = transport
    }

    /// Requests and checks a token over `digest`.
    public func timestamp(digest: [UInt8], algorithm: DigestAlgorithm) async throws -> TimeStampToken {
        guard digest.count == algorithm.outputLength else {
            throw TimeStampError.imprintMismatch("a \(algorithm) digest has \(algorithm.outputLength) bytes, got \(digest.count)")
        }
        let request = TimeStampRequest(digest: digest, algorithm: algorithm, nonce: TimeStampRequest.randomNonce(),
                                       policy: policy, certificateRequested: true)
        return try await exchange(request)
    }

    /// Sends `request` and checks the reply against it.
    public func exchange(_ request: TimeStampRequest) async throws -> TimeStampToken {
        let body = try request.derEncoded()
        let reply: HTTPReply
        do {
            reply = try await transport.post(body, to: url, contentType: "application/timestamp-query",
                                             accept: "application/timestamp-reply", timeout: timeout)
        } catch HTTPTransportError.timeout {
            throw TimeStampError.timeout
        } catch {
            throw TimeStampError.transport("\(error)")
        }
        guard reply.status == 200 else { throw TimeStampError.httpStatus(reply.status) }
        let mediaType = reply.contentType?.split(separator: ";").first?.trimmingWhitespace().lowercased()
        guard mediaType == "application/timestamp-reply" else { throw TimeStampError.unexpectedContentType(reply.contentType) }

        let response = try TimeStampResponse(berEncoded: reply.body)
        guard response.status == .granted || response.status == .grantedWithMods else {
            throw TimeStampError.rejected(status: response.status.rawValue, text: response.statusText,
                                          failureInfo: response.failureInfo.names)
        }
        guard let token = response.token else { throw TimeStampError.malformed("a granted response without a token") }
        try check(token, against: request)
        return token
    }

    private func check(_ token: TimeStampToken, against request: TimeStampRequest) throws(TimeStampError) {
        guard let algorithm = request.messageImprint.algorithm.digestAlgorithm else {
            throw .imprintMismatch("unsupported request algorithm")
        }
        try token.checkImprint(digest: request.messageImprint.digest, algorithm: algorithm)
        if let nonce = request.nonce { try token.checkNonce(nonce) }
        if let policy = request.policy, token.info.policy != policy {
            throw .policyMismatch(expected: policy, actual: token.info.policy)
        }
        if request.certificateRequested {
            guard (try? token.signedData.signerCertificate(for: token.signerInfo)) != nil else {
                throw .certificateMissing
            }
        }
        _ = try token.verify(digest: request.messageImprint.digest, algorithm: algorithm, nonce: request.nonce, trust: trust)
    }

    /// Measures a token from the TSA (over a random digest) and adds `sizeMargin`.
    public func estimatedTokenSize(algorithm: DigestAlgorithm) async throws -> Int {
        var probe = [UInt8](repeating: 0, count: algorithm.outputLength)
        for index in probe.indices { probe[index] = UInt8.random(in: 0...255) }
        let token = try await timestamp(digest: probe, algorithm: algorithm)
        return token.encoded.count + sizeMargin
    }
}
