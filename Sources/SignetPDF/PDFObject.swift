// SignetPDF: PDF objects, parser, cross-reference handling and the incremental writer.
// No cryptography here. The only importer of zlib (CSignetZlib).

/// A PDF object (ISO 32000-2 §7.3): a value type, safe to share across tasks and to compare
/// between revisions.
///
/// Equality is semantic where PDF defines two spellings of one value: a literal and a hex
/// string with the same bytes are equal, and so are two reals with the same numeric value
/// (`0.5` and `.50`). Integers and reals are never equal to each other. Dictionaries compare
/// in key order (the order is kept from the file, and two dictionaries with the same entries
/// in a different order are *not* equal: the verifier treats a reordering as a change).
public enum PDFObject: Sendable, Hashable {
    case null
    case boolean(Bool)
    case integer(Int)
    case real(PDFReal)
    case string(PDFString)
    case name(PDFName)
    case array([PDFObject])
    case dictionary(PDFDictionary)
    indirect case stream(PDFStream)
    case reference(PDFReference)
}

extension PDFObject {
    /// The integer value, if this is an integer.
    public var integerValue: Int? {
        if case .integer(let value) = self { return value }
        return nil
    }

    /// The numeric value of an integer or a real.
    public var numberValue: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .real(let value): return value.value
        default: return nil
        }
    }

    /// The boolean value, if this is a boolean.
    public var booleanValue: Bool? {
        if case .boolean(let value) = self { return value }
        return nil
    }

    /// The name, if this is a name.
    public var nameValue: PDFName? {
        if case .name(let value) = self { return value }
        return nil
    }

    /// The string, if this is a string.
    public var stringValue: PDFString? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The elements, if this is an array.
    public var arrayValue: [PDFObject]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The dictionary, if this is a dictionary, or the dictionary of a stream.
    public var dictionaryValue: PDFDictionary? {
        switch self {
        case .dictionary(let value): return value
        case .stream(let stream): return stream.dictionary
        default: return nil
        }
    }

    /// The stream, if this is a stream.
    public var streamValue: PDFStream? {
        if case .stream(let value) = self { return value }
        return nil
    }

    /// The reference, if this is an indirect reference.
    public var referenceValue: PDFReference? {
        if case .reference(let value) = self { return value }
        return nil
    }

    /// Whether this is the null object.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// A short name of the object's type, for messages ("dictionary", "integer", ...).
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .boolean: return "boolean"
        case .integer: return "integer"
        case .real: return "real"
        case .string: return "string"
        case .name: return "name"
        case .array: return "array"
        case .dictionary: return "dictionary"
        case .stream: return "stream"
        case .reference: return "reference"
        }
    }
}

// Not ExpressibleByNilLiteral on purpose: `nil` must stay Optional's nil for `PDFObject?`.
extension PDFObject: ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral {
    /// An integer object from an integer literal.
    public init(integerLiteral value: Int) { self = .integer(value) }
    /// A boolean object from `true` or `false`.
    public init(booleanLiteral value: Bool) { self = .boolean(value) }
    /// An array object from an array literal of objects.
    public init(arrayLiteral elements: PDFObject...) { self = .array(elements) }
}

extension PDFObject: CustomStringConvertible {
    /// The object in PDF syntax (streams show their dictionary and the raw length only).
    public var description: String {
        if case .stream(let stream) = self {
            return PDFSerializer.string(.dictionary(stream.dictionary)) + " stream(\(stream.rawData.count) bytes)"
        }
        return PDFSerializer.string(self)
    }
}
