import FoundationEssentials
import SwiftASN1

/// INTEGER content octets.
package enum ASN1Integers {
    /// Drops redundant leading sign octets (BER allows them, DER does not).
    static func minimal(_ bytes: [UInt8]) -> [UInt8] {
        var slice = bytes[...]
        while slice.count > 1 {
            let first = slice[slice.startIndex], second = slice[slice.startIndex + 1]
            if (first == 0x00 && second & 0x80 == 0) || (first == 0xFF && second & 0x80 != 0) {
                slice = slice.dropFirst()
            } else {
                break
            }
        }
        return Array(slice)
    }

    /// DER content octets of the non-negative integer with big-endian `magnitude`.
    static func fromMagnitude(_ magnitude: [UInt8]) -> [UInt8] {
        let trimmed = Array(magnitude.drop { $0 == 0 })
        if trimmed.isEmpty { return [0] }
        return trimmed[0] & 0x80 != 0 ? [0] + trimmed : trimmed
    }

    /// DER content octets of `value`.
    package static func from(_ value: UInt64) -> [UInt8] {
        fromMagnitude(withUnsafeBytes(of: value.bigEndian) { Array($0) })
    }

    /// The magnitude of the INTEGER encoded in `bytes`, as `normalizedSerial` gives it; nil
    /// for a negative one. OpenSSL gives serial numbers as magnitudes
    /// (`Certificate.serialNumber`, `OCSPCertID.serialNumber`), DER as content octets, which
    /// differ by a 0x00 octet when the first magnitude octet is 0x80 or more.
    static func magnitude(ofEncoded bytes: [UInt8]) -> [UInt8]? {
        guard let first = bytes.first, first & 0x80 == 0 else { return nil }
        return normalizedSerial(bytes)
    }

    /// Whether two INTEGER encodings denote the same number.
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool { minimal(a) == minimal(b) }
}
