/// A fixed-width value reserved in a written object, filled in after the output is known
/// (the PAdES layer hashes around `/Contents` and then patches both slots in place).
public enum PDFPlaceholder: Sendable, Hashable {
    /// `[0 ********** ********** **********]`: four integers, the last three up to `digits`
    /// wide each. Patched with `PDFUpdateOutput.patchByteRange`.
    case byteRange(digits: Int = 10)
    /// `<00...00>` holding `byteCount` zero bytes. Patched with `PDFUpdateOutput.patchHexString`.
    case hexString(byteCount: Int)

    /// The placeholder's bytes as first written.
    var initialBytes: [UInt8] {
        switch self {
        case .byteRange(let digits):
            let stars = String(repeating: "*", count: digits)
            return Array("[0 \(stars) \(stars) \(stars)]".utf8)
        case .hexString(let count):
            return [0x3C] + [UInt8](repeating: 0x30, count: 2 * count) + [0x3E]
        }
    }
}

/// Where a placeholder landed in the output.
public struct PDFPlaceholderLocation: Sendable, Hashable {
    /// The object holding it.
    public let reference: PDFReference
    /// The key of the object's top-level dictionary whose value it is.
    public let key: PDFName
    /// What was reserved.
    public let placeholder: PDFPlaceholder
    /// The value's bytes in the output: `[` to after `]`, or `<` to after `>`.
    public let range: Range<Int>
}
