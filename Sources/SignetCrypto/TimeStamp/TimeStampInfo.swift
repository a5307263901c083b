public import FoundationEssentials
import SwiftASN1

/// MessageImprint: the digest a timestamp is about, and its algorithm.
public struct TimeStampMessageImprint: Sendable, Hashable {
    /// The digest algorithm.
    public let algorithm: CMSAlgorithmIdentifier
    /// The digest of the timestamped data.
    public let digest: [UInt8]

    /// An imprint of `digest` computed with `algorithm` (parameters absent).
    public init(algorithm: DigestAlgorithm, digest: [UInt8]) {
        self.algorithm = CMSAlgorithmIdentifier(digest: algorithm)
        self.digest = digest
    }

    init(node: ASN1Node) throws {
        var fields = try ASN1Read.children(node, .sequence, "MessageImprint")
        algorithm = try CMSAlgorithmIdentifier(node: try fields.next(.sequence, "hashAlgorithm"), "hashAlgorithm")
        digest = try ASN1Read.octetString(try fields.next(.octetString, "hashedMessage"), "hashedMessage")
        try fields.finish()
    }

    func serialize(into coder: inout DER.Serializer) throws {
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try algorithm.serialize(into: &coder)
            coder.appendPrimitiveNode(identifier: .octetString) { $0 += digest }
        }
    }

    /// Whether this imprint is `digest` computed with `algorithm` (parameters absent or NULL).
    public func matches(digest other: [UInt8], algorithm other2: DigestAlgorithm) -> Bool {
        algorithm.digestAlgorithm == other2 && algorithm.hasNoParameters && digest == other
    }
}

/// Accuracy of a timestamp's genTime (RFC 3161 §2.4.2; millis and micros are IMPLICIT [0]/[1]).
public struct TimeStampAccuracy: Sendable, Hashable {
    /// Whole seconds.
    public var seconds: Int
    /// 0–999.
    public var milliseconds: Int
    /// 0–999.
    public var microseconds: Int

    /// An accuracy of seconds + milliseconds + microseconds.
    public init(seconds: Int = 0, milliseconds: Int = 0, microseconds: Int = 0) {
        self.seconds = seconds
        self.milliseconds = milliseconds
        self.microseconds = microseconds
    }

    /// The accuracy as a time interval.
    public var timeInterval: TimeInterval {
        TimeInterval(seconds) + TimeInterval(milliseconds) / 1e3 + TimeInterval(microseconds) / 1e6
    }

    init(node: ASN1Node) throws {
        var fields = try ASN1Read.children(node, .sequence, "Accuracy")
        seconds = try fields.optional(.integer).map { try ASN1Read.smallInteger($0, "accuracy seconds") } ?? 0
        milliseconds = try fields.optional(.context(0)).map { try ASN1Read.smallInteger($0, "accuracy millis") } ?? 0
        microseconds = try fields.optional(.context(1)).map { try ASN1Read.smallInteger($0, "accuracy micros") } ?? 0
        try fields.finish()
        guard milliseconds <= 999, microseconds <= 999 else {
            throw ASN1StructureError("Accuracy: millis and micros must be 1...999")
        }
    }

    func serialize(into coder: inout DER.Serializer) throws {
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            if seconds > 0 { try coder.serialize(seconds) }
            if milliseconds > 0 { try milliseconds.serialize(into: &coder, withIdentifier: .context(0)) }
            if microseconds > 0 { try microseconds.serialize(into: &coder, withIdentifier: .context(1)) }
        }
    }
}

/// TSTInfo: what an RFC 3161 timestamp token asserts (RFC 3161 §2.4.2).
public struct TimeStampInfo: Sendable {
    /// The TSTInfo DER as stored (the token's eContent).
    public let encoded: [UInt8]
    /// Always 1.
    public let version: Int
    /// The TSA policy OID under which the token was issued.
    public let policy: String
    /// The digest the token is about.
    public let messageImprint: TimeStampMessageImprint
    /// The TSA's serial number (INTEGER content octets).
    public let serialNumber: [UInt8]
    /// genTime, with fractional seconds.
    public let genTime: Date
    /// genTime as written (e.g. "20250101120000.123Z").
    public let genTimeText: String
    /// The claimed accuracy of genTime, if given.
    public let accuracy: TimeStampAccuracy?
    /// Whether tokens of this TSA can be ordered by genTime alone.
    public let ordering: Bool
    /// The request's nonce echoed (INTEGER content octets), if any.
    public let nonce: [UInt8]?
    /// The TSA name when it is a directoryName.
    public let tsaName: DistinguishedName?
    /// The TSA name GeneralName (TLV) as stored, of any kind.
    public let tsaGeneralName: [UInt8]?
    /// Whether the TSTInfo carries extensions.
    public let hasExtensions: Bool

