public import SignetCrypto
import SignetPDF

/// A document with a signature slot reserved: its `/ByteRange` is final and `/Contents`
/// holds zeros. The stages of a signing session are prepare → `digest` → sign (outside,
/// possibly after the signer confirms) → `embed`.
public struct PreparedSignature: Sendable {
    var output: PDFUpdateOutput
    let contents: PDFPlaceholderLocation

    /// The signature field's fully qualified name.
    public let fieldName: String
    /// `[0, a, b, c]`: everything but the `/Contents` value is signed.
    public let byteRange: [Int]
    /// Bytes available for the CMS or timestamp token.
    public let contentsCapacity: Int

    /// The prepared file (with a zero-filled `/Contents`).
    public var bytes: [UInt8] { output.bytes }

    /// The digest of the two signed byte ranges.
    public func digest(_ algorithm: DigestAlgorithm) -> [UInt8] {
        var hasher = Hasher(algorithm)
        let bytes = output.bytes
        hasher.update(bytes[byteRange[0]..<(byteRange[0] + byteRange[1])])
        hasher.update(bytes[byteRange[2]..<(byteRange[2] + byteRange[3])])
        return hasher.finalize()
    }

    /// The final file with `signature` (DER CMS or timestamp token) in `/Contents`.
    /// Fails with `signatureTooLarge` if it does not fit the reserved slot.
    public func embed(_ signature: [UInt8]) throws -> [UInt8] {
        guard signature.count <= contentsCapacity else {
            throw PAdESError.signatureTooLarge(needed: signature.count, capacity: contentsCapacity)
        }
        var final = output
        try final.patchHexString(contents, with: signature)
        return final.bytes
    }
}
