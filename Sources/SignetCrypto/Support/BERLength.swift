import FoundationEssentials
import SwiftASN1

/// Locating the end of the first BER element in a buffer that may carry padding after it
/// (a PDF's /Contents slot is zero-filled after the CMS).
enum BERLength {
    /// The number of bytes of the first complete element of `bytes`, or nil when it is
    /// truncated or malformed.
    static func firstElementLength(_ bytes: [UInt8]) -> Int? {
        var offset = 0
        guard elementEnd(bytes, &offset, depth: 0) else { return nil }
        return offset
    }

    private static func elementEnd(_ bytes: [UInt8], _ offset: inout Int, depth: Int) -> Bool {
        guard depth < 64, offset < bytes.count else { return false }
        let tag = bytes[offset]
        offset += 1
        if tag & 0x1f == 0x1f {
            var count = 0
            repeat {
                guard offset < bytes.count, count < 8 else { return false }
                count += 1
                offset += 1
            } while bytes[offset - 1] & 0x80 != 0
        }
        guard offset < bytes.count else { return false }
        let first = bytes[offset]
        offset += 1
        if first == 0x80 {
            guard tag & 0x20 != 0 else { return false }
            while true {
                guard offset + 1 < bytes.count else { return false }
                if bytes[offset] == 0 && bytes[offset + 1] == 0 {
                    offset += 2
                    return true
                }
                guard elementEnd(bytes, &offset, depth: depth + 1) else { return false }
            }
        }
        var length = 0
        if first & 0x80 != 0 {
            let count = Int(first & 0x7f)
            guard count <= 4, offset + count <= bytes.count else { return false }
            for byte in bytes[offset..<offset + count] { length = length << 8 | Int(byte) }
            offset += count
        } else {
            length = Int(first)
        }
        guard length <= bytes.count - offset else { return false }
        offset += length
        return true
    }
}