    /// The serial number as an upper-case hex string.
    public var serialNumberHex: String { ASN1Integers.minimal(serialNumber).hexString.uppercased() }

    /// Parses a DER (or BER) TSTInfo.
    public init(berEncoded bytes: [UInt8]) throws(TimeStampError) {
        do { try self.init(parsing: bytes) } catch { throw TimeStampError.wrap(error) }
    }

    private init(parsing bytes: [UInt8]) throws {
        encoded = bytes
        var fields = try ASN1Read.children(try ASN1Read.parse(bytes, "TSTInfo"), .sequence, "TSTInfo")
        version = try ASN1Read.smallInteger(try fields.next(.integer, "version"), "TSTInfo version")
        guard version == 1 else { throw TimeStampError.malformed("TSTInfo version \(version), expected 1") }
        policy = try ASN1Read.oid(try fields.next(.objectIdentifier, "policy"), "policy")
        messageImprint = try TimeStampMessageImprint(node: try fields.next(.sequence, "messageImprint"))
        serialNumber = try ASN1Read.integerBytes(try fields.next(.integer, "serialNumber"), "serialNumber")
        let time = try fields.next(.generalizedTime, "genTime")
        genTimeText = String(decoding: try ASN1Read.primitive(time, "genTime"), as: UTF8.self)
        genTime = try ASN1Time.parseGeneralizedTime(genTimeText, "genTime").date
        accuracy = try fields.optional(.sequence).map(TimeStampAccuracy.init(node:))
        ordering = try fields.optional(.boolean).map { try ASN1Read.boolean($0, "ordering") } ?? false
        nonce = try fields.optional(.integer).map { try ASN1Read.integerBytes($0, "nonce") }
        if let wrapper = fields.optional(.context(0)) {
            var inner = try ASN1Children(wrapper, "tsa")
            let name = try inner.next("GeneralName")
            try inner.finish()
            tsaGeneralName = Array(name.encodedBytes)
            if name.identifier == .context(4) {
                var directory = try ASN1Children(name, "directoryName")
                let der = Array(try directory.next(.sequence, "Name").encodedBytes)
                do { tsaName = try DistinguishedName(der: der) } catch {
                    throw ASN1StructureError("TSTInfo: unreadable tsa directoryName")
                }
            } else {
                tsaName = nil
            }
        } else {
            tsaGeneralName = nil
            tsaName = nil
        }
        hasExtensions = fields.optional(.context(1)) != nil
        try fields.finish()
    }

    /// DER TSTInfo for the built-in TSA.
    package static func encode(policy: String, imprint: TimeStampMessageImprint, serialNumber: [UInt8], genTime: String,
                       accuracy: TimeStampAccuracy?, nonce: [UInt8]?, tsaName: DistinguishedName?) throws -> [UInt8] {
        var coder = DER.Serializer()
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(1)
            try coder.serialize(try ASN1ObjectIdentifier(dotRepresentation: policy))
            try imprint.serialize(into: &coder)
            coder.appendPrimitiveNode(identifier: .integer) { $0 += serialNumber }
            coder.appendPrimitiveNode(identifier: .generalizedTime) { $0 += Array(genTime.utf8) }
            if let accuracy, accuracy.timeInterval > 0 { try accuracy.serialize(into: &coder) }
            // ordering DEFAULT FALSE: omitted in DER.
            if let nonce { coder.appendPrimitiveNode(identifier: .integer) { $0 += nonce } }
            if let tsaName {
                coder.appendConstructedNode(identifier: .context(0)) { coder in
                    coder.appendConstructedNode(identifier: .context(4)) { coder in coder.serializeRawBytes(tsaName.der) }
                }
            }
        }
        return coder.serializedBytes
    }
}
