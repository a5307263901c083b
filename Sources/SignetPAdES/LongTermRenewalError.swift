/// Why a renewal (`LongTermRenewal.extend`, `signet extend`) did not happen. Nothing is
/// written in either case.
public enum LongTermRenewalError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Which file was judged.
    public enum Stage: String, Sendable, Equatable {
        /// The file given for renewal.
        case input
        /// The renewed file, checked before it is handed back.
        case result
    }

    /// The file does not verify now (`outcome` is the report's: failed, indeterminate,
    /// noSignature, unreadable); `details` names the signatures that did not pass.
    case doesNotVerify(stage: Stage, outcome: String, details: String)
    /// Validation data or the document timestamp could not be obtained or written.
    case extensionFailed(String)

    /// A one-line message for people, naming the stage and what did not pass.
    public var description: String {
        switch self {
        case .doesNotVerify(.input, let outcome, let details):
            "the file does not verify now (\(outcome): \(details)); only a file whose every signature passes is extended"
        case .doesNotVerify(.result, let outcome, let details):
            "the extended file would not verify (\(outcome): \(details)); nothing was written"
        case .extensionFailed(let reason):
            "cannot extend: \(reason)"
        }
    }
}
