import FoundationEssentials

/// The request of an OCSP GET (RFC 6960 appendix A.1): `GET {url}/{url-encoding of base-64
/// encoding of the DER encoding of the OCSPRequest}`. NSS (pdfsig, Firefox) sends this form
/// for short requests. The base64 may arrive percent-encoded (`%2B`, `%2F`, `%3D`) or with raw
/// `/` characters, which then split it into several path segments.
enum OCSPGETPath {
    /// The DER request in `encoded` (everything after `/pki/ocsp/`), or nil when it is not
    /// percent-encoded base64.
    static func request(from encoded: Substring) -> [UInt8]? {
        // Standard base64 with its padding (RFC 4648 section 4), as NSS and OpenSSL write it.
        guard let text = percentDecoded(encoded), let der = Data(base64Encoded: Data(text)), !der.isEmpty else { return nil }
        return Array(der)
    }

    /// `text` with every `%XX` replaced by its byte; nil on a broken escape.
    static func percentDecoded(_ text: Substring) -> [UInt8]? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
