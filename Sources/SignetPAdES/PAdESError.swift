/// Errors raised while preparing, signing or extending a PDF.
public enum PAdESError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The input is not a PDF Signet can sign (malformed, truncated, ...).
    case unreadablePDF(String)
    /// Encrypted PDFs are refused.
    case encryptedPDF
    /// The signature field exists and already holds a signature.
    case fieldAlreadySigned(String)
    /// A field with that name exists but is not a signature field.
    case notASignatureField(String)
    /// The field name cannot be used (empty, contains a period, ...).
    case invalidFieldName(String)
    /// The page number is outside the document.
    case pageOutOfRange(page: Int, pageCount: Int)
    /// The widget rectangle is degenerate or outside the page.
    case invalidRectangle(String)
    /// The visible appearance could not be read or imported.
    case invalidAppearance(String)
    /// The CMS or timestamp token does not fit the reserved `/Contents` slot.
    case signatureTooLarge(needed: Int, capacity: Int)
    /// The PDF has no signature to extend (LTV data or timestamps need one).
    case nothingToExtend
    /// The requested level cannot be produced without a TSA (B-T and above).
    case timestampRequired(level: String)
    /// The requested level cannot be produced without validation data (B-LT and above).
    case validationDataRequired(level: String)
    /// No CRL or OCSP response could be found for a certificate (LTV fails closed).
    case noRevocationData(subject: String)
    /// A signature already in the document could not be read while extending it.
    case unreadableSignature(field: String, reason: String)

    /// A stable, machine-readable code for the case, e.g. `pades.unreadable_pdf` (docs/error-codes.md):
    /// for programs and the API's problem details; `description` is for people.
    public var code: String {
        switch self {
        case .unreadablePDF: "pades.unreadable_pdf"
        case .encryptedPDF: "pades.encrypted_pdf"
        case .fieldAlreadySigned: "pades.field_already_signed"
        case .notASignatureField: "pades.not_a_signature_field"
        case .invalidFieldName: "pades.invalid_field_name"
        case .pageOutOfRange: "pades.page_out_of_range"
        case .invalidRectangle: "pades.invalid_rectangle"
        case .invalidAppearance: "pades.invalid_appearance"
        case .signatureTooLarge: "pades.signature_too_large"
        case .nothingToExtend: "pades.nothing_to_extend"
        case .timestampRequired: "pades.timestamp_required"
        case .validationDataRequired: "pades.validation_data_required"
        case .noRevocationData: "pades.no_revocation_data"
        case .unreadableSignature: "pades.unreadable_signature"
        }
    }

    /// A one-line message for people; `code` is the stable machine-readable form.
    public var description: String {
        switch self {
        case .unreadablePDF(let reason): "the input is not a readable PDF: \(reason)"
        case .encryptedPDF: "encrypted PDFs are not supported: decrypt the file first"
        case .fieldAlreadySigned(let name): "signature field '\(name)' is already signed"
        case .notASignatureField(let name): "field '\(name)' exists and is not a signature field"
        case .invalidFieldName(let name): "'\(name)' is not a usable field name (non-empty, no periods)"
        case .pageOutOfRange(let page, let count): "page \(page) does not exist (the document has \(count) pages)"
        case .invalidRectangle(let reason): "invalid signature rectangle: \(reason)"
        case .invalidAppearance(let reason): "invalid signature appearance: \(reason)"
        case .signatureTooLarge(let needed, let capacity):
            "the signature needs \(needed) bytes but only \(capacity) were reserved"
        case .nothingToExtend: "the PDF carries no signature to extend"
        case .timestampRequired(let level): "\(level) needs a timestamp authority"
        case .validationDataRequired(let level): "\(level) needs a source of certificates and revocation data"
        case .noRevocationData(let subject): "no CRL or OCSP response available for \(subject)"
        case .unreadableSignature(let field, let reason): "signature '\(field)' cannot be read: \(reason)"
        }
    }
}
