import FoundationEssentials
import Glibc
import SignetCrypto

/// The fallback for a file whose PDF structure cannot be read: finds signature
/// dictionaries by scanning the raw bytes for `/ByteRange` and a nearby `/Contents`
/// hex string. Without a readable structure nothing about a signature can be established
/// beyond "broken", so every signature found this way fails: HASH_FAILURE when the bytes
/// it claims to sign no longer match, otherwise FORMAT_FAILURE (unreadable structure).
/// It never produces a passing result.
enum RawSignatureScanner {
    struct Found {
        /// Where `/ByteRange` was found.
        let offset: Int
        let byteRange: [Int]
        let contents: [UInt8]?
        let isDocumentTimestamp: Bool
    }

    /// Most signatures reported, and the window searched around each `/ByteRange`.
    static let limit = 64
    static let window = 64 * 1024

    static func scan(_ bytes: [UInt8]) -> [Found] {
        var found: [Found] = []
        var position = 0
        let marker = Array("/ByteRange".utf8)
        while found.count < limit, let hit = find(marker, in: bytes, from: position) {
            position = hit + marker.count
            let numbers = integers(in: bytes, from: position)
            let low = max(0, hit - window), high = min(bytes.count, hit + window)
            let contents = nearestContents(in: bytes, around: hit, low: low, high: high)
            let near = Array(bytes[max(0, hit - 2048)..<min(bytes.count, hit + 2048)])
            let isTimestamp = find(Array("ETSI.RFC3161".utf8), in: near, from: 0) != nil
                || find(Array("/DocTimeStamp".utf8), in: near, from: 0) != nil
            found.append(Found(offset: hit, byteRange: numbers, contents: contents, isDocumentTimestamp: isTimestamp))
        }
        return found
    }

    /// The integers of `[ ... ]` after `from` (at most 16).
    private static func integers(in bytes: [UInt8], from start: Int) -> [Int] {
        var i = start
        while i < bytes.count, i < start + 64, bytes[i] != UInt8(ascii: "[") { i += 1 }
        guard i < bytes.count, bytes[i] == UInt8(ascii: "[") else { return [] }
        i += 1
        var numbers: [Int] = []
        var current: Int?
        while i < bytes.count, bytes[i] != UInt8(ascii: "]"), numbers.count < 16 {
            let byte = bytes[i]
            if byte >= 0x30 && byte <= 0x39 {
                let (times, o1) = (current ?? 0).multipliedReportingOverflow(by: 10)
                let (sum, o2) = times.addingReportingOverflow(Int(byte - 0x30))
                if o1 || o2 { return numbers }
                current = sum
            } else if byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
                if let value = current { numbers.append(value) }
                current = nil
            } else {
                return numbers
            }
            i += 1
        }
        if let value = current { numbers.append(value) }
        return numbers
    }

    /// The decoded hex string of the `/Contents` entry closest to `center`.
    private static func nearestContents(in bytes: [UInt8], around center: Int, low: Int, high: Int) -> [UInt8]? {
        let marker = Array("/Contents".utf8)
        var best: (distance: Int, value: [UInt8])?
        var position = low
        while let hit = find(marker, in: bytes, from: position), hit < high {
            position = hit + marker.count
            var i = position
            while i < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[i]) { i += 1 }
            guard i < bytes.count, bytes[i] == UInt8(ascii: "<"), i + 1 < bytes.count, bytes[i + 1] != UInt8(ascii: "<") else { continue }
            guard let value = hexString(in: bytes, from: i + 1) else { continue }
            let distance = abs(hit - center)
            if best == nil || distance < best!.distance { best = (distance, value) }
        }
        return best?.value
    }

    private static func hexString(in bytes: [UInt8], from start: Int) -> [UInt8]? {
        var digits: [UInt8] = []
        var i = start
        while i < bytes.count, i < start + (4 << 20) {
            let byte = bytes[i]
            switch byte {
            case 0x30...0x39: digits.append(byte - 0x30)
            case 0x41...0x46: digits.append(byte - 0x41 + 10)
            case 0x61...0x66: digits.append(byte - 0x61 + 10)
            case 0x20, 0x0A, 0x0D, 0x09, 0x0C: break
            case UInt8(ascii: ">"):
                if digits.count % 2 == 1 { digits.append(0) }
                return stride(from: 0, to: digits.count, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
            default: return nil
            }
            i += 1
        }
        return nil
    }

    /// The first offset of `needle` in `haystack` at or after `start` (memchr for the first
    /// byte, then a comparison).
    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, start >= 0, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        return haystack.withUnsafeBufferPointer { buffer -> Int? in
            guard let base = buffer.baseAddress else { return nil }
            let last = buffer.count - needle.count
            var i = start
            while i <= last {
                guard let hit = memchr(base + i, Int32(needle[0]), last - i + 1) else { return nil }
                let offset = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if memcmp(base + offset, needle, needle.count) == 0 { return offset }
                i = offset + 1
            }
            return nil
        }
    }
}
