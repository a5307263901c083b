import SignetCrypto
import SignetPAdES
import SignetPDF
import SignetTemplates
import SignetPKI

/// The stable, machine-readable codes of the errors Signet's libraries throw, for the API's
/// problem details and the CLI's JSON (docs/error-codes.md).
public enum ErrorCodes {
    /// The `code` of an error thrown by a Signet library (`CMSError.code`,
    /// `TemplateError.code`, …; a `FieldError`'s `FieldErrorCode` raw value), or nil for any
    /// other error.
    public static func code(of error: any Error) -> String? {
        switch error {
        // SignetPDF
        case let error as PDFError: error.code
        // SignetCrypto
        case let error as CryptoError: error.code
        case let error as OpenSSLError: error.code
        case let error as CMSError: error.code
        case let error as PathValidationError: error.code
        case let error as OCSPError: error.code
        case let error as CRLError: error.code
        case let error as TimeStampError: error.code
        case let error as HTTPTransportError: error.code
        case let error as OutboundAddressError: error.code
        case let error as CertificateAuthorityError: error.code
        case let error as CertificateAuthorityDatabaseError: error.code
        case let error as EventCertificateError: error.code
        case let error as KeyDirectoryError: error.code
        // SignetPAdES
        case let error as PAdESError: error.code
        case let error as SystemTrustStoreError: error.code
        // SignetTemplates
        case let error as TemplateError: error.code
        case let error as RenderError: error.code
        case let error as FieldValidationError: error.code
        case let error as FieldProblems: error.code
        case let error as FieldError: error.code.rawValue
        case let error as FieldValuesError: error.code
        case let error as JSONValueError: error.code
        // SignetService
        case let error as ContractSigningError: error.code
        case let error as ServiceError: error.code
        case let error as StoreError: error.code
        default: nil
        }
    }
}
