/// Why a template could not be listed, loaded or locked.
public enum TemplateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No directory `<root>/<id>`.
    case templateNotFound(id: String, available: [String])
    /// The template has no such version.
    case versionNotFound(id: String, version: String, available: [String])
    /// A file could not be read (path, reason).
    case unreadable(path: String, reason: String)
    /// The manifest has problems (every one listed).
    case invalidManifest(path: String, problems: [String])
    /// The body markup has problems (every one listed, with line numbers).
    case invalidBody(path: String, problems: [BodyProblem])
    /// The version directory holds something other than regular files.
    case unexpectedEntries(path: String, entries: [String])
    /// The version is not in the lock file: run `signet templates lock` to record it.
    case notLocked(reference: String)
    /// The version's files differ from the digest recorded in the lock: they were edited
    /// without a version bump.
    case changedWithoutVersionBump(reference: String, locked: String, actual: String)
    /// The digest a caller expected (e.g. recorded in a contract) is not the template's.
    case digestMismatch(reference: String, expected: String, actual: String)
    /// Lock entries whose version directory no longer exists.
    case lockedVersionsMissing([String])
    /// `templates.lock` cannot be parsed.
    case malformedLock(line: Int, reason: String)
    /// Several templates failed at once (e.g. while locking): every failure.
    case multiple([TemplateError])

    /// A stable, machine-readable code for the case, e.g. `template.not_found` (docs/error-codes.md):
    /// for programs and the API's problem details; `description` is for people.
    public var code: String {
        switch self {
        case .templateNotFound: "template.not_found"
        case .versionNotFound: "template.version_not_found"
        case .unreadable: "template.unreadable"
        case .invalidManifest: "template.invalid_manifest"
        case .invalidBody: "template.invalid_body"
        case .unexpectedEntries: "template.unexpected_entries"
        case .notLocked: "template.not_locked"
        case .changedWithoutVersionBump: "template.changed_without_version_bump"
        case .digestMismatch: "template.digest_mismatch"
        case .lockedVersionsMissing: "template.locked_versions_missing"
        case .malformedLock: "template.malformed_lock"
        case .multiple: "template.multiple"
        }
    }

    /// A message for people naming the template and what is wrong; `code` is the stable machine-readable
    /// form.
    public var description: String {
        switch self {
        case .templateNotFound(let id, let available):
            return "no template '\(id)' (available: \(available.isEmpty ? "none" : available.joined(separator: ", ")))"
        case .versionNotFound(let id, let version, let available):
            return "template '\(id)' has no version \(version) (available: \(available.joined(separator: ", ")))"
        case .unreadable(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .invalidManifest(let path, let problems):
            return "\(path) is not a valid manifest:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
        case .invalidBody(let path, let problems):
            return "\(path) has markup errors:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
        case .unexpectedEntries(let path, let entries):
            return "\(path) may only hold regular files, found: \(entries.joined(separator: ", "))"
        case .notLocked(let reference):
            return "\(reference) is not in templates.lock; run `signet templates lock` to record it before use"
        case .changedWithoutVersionBump(let reference, let locked, let actual):
            return "\(reference) changed without a version bump: its files hash to \(actual) but templates.lock records \(locked); restore the files and put changes in a new version"
        case .digestMismatch(let reference, let expected, let actual):
            return "\(reference) has digest \(actual), not the expected \(expected)"
        case .lockedVersionsMissing(let references):
            return "locked template versions are missing (old contracts need them to be re-rendered): \(references.joined(separator: ", "))"
        case .malformedLock(let line, let reason):
            return "templates.lock line \(line): \(reason)"
        case .multiple(let errors):
            return errors.map(\.description).joined(separator: "\n")
        }
    }
}

/// One markup problem in a template body.
public struct BodyProblem: Sendable, Hashable, CustomStringConvertible {
    /// 1-based line of the body file.
    public let line: Int
    /// What is wrong.
    public let message: String

    /// A problem at `line`.
    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    /// `line N: message`.
    public var description: String { "line \(line): \(message)" }
}
