import SwiftASN1

/// The two encodings of an ECDSA signature (r, s): DER `SEQUENCE { r INTEGER, s INTEGER }`
/// (X9.62, RFC 5480; what OpenSSL reads and writes) and the plain format r‖s of BSI
/// TR-03111 §5.2.1 (each half as long as the curve's order, big-endian; what smart cards
/// and many HSMs return).
public enum ECDSASignatureEncoding {
    /// The DER form of a plain r‖s signature whose halves are `orderLength` bytes, or nil
    /// when `plain` is not exactly `2 * orderLength` bytes.
    public static func der(fromPlain plain: [UInt8], orderLength: Int) -> [UInt8]? {
        guard orderLength > 0, plain.count == 2 * orderLength else { return nil }
        var coder = DER.Serializer()
        coder.appendConstructedNode(identifier: .sequence) { coder in
            for half in [plain[..<orderLength], plain[orderLength...]] {
                coder.appendPrimitiveNode(identifier: .integer) { $0 += ASN1Integers.fromMagnitude(Array(half)) }
            }
        }
        return coder.serializedBytes
    }

    /// The plain r‖s form of a DER signature for a curve whose order is `orderLength`
    /// bytes, or nil when `der` is not a DER (r, s) pair of non-negative integers that fit.
    public static func plain(fromDER der: [UInt8], orderLength: Int) -> [UInt8]? {
        guard orderLength > 0, let node = try? ASN1Read.parse(der, "ECDSA-Sig-Value"),
              var pair = try? ASN1Read.children(node, .sequence, "ECDSA-Sig-Value") else { return nil }
        var out: [UInt8] = []
        for name in ["r", "s"] {
            guard let element = try? pair.next(.integer, name),
                  let encoded = try? ASN1Read.integerBytes(element, name),
                  let magnitude = ASN1Integers.magnitude(ofEncoded: encoded) else { return nil }
            let trimmed = Array(magnitude.drop { $0 == 0 })
            guard trimmed.count <= orderLength else { return nil }
            out += [UInt8](repeating: 0, count: orderLength - trimmed.count) + trimmed
        }
        guard (try? pair.finish()) != nil else { return nil }
        return out
    }
}
