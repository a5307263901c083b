/// Where a key of a dictionary and its value sit in the file.
public struct PDFEntryPosition: Sendable, Hashable {
    /// The key, from `/` to the end of the name.
    public let keyRange: Range<Int>
    /// The value, from its first byte to just after its last (`<` to after `>` for a hex
    /// string, `[` to after `]`, `N` to after `R` for a reference).
    public let valueRange: Range<Int>
}

/// An indirect object as read from the file, with where it came from.
public struct PDFIndirectObject: Sendable, Equatable {
    /// Where an object's bytes live.
    public enum Location: Sendable, Hashable {
        /// At a byte offset in the file (`N G obj` starts there).
        case file(offset: Int)
        /// Inside object stream `stream` (its current version), at `index`.
        case objectStream(stream: PDFReference, index: Int)
    }

    /// The object's number and generation.
    public let reference: PDFReference
    /// The object's value.
    public let object: PDFObject
    /// Where it was read from.
    public let location: Location
    /// For objects at a file offset: from the first digit of `N G obj` to just after `endobj`
    /// (or after the value/`endstream` if `endobj` is missing, which is an anomaly).
    public let byteRange: Range<Int>?
    /// For objects at a file offset whose value is a dictionary or a stream: the position of
    /// each key of the top-level dictionary and of its value. Empty otherwise.
    public let entryPositions: [PDFName: PDFEntryPosition]
    /// For streams in the file: the range of the raw data used (between `stream`+EOL and
    /// the EOL before `endstream`).
    public let streamDataRange: Range<Int>?
    /// Deviations tolerated while reading this object.
    public let anomalies: [PDFAnomaly]

    /// Equal when reference, object, location and byte range are equal (entry positions and anomalies are
    /// derived and not compared).
    public static func == (lhs: PDFIndirectObject, rhs: PDFIndirectObject) -> Bool {
        lhs.reference == rhs.reference && lhs.object == rhs.object && lhs.location == rhs.location
            && lhs.byteRange == rhs.byteRange
    }
}
