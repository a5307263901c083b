import SwiftASN1

/// PKIStatus values of a TimeStampResp (RFC 3161 §2.4.2).
public enum PKIStatus: Int, Sendable, Hashable, CustomStringConvertible {
    /// granted (0): the token is there.
    case granted = 0
    /// grantedWithMods (1): the token is there, the TSA changed something.
    case grantedWithMods = 1
    /// rejection (2).
    case rejection = 2
    /// waiting (3): not yet.
    case waiting = 3
    /// revocationWarning (4): a revocation is imminent.
    case revocationWarning = 4
    /// revocationNotification (5): a revocation has occurred.
    case revocationNotification = 5

    /// The RFC 3161 name of the status.
    public var description: String {
        switch self {
        case .granted: "granted"
        case .grantedWithMods: "grantedWithMods"
        case .rejection: "rejection"
        case .waiting: "waiting"
        case .revocationWarning: "revocationWarning"
        case .revocationNotification: "revocationNotification"
        }
    }
}

/// PKIFailureInfo bits of a rejected TimeStampResp.
public struct PKIFailureInfo: OptionSet, Sendable, Hashable, CustomStringConvertible {
    /// The bits (bit n of the BIT STRING is 1 << n).
    public let rawValue: UInt32
    /// Failure bits from their raw value.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Unrecognized or unsupported algorithm.
    public static let badAlg = PKIFailureInfo(rawValue: 1 << 0)
    /// Transaction not permitted or supported.
    public static let badRequest = PKIFailureInfo(rawValue: 1 << 2)
    /// The data submitted has the wrong format.
    public static let badDataFormat = PKIFailureInfo(rawValue: 1 << 5)
    /// The TSA's time source is not available.
    public static let timeNotAvailable = PKIFailureInfo(rawValue: 1 << 14)
    /// The requested policy is not supported by the TSA.
    public static let unacceptedPolicy = PKIFailureInfo(rawValue: 1 << 15)
    /// The requested extension is not supported by the TSA.
    public static let unacceptedExtension = PKIFailureInfo(rawValue: 1 << 16)
    /// The additional information requested could not be understood or is not available.
    public static let addInfoNotAvailable = PKIFailureInfo(rawValue: 1 << 17)
    /// The request cannot be handled due to a system failure.
    public static let systemFailure = PKIFailureInfo(rawValue: 1 << 25)

    static let names: [(PKIFailureInfo, String)] = [
        (.badAlg, "badAlg"), (.badRequest, "badRequest"), (.badDataFormat, "badDataFormat"),
        (.timeNotAvailable, "timeNotAvailable"), (.unacceptedPolicy, "unacceptedPolicy"),
        (.unacceptedExtension, "unacceptedExtension"), (.addInfoNotAvailable, "addInfoNotAvailable"),
        (.systemFailure, "systemFailure"),
    ]

    /// The names of the set bits.
    public var names: [String] { Self.names.filter { contains($0.0) }.map(\.1) }

    /// The names of the set bits.
    public var description: String { names.joined(separator: ", ") }

    /// DER named BIT STRING content: unused-bits octet, then the bits with trailing zero bits removed.
    var bitStringContent: [UInt8] {
        guard rawValue != 0 else { return [0] }
        let highest = 31 - rawValue.leadingZeroBitCount  // bit numbers count from the first octet's MSB
        let octets = highest / 8 + 1
        var bytes = [UInt8](repeating: 0, count: octets)
        for bit in 0...highest where rawValue & (1 << bit) != 0 { bytes[bit / 8] |= 0x80 >> UInt8(bit % 8) }
        return [UInt8(7 - highest % 8)] + bytes
    }

    init(bitStringContent content: ArraySlice<UInt8>) {
        var value: UInt32 = 0
        for (octetIndex, octet) in content.dropFirst().enumerated() {
            for bitInOctet in 0..<8 where octet & (0x80 >> UInt8(bitInOctet)) != 0 {
                let bit = octetIndex * 8 + bitInOctet
                if bit < 32 { value |= 1 << UInt32(bit) }
            }
        }
        rawValue = value
    }
}

/// An RFC 3161 TimeStampResp: the TSA's status and, when granted, the token.
public struct TimeStampResponse: Sendable {
    /// The PKIStatus.
    public let status: PKIStatus
    /// The statusString texts.
    public let statusText: [String]
    /// The failInfo bits (empty when absent).
    public let failureInfo: PKIFailureInfo
    /// The token, present when the status is granted or grantedWithMods.
    public let token: TimeStampToken?

    /// Parses a TimeStampResp (BER or DER).
    public init(berEncoded bytes: [UInt8]) throws(TimeStampError) {
        do { try self.init(parsing: bytes) } catch { throw TimeStampError.wrap(error) }
    }

    private init(parsing bytes: [UInt8]) throws {
        var fields = try ASN1Read.children(try ASN1Read.parse(bytes, "TimeStampResp"), .sequence, "TimeStampResp")
        var statusInfo = try ASN1Read.children(try fields.next(.sequence, "status"), .sequence, "PKIStatusInfo")
        let rawStatus = try ASN1Read.smallInteger(try statusInfo.next(.integer, "status"), "PKIStatus")
        guard let status = PKIStatus(rawValue: rawStatus) else { throw ASN1StructureError("unknown PKIStatus \(rawStatus)") }
        self.status = status
        var texts: [String] = []
        if let freeText = statusInfo.optional(.sequence) {
            for node in try ASN1Children(freeText, "PKIFreeText").nodes {
                guard node.identifier == .utf8String else { throw ASN1StructureError("PKIFreeText holds a non-UTF8String") }
                texts.append(String(decoding: try ASN1Read.octetString(node, "PKIFreeText"), as: UTF8.self))
            }
        }
        statusText = texts
        if let bits = statusInfo.optional(.bitString) {
            failureInfo = PKIFailureInfo(bitStringContent: try ASN1Read.primitive(bits, "failInfo"))
        } else {
            failureInfo = []
        }
        try statusInfo.finish()
        if let token = fields.optional(.sequence) {
            self.token = try TimeStampToken(berEncoded: Array(token.encodedBytes))
        } else {
            token = nil
        }
        try fields.finish()
    }

    /// DER TimeStampResp with `status` and, when granted, `token` (ContentInfo DER).
    package static func encode(status: PKIStatus, text: String? = nil, failureInfo: PKIFailureInfo = [], token: [UInt8]? = nil) -> [UInt8] {
        var coder = DER.Serializer()
        coder.appendConstructedNode(identifier: .sequence) { coder in
            coder.appendConstructedNode(identifier: .sequence) { coder in
                coder.appendPrimitiveNode(identifier: .integer) { $0 += ASN1Integers.from(UInt64(status.rawValue)) }
                if let text {
                    coder.appendConstructedNode(identifier: .sequence) { coder in
                        coder.appendPrimitiveNode(identifier: .utf8String) { $0 += Array(text.utf8) }
                    }
                }
                if !failureInfo.isEmpty {
                    coder.appendPrimitiveNode(identifier: .bitString) { $0 += failureInfo.bitStringContent }
                }
            }
            if let token { coder.serializeRawBytes(token) }
        }
        return coder.serializedBytes
    }
}
