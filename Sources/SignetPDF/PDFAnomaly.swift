/// A deviation from ISO 32000 that the reader tolerated. Each is documented where it is
/// tolerated; the verifier decides whether it matters for a signature.
public struct PDFAnomaly: Sendable, Hashable, CustomStringConvertible {
    /// What kind of deviation.
    public enum Kind: String, Sendable, Hashable {
        /// Bytes before `%PDF-` (allowed within the first 1024 bytes by most readers).
        case leadingBytesBeforeHeader
        /// An xref or `startxref` offset pointed at whitespace before the object or `xref` keyword.
        case offsetPointsAtWhitespace
        /// A trailer's `/Size` is lower than one plus the highest object number its section defines.
        case sizeTooSmall
        /// `/Size` in a later trailer is smaller than in an earlier one.
        case sizeDecreased
        /// A stream's `/Length` did not end at `endstream`; the data was taken up to `endstream`.
        case streamLengthMismatch
        /// `stream` was followed by CR alone or by no end-of-line at all.
        case streamKeywordEOL
        /// An object lacked `endobj`.
        case missingEndobj
        /// A cross-reference stream has more data than its `/W` and `/Index` describe,
        /// or an entry of an unknown type (treated as a reference to null).
        case xrefStreamExtraData
        /// A classic table names an object twice, or an xref stream entry type is unknown.
        case xrefEntryIrregular
        /// A cross-reference section is not followed directly by `startxref N %%EOF`.
        case missingEOFMarker
        /// The `startxref` after a section does not point to the section.
        case startxrefMismatch
        /// Non-whitespace bytes after the last `%%EOF`.
        case trailingDataAfterEOF
        /// A `/Prev` points forward in the file outside a linearized first-page section.
        case prevPointsForward
        /// Revisions do not follow each other in file order.
        case revisionsOutOfOrder
        /// `/Encrypt null` or another entry whose value is null in a trailer.
        case nullTrailerEntry
        /// A hybrid file's `/XRefStm` entries: type-2 entries hidden behind a table's free entries.
        case hybridReference
        /// A reference whose generation does not match the cross-reference entry (resolves to null).
        case generationMismatch
    }

    /// What kind of deviation.
    public let kind: Kind
    /// Where in the file (for objects in object streams: the object stream's offset).
    public let offset: Int?
    /// A sentence for people.
    public let message: String

    /// An anomaly of `kind` at `offset`.
    public init(_ kind: Kind, offset: Int?, _ message: String) {
        self.kind = kind
        self.offset = offset
        self.message = message
    }

    /// `kind at byte N: message`.
    public var description: String {
        "\(kind.rawValue)\(offset.map { " at byte \($0)" } ?? ""): \(message)"
    }
}
