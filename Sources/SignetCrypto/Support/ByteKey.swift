/// Bytes (a DER encoding, a signature value) as a dictionary or set key.
///
/// `[UInt8]`'s own `Hashable` conformance feeds the hasher one byte at a time, which made
/// hashing certificates, CRLs and signature values the largest single cost of validating a
/// file with a full DSS. This key hashes the whole buffer in one call.
package struct ByteKey: Hashable, Sendable {
    /// The bytes.
    package let bytes: [UInt8]

    /// A key for `bytes`.
    package init(_ bytes: [UInt8]) { self.bytes = bytes }

    package func hash(into hasher: inout Swift.Hasher) {
        hasher.combine(bytes.count)
        bytes.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in hasher.combine(bytes: buffer) }
    }

    package static func == (lhs: ByteKey, rhs: ByteKey) -> Bool { lhs.bytes == rhs.bytes }
}
