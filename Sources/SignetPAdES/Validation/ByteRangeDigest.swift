import SignetCrypto

/// Digests of a file's signed byte ranges, computed in place (no copy of the file) and
/// remembered per algorithm and ranges: the CMS check and the PAdES level check of one
/// signature hash the same bytes once.
final class ByteRangeDigests: @unchecked Sendable {
    // Unchecked: used by one validation on one thread; never shared.
    private let bytes: [UInt8]
    private var cache: [Key: [UInt8]] = [:]

    private struct Key: Hashable {
        let algorithm: DigestAlgorithm
        let ranges: [Range<Int>]
    }

    init(bytes: [UInt8]) { self.bytes = bytes }

    /// The digest of `ranges` (clamped to the file) with `algorithm`.
    func digest(_ ranges: [Range<Int>], _ algorithm: DigestAlgorithm) -> [UInt8] {
        let key = Key(algorithm: algorithm, ranges: ranges)
        if let cached = cache[key] { return cached }
        var hasher = Hasher(algorithm)
        bytes.withUnsafeBufferPointer { buffer in
            for range in ranges {
                let clamped = range.clamped(to: 0..<buffer.count)
                hasher.update(UnsafeBufferPointer(rebasing: buffer[clamped]))
            }
        }
        let digest = hasher.finalize()
        cache[key] = digest
        return digest
    }
}
