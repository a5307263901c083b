/// One entry of a cross-reference section (ISO 32000-2 §7.5.4, §7.5.8.3).
public enum PDFXRefEntry: Sendable, Hashable {
    /// A free (deleted) object.
    case free(nextFree: Int, generation: Int)
    /// An object at a byte offset in the file.
    case inUse(offset: Int, generation: Int)
    /// An object inside object stream number `objectStream`, at position `index`.
    /// Its generation is always 0.
    case compressed(objectStream: Int, index: Int)

    /// Whether the entry defines an object (in use or compressed).
    public var isInUse: Bool {
        if case .free = self { return false }
        return true
    }

    /// The generation the entry gives the object (0 for compressed objects).
    public var generation: Int {
        switch self {
        case .free(_, let g), .inUse(_, let g): return g
        case .compressed: return 0
        }
    }
}

/// A contiguous run of object numbers in a cross-reference section (`first count`).
public struct PDFXRefSubsection: Sendable, Hashable {
    /// The first object number.
    public let first: Int
    /// How many consecutive numbers.
    public let count: Int
}

/// One cross-reference section as found in the file: a classic table, a cross-reference
/// stream, or a hybrid (a table whose trailer has `/XRefStm`, §7.5.8.4).
public struct PDFXRefSection: Sendable {
    /// The syntax of the section.
    public enum Kind: Sendable, Hashable {
        /// `xref` ... `trailer << >>`.
        case table
        /// A `/Type /XRef` stream.
        case stream
        /// A table plus the cross-reference stream named by the trailer's `/XRefStm`.
        case hybrid
    }

    /// Table, stream or hybrid.
    public let kind: Kind
    /// Where the section starts: the `xref` keyword, or the first byte of the stream object.
    public let offset: Int
    /// The cross-reference stream object (for `.stream`, and the `/XRefStm` one for `.hybrid`).
    public let streamReference: PDFReference?
    /// For `.hybrid`: the offset of the `/XRefStm` stream.
    public let hybridStreamOffset: Int?
    /// Entries by object number. For hybrids, the table's in-use entries take precedence and
    /// the stream fills in numbers the table omits or marks free.
    public let entries: [Int: PDFXRefEntry]
    /// The subsections, in file order (for hybrids, the table's then the stream's).
    public let subsections: [PDFXRefSubsection]
    /// The trailer dictionary (the xref stream's dictionary for `.stream`).
    public let trailer: PDFDictionary
    /// Just after the trailer dictionary, or after the xref stream's `endobj`.
    public let endOffset: Int
}

/// One revision of the document: the original file or one incremental update.
///
/// A revision usually has one cross-reference section. A linearized file's first revision
/// has two (the first-page section and the main one, §F.3); they are merged here with the
/// first-page section taking precedence.
public struct PDFRevision: Sendable {
    /// 0 for the original document, then 1, 2, ... in the order of the `/Prev` chain.
    public let index: Int
    /// The revision's sections, newest first (the one `startxref` points at first).
    public let sections: [PDFXRefSection]
    /// Entries defined by this revision's sections, by object number (object 0 excluded).
    public let entries: [Int: PDFXRefEntry]
    /// The revision's trailer (that of its first section).
    public let trailer: PDFDictionary
    /// The value of the `startxref` that ends this revision.
    public let startXRef: Int
    /// The revision's bytes: from the end of the previous revision's `%%EOF` (0 for the first)
    /// to just after this revision's `%%EOF`.
    public let byteRange: Range<Int>
    /// `byteRange.upperBound` plus the end-of-line after `%%EOF` (CR, LF or CRLF) if present.
    /// Signers cover either end.
    public let endIncludingEOL: Int

    /// The end of the revision, just after `%%EOF`.
    public var end: Int { byteRange.upperBound }

    /// Object numbers this revision defines or redefines (in use or compressed), ascending.
    public var definedObjectNumbers: [Int] { entries.filter { $0.value.isInUse }.keys.sorted() }
    /// Object numbers this revision marks free, ascending (object 0 excluded).
    public var freedObjectNumbers: [Int] { entries.filter { !$0.value.isInUse }.keys.sorted() }
    /// The style of the newest section (`.table`, `.stream` or `.hybrid`).
    public var xrefKind: PDFXRefSection.Kind { sections[0].kind }
}
