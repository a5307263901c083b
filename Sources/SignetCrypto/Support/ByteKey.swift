/// Bytes (a DER encoding, a signature value) as a dictionary or set key.
///
/// `[UInt8]`'s own `Hashable` conformance feeds the hasher one byte at a time, which made
/// hashing certificates, CRLs and signature values the largest single cost of validating a
/// file with a full DSS. This key hashes the whole buffer in one call.
public struct ByteKey: Hashable, Sendable {
    /// The bytes.
    public let bytes: [UInt8]

    /// A key for `bytes`.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public func hash(into hasher: inout Swift.Hasher) {
        hasher.combine(bytes.count)
        bytes.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in hasher.combine(bytes: buffer) }
    }

    public static func == (lhs: ByteKey, rhs: ByteKey) -> Bool { lhs.bytes == rhs.bytes }
}
