/// Walks DER element headers without decoding contents, to pick one field out of a large
/// structure — a CRL's issuer ahead of its thousands of entries — where a full parse would
/// build a node for every entry first.
///
/// Only definite lengths and one-byte tags (all that the fields it reaches use). It checks
/// nothing past the fields it reads: callers use it for indexes that a full parse confirms.
///
/// Why not SwiftASN1, which parses everything else in Swift here: it builds the whole tree
/// before the first field can be read. Measured 2026-12-06 (benchmarks/crl-index.sh,
/// docs/benchmarks.md "CRL index"), in-process validation of a B-LT signature whose DSS
/// also carries a CRL of an unrelated CA: 2.0 → 2.2 ms with a 300-entry CRL, 3.3 → 9.6 ms
/// with 10 000 entries, 15 → 150 ms with 100 000 (the issuer through SwiftASN1 instead of
/// this cursor; the index entry, name included, takes 5 µs); when the large CRL is the
/// signer's CA's (OpenSSL parses it anyway) 15 → 22 ms and 160–190 → 317 ms.
struct DERHeaderCursor {
    private let bytes: [UInt8]
    private var offset: Int
    private let end: Int

    init(_ bytes: [UInt8]) {
        self.init(bytes, offset: 0, end: bytes.count)
    }

    private init(_ bytes: [UInt8], offset: Int, end: Int) {
        self.bytes = bytes
        self.offset = offset
        self.end = end
    }

    /// The tag of the next element, nil at the end.
    var nextTag: UInt8? { offset < end ? bytes[offset] : nil }

    /// A cursor over the contents of the next element, which must have `tag`; moves past it.
    mutating func enter(_ tag: UInt8) -> DERHeaderCursor? {
        guard let contents = advance(over: tag)?.contents else { return nil }
        return DERHeaderCursor(bytes, offset: contents.lowerBound, end: contents.upperBound)
    }

    /// The whole encoding (header and contents) of the next element, which must have `tag`.
    mutating func take(_ tag: UInt8) -> ArraySlice<UInt8>? {
        guard let element = advance(over: tag) else { return nil }
        return bytes[element.start..<element.contents.upperBound]
    }

    /// Moves past the next element, which must have `tag`.
    mutating func skip(_ tag: UInt8) -> Bool { advance(over: tag) != nil }

    private mutating func advance(over tag: UInt8) -> (start: Int, contents: Range<Int>)? {
        let start = offset
        guard start + 2 <= end, bytes[start] == tag, tag & 0x1F != 0x1F else { return nil }
        var position = start + 1
        let first = bytes[position]
        position += 1
        var length = Int(first)
        if first & 0x80 != 0 {
            let count = Int(first & 0x7F)
            guard (1...4).contains(count), position + count <= end else { return nil }  // 0x80: indefinite
            length = 0
            for byte in bytes[position..<position + count] { length = length << 8 | Int(byte) }
            position += count
        }
        guard length <= end - position else { return nil }
        offset = position + length
        return (start, position..<offset)
    }
}
