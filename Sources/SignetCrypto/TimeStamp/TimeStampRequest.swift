import COpenSSL
import SwiftASN1

/// An RFC 3161 TimeStampReq.
public struct TimeStampRequest: Sendable, Hashable {
    /// The digest to timestamp.
    public var messageImprint: TimeStampMessageImprint
    /// The policy the TSA should issue under, if the requester cares.
    public var policy: String?
    /// A nonce (INTEGER content octets) the TSA must echo.
    public var nonce: [UInt8]?
    /// Whether the TSA must include its certificate in the token.
    public var certificateRequested: Bool
    /// The version (1) as read; requests Signet makes are always version 1.
    public let version: Int
    /// Whether the request carries extensions (Signet's TSA accepts none).
    public let hasExtensions: Bool

    /// A version 1 request without extensions.
    public init(digest: [UInt8], algorithm: DigestAlgorithm, nonce: [UInt8]? = TimeStampRequest.randomNonce(),
                policy: String? = nil, certificateRequested: Bool = true) {
        messageImprint = TimeStampMessageImprint(algorithm: algorithm, digest: digest)
        self.nonce = nonce
        self.policy = policy
        self.certificateRequested = certificateRequested
        version = 1
        hasExtensions = false
    }

    /// A fresh positive 64-bit nonce (INTEGER content octets).
    public static func randomNonce() -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 8)
        if RAND_bytes(&bytes, Int32(bytes.count)) != 1 {
            for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255) }
        }
        bytes[0] = bytes[0] & 0x7f | 0x40  // positive, and eight octets in DER
        return bytes
    }

    /// Parses a TimeStampReq (BER or DER).
    public init(berEncoded bytes: [UInt8]) throws(TimeStampError) {
        do { try self.init(parsing: bytes) } catch { throw TimeStampError.wrap(error) }
    }

    private init(parsing bytes: [UInt8]) throws {
        var fields = try ASN1Read.children(try ASN1Read.parse(bytes, "TimeStampReq"), .sequence, "TimeStampReq")
        version = try ASN1Read.smallInteger(try fields.next(.integer, "version"), "TimeStampReq version")
        messageImprint = try TimeStampMessageImprint(node: try fields.next(.sequence, "messageImprint"))
        policy = try fields.optional(.objectIdentifier).map { try ASN1Read.oid($0, "reqPolicy") }
        nonce = try fields.optional(.integer).map { try ASN1Read.integerBytes($0, "nonce") }
        certificateRequested = try fields.optional(.boolean).map { try ASN1Read.boolean($0, "certReq") } ?? false
        hasExtensions = fields.optional(.context(0)) != nil
        try fields.finish()
    }

    /// The DER encoding.
    public func derEncoded() throws -> [UInt8] {
        var coder = DER.Serializer()
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(1)
            try messageImprint.serialize(into: &coder)
            if let policy { try coder.serialize(try ASN1ObjectIdentifier(dotRepresentation: policy)) }
            if let nonce { coder.appendPrimitiveNode(identifier: .integer) { $0 += nonce } }
            if certificateRequested { try coder.serialize(true) }
        }
        return coder.serializedBytes
    }
}
