import FoundationEssentials
import Glibc
import SignetCrypto

/// The fallback for bytes whose PDF structure cannot be read — a whole file that does
/// not open, or what follows the last complete revision of one that does: finds signature
/// dictionaries by scanning the raw bytes for `/ByteRange` and a nearby `/Contents` hex
/// string, and, when there is no `/ByteRange` at all, the other traces of a signature (a
/// signature dictionary's `/Type` or `/SubFilter`, a signature field with a value).
/// Without a readable structure nothing about a signature can be established beyond
/// "broken", so every signature found this way fails (`UnreadableDocumentValidation`).
/// It never produces a passing result.
enum RawSignatureScanner {
    struct Found {
        /// Where `/ByteRange` (or the first trace) was found.
        let offset: Int
        /// The `/ByteRange` numbers (empty for a trace without one).
        let byteRange: [Int]
        let contents: [UInt8]?
        let isDocumentTimestamp: Bool
        /// For a signature known only from traces: what was found where, in plain words.
        var traces: [String] = []
    }

    /// Most signatures reported, and the window searched around each `/ByteRange`.
    static let limit = 64
    static let window = 64 * 1024

    /// The signatures in `region` of `bytes` (the whole file by default).
    static func scan(_ bytes: [UInt8], in region: Range<Int>? = nil) -> [Found] {
        let region = region ?? 0..<bytes.count
        var found: [Found] = []
        var position = region.lowerBound
        let marker = Array("/ByteRange".utf8)
        while found.count < limit, let hit = find(marker, in: bytes, from: position), hit < region.upperBound {
            position = hit + marker.count
            let numbers = integers(in: bytes, from: position)
            let low = max(region.lowerBound, hit - window), high = min(region.upperBound, hit + window)
            let contents = nearestContents(in: bytes, around: hit, low: low, high: high)
            let near = Array(bytes[max(region.lowerBound, hit - 2048)..<min(region.upperBound, hit + 2048)])
            let isTimestamp = find(Array("ETSI.RFC3161".utf8), in: near, from: 0) != nil
                || find(Array("/DocTimeStamp".utf8), in: near, from: 0) != nil
            found.append(Found(offset: hit, byteRange: numbers, contents: contents, isDocumentTimestamp: isTimestamp))
        }
        if found.isEmpty, let traces = traces(in: bytes, region: region) { found.append(traces) }
        return found
    }

    /// Name pairs that mark a signature dictionary or a signed signature field.
    private static let traceMarkers: [(key: String, value: String, what: String)] = [
        ("/Type", "/Sig", "a signature dictionary (/Type /Sig)"),
        ("/Type", "/DocTimeStamp", "a document timestamp dictionary (/Type /DocTimeStamp)"),
        ("/SubFilter", "/adbe.pkcs7.detached", "a signature format (/SubFilter /adbe.pkcs7.detached)"),
        ("/SubFilter", "/adbe.pkcs7.sha1", "a signature format (/SubFilter /adbe.pkcs7.sha1)"),
        ("/SubFilter", "/ETSI.CAdES.detached", "a signature format (/SubFilter /ETSI.CAdES.detached)"),
        ("/SubFilter", "/ETSI.RFC3161", "a document timestamp format (/SubFilter /ETSI.RFC3161)"),
        ("/FT", "/Sig", "a signed signature field (/FT /Sig with a /V)"),
    ]

    /// One `Found` listing the traces of signatures in `region` (at most 8), or nil.
    private static func traces(in bytes: [UInt8], region: Range<Int>) -> Found? {
        var hits: [(offset: Int, what: String, timestamp: Bool)] = []
        for marker in traceMarkers {
            let key = Array(marker.key.utf8), value = Array(marker.value.utf8)
            var position = region.lowerBound
            while hits.count < 8, let hit = find(key, in: bytes, from: position), hit < region.upperBound {
                position = hit + key.count
                var i = position
                while i < region.upperBound, isWhitespace(bytes[i]) { i += 1 }
                guard i + value.count <= region.upperBound, Array(bytes[i..<(i + value.count)]) == value,
                      i + value.count == region.upperBound || isDelimiterOrWhitespace(bytes[i + value.count]) else { continue }
                // An empty signature field (no /V) is a place to sign, not a signature.
                if marker.key == "/FT", !hasValue(bytes, near: hit, region: region) { continue }
                hits.append((hit, "\(marker.what) at byte \(hit)", marker.value.contains("DocTimeStamp") || marker.value.contains("RFC3161")))
            }
        }
        guard let first = hits.min(by: { $0.offset < $1.offset }) else { return nil }
        let sorted = hits.sorted { $0.offset < $1.offset }
        return Found(offset: first.offset, byteRange: [], contents: nil, isDocumentTimestamp: hits.allSatisfy(\.timestamp),
                     traces: sorted.map(\.what))
    }

    /// Whether the dictionary around `offset` has a `/V` entry (a reference or a dictionary):
    /// looked for between the nearest `obj` keywords before and after.
    private static func hasValue(_ bytes: [UInt8], near offset: Int, region: Range<Int>) -> Bool {
        let low = max(region.lowerBound, offset - 2048), high = min(region.upperBound, offset + 2048)
        var start = low
        if let before = lastIndex(of: Array("obj".utf8), in: bytes, from: low, before: offset) { start = before }
        let end = find(Array("endobj".utf8), in: bytes, from: offset).map { min($0, high) } ?? high
        var position = start
        let key = Array("/V".utf8)
        while let hit = find(key, in: bytes, from: position), hit < end {
            position = hit + key.count
            var i = position
            guard i < end, isDelimiterOrWhitespace(bytes[i]) else { continue }
            while i < end, isWhitespace(bytes[i]) { i += 1 }
            if i < end, (bytes[i] >= 0x30 && bytes[i] <= 0x39) || bytes[i] == UInt8(ascii: "<") { return true }
        }
        return false
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 || byte == 0x0C || byte == 0x00
    }

    private static func isDelimiterOrWhitespace(_ byte: UInt8) -> Bool {
        isWhitespace(byte) || "()<>[]{}/%".utf8.contains(byte)
    }

    /// The last offset of `needle` in `haystack[from..<before]`.
    private static func lastIndex(of needle: [UInt8], in haystack: [UInt8], from low: Int, before high: Int) -> Int? {
        var result: Int?
        var position = low
        while let hit = find(needle, in: haystack, from: position), hit + needle.count <= high {
            result = hit
            position = hit + 1
        }
        return result
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
