/// Why a PDF could not be read, resolved, decoded or written.
///
/// Every case raised while reading carries the byte offset in the file where the problem
/// was found. For objects inside an object stream the offset is that of the object stream
/// in the file (the object's own position is inside the decoded stream).
public enum PDFError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The input ended inside a token or an object.
    case unexpectedEndOfInput(offset: Int)
    /// A token of the wrong kind (`expected` says what was wanted).
    case unexpectedToken(expected: String, found: String, offset: Int)
    /// A malformed number, or one outside the range of a 64-bit integer.
    case invalidNumber(offset: Int)
    /// A string, hex string or name that is not well formed.
    case invalidString(reason: String, offset: Int)
    /// A dictionary that names the same key twice (ambiguous: readers disagree on which wins).
    case duplicateKey(PDFName, offset: Int)
    /// Arrays/dictionaries nested deeper than `PDFReadOptions.maxNestingDepth`.
    case nestingTooDeep(limit: Int, offset: Int)
    /// The file does not start with a `%PDF-` header (searched in the first 1024 bytes).
    case missingHeader
    /// No `startxref` keyword with an offset near the end of the file.
    case missingStartXRef(offset: Int)
    /// A cross-reference table or stream is malformed.
    case invalidXRef(reason: String, offset: Int)
    /// The `/Prev` chain visits the same cross-reference section twice.
    case xrefLoop(offset: Int)
    /// More cross-reference sections than `PDFReadOptions.maxRevisions`.
    case tooManyRevisions(limit: Int)
    /// An object number or generation outside what PDF allows (or above `maxObjectNumber`).
    case objectNumberOutOfRange(Int, offset: Int)
    /// The object at the offset given by the cross-reference is not `N G obj` for the expected `N G`.
    case objectHeaderMismatch(expected: PDFReference, found: PDFReference?, offset: Int)
    /// The trailer (or the catalog chain) lacks a required entry or has the wrong type.
    case invalidStructure(reason: String, offset: Int?)
    /// A stream's `/Length` is missing, negative, or runs past the end of the input.
    case invalidStreamLength(reason: String, offset: Int)
    /// No `endstream` after a stream's data.
    case missingEndstream(offset: Int)
    /// Resolving a reference led back to itself (e.g. a `/Length` referring to its own stream)
    /// or through more than `maxReferenceChain` indirections.
    case circularReference(PDFReference, offset: Int?)
    /// An object stream (`/Type /ObjStm`) is malformed or does not hold the expected object.
    case invalidObjectStream(reason: String, offset: Int)
    /// A filter Signet does not decode (e.g. DCTDecode), met when decoding was requested.
    case unsupportedFilter(PDFName, offset: Int?)
    /// Encoded data that its filter cannot decode.
    case decodeFailed(filter: PDFName, reason: String, offset: Int?)
    /// Decoding would produce more than `PDFReadOptions.maxDecodedStreamLength` bytes.
    case decodedLengthLimitExceeded(limit: Int, offset: Int?)
    /// The document is encrypted (`/Encrypt` in the trailer).
    case encrypted
    /// A page index beyond the page tree, or a page tree that is malformed or cyclic.
    case invalidPageTree(reason: String, offset: Int?)
    /// A writer request that cannot be honoured (unknown object, bad placeholder, ...).
    case invalidUpdate(reason: String)

    /// The byte offset the error refers to, when there is one.
    public var offset: Int? {
        switch self {
        case .unexpectedEndOfInput(let o), .invalidNumber(let o), .missingStartXRef(let o),
            .xrefLoop(let o), .missingEndstream(let o):
            return o
        case .unexpectedToken(_, _, let o), .invalidString(_, let o), .duplicateKey(_, let o),
            .nestingTooDeep(_, let o), .invalidXRef(_, let o), .objectNumberOutOfRange(_, let o),
            .objectHeaderMismatch(_, _, let o), .invalidStreamLength(_, let o), .invalidObjectStream(_, let o):
            return o
        case .invalidStructure(_, let o), .circularReference(_, let o), .unsupportedFilter(_, let o),
            .decodeFailed(_, _, let o), .decodedLengthLimitExceeded(_, let o), .invalidPageTree(_, let o):
            return o
        case .missingHeader, .tooManyRevisions, .encrypted, .invalidUpdate:
            return nil
        }
    }

    /// A stable, machine-readable code for the case, e.g. `pdf.unexpected_end_of_input` (docs/error-codes.md):
    /// for programs and the API's problem details; `description` is for people.
    public var code: String {
        switch self {
        case .unexpectedEndOfInput: "pdf.unexpected_end_of_input"
        case .unexpectedToken: "pdf.unexpected_token"
        case .invalidNumber: "pdf.invalid_number"
        case .invalidString: "pdf.invalid_string"
        case .duplicateKey: "pdf.duplicate_key"
        case .nestingTooDeep: "pdf.nesting_too_deep"
        case .missingHeader: "pdf.missing_header"
        case .missingStartXRef: "pdf.missing_startxref"
        case .invalidXRef: "pdf.invalid_xref"
        case .xrefLoop: "pdf.xref_loop"
        case .tooManyRevisions: "pdf.too_many_revisions"
        case .objectNumberOutOfRange: "pdf.object_number_out_of_range"
        case .objectHeaderMismatch: "pdf.object_header_mismatch"
        case .invalidStructure: "pdf.invalid_structure"
        case .invalidStreamLength: "pdf.invalid_stream_length"
        case .missingEndstream: "pdf.missing_endstream"
        case .circularReference: "pdf.circular_reference"
        case .invalidObjectStream: "pdf.invalid_object_stream"
        case .unsupportedFilter: "pdf.unsupported_filter"
        case .decodeFailed: "pdf.decode_failed"
        case .decodedLengthLimitExceeded: "pdf.decoded_length_limit_exceeded"
        case .encrypted: "pdf.encrypted"
        case .invalidPageTree: "pdf.invalid_page_tree"
        case .invalidUpdate: "pdf.invalid_update"
        }
    }

    /// A one-line message for people, with the byte offset where known.
    public var description: String {
        let at = offset.map { " at byte \($0)" } ?? ""
        switch self {
        case .unexpectedEndOfInput: return "unexpected end of input\(at)"
        case .unexpectedToken(let expected, let found, _): return "expected \(expected), found \(found)\(at)"
        case .invalidNumber: return "invalid number\(at)"
        case .invalidString(let reason, _): return "\(reason)\(at)"
        case .duplicateKey(let key, _): return "dictionary has key \(key) twice\(at)"
        case .nestingTooDeep(let limit, _): return "objects nested deeper than \(limit) levels\(at)"
        case .missingHeader: return "not a PDF file: no %PDF- header"
        case .missingStartXRef: return "no startxref near the end of the file\(at)"
        case .invalidXRef(let reason, _): return "invalid cross-reference section: \(reason)\(at)"
        case .xrefLoop: return "cross-reference /Prev chain loops\(at)"
        case .tooManyRevisions(let limit): return "more than \(limit) cross-reference sections"
        case .objectNumberOutOfRange(let n, _): return "object or generation number \(n) out of range\(at)"
        case .objectHeaderMismatch(let expected, let found, _):
            let f = found.map { "\($0.number) \($0.generation) obj" } ?? "no object header"
            return "expected \(expected.number) \(expected.generation) obj, found \(f)\(at)"
        case .invalidStructure(let reason, _): return "invalid document structure: \(reason)\(at)"
        case .invalidStreamLength(let reason, _): return "invalid stream length: \(reason)\(at)"
        case .missingEndstream: return "stream without endstream\(at)"
        case .circularReference(let ref, _): return "circular or too long reference chain through \(ref)\(at)"
        case .invalidObjectStream(let reason, _): return "invalid object stream: \(reason)\(at)"
        case .unsupportedFilter(let name, _): return "unsupported stream filter \(name)\(at)"
        case .decodeFailed(let filter, let reason, _): return "\(filter) data cannot be decoded: \(reason)\(at)"
        case .decodedLengthLimitExceeded(let limit, _): return "decoded stream exceeds the limit of \(limit) bytes\(at)"
        case .encrypted: return "encrypted PDFs are not supported"
        case .invalidPageTree(let reason, _): return "invalid page tree: \(reason)\(at)"
        case .invalidUpdate(let reason): return "invalid update: \(reason)"
        }
    }
}
