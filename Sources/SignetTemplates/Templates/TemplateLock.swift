public import FoundationEssentials

/// `contract-templates/templates.lock`: the digest of every published template version.
///
/// Append-only. A version is locked once; from then on its files must hash to the recorded
/// digest forever, so a contract made from it years ago can be re-rendered byte for byte.
/// Format: `#` comment lines, then one `id@version sha256-hex` per line, sorted.
public struct TemplateLock: Sendable, Hashable {
    /// Digest by `id@version`.
    public private(set) var entries: [String: String]

    /// A lock with the given entries (`id@version` → digest).
    public init(entries: [String: String] = [:]) { self.entries = entries }

    /// Parses lock file text.
    ///
    /// - Throws: `TemplateError.malformedLock` at the first bad line.
    public init(text: String) throws(TemplateError) {
        var entries: [String: String] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count == 2, parts[0].contains("@") else {
                throw .malformedLock(line: index + 1, reason: "expected 'id@version sha256', got '\(line)'")
            }
            let digest = String(parts[1])
            guard digest.count == 64, digest.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
                throw .malformedLock(line: index + 1, reason: "'\(digest)' is not a lower-case hex SHA-256")
            }
            let reference = String(parts[0])
            guard entries[reference] == nil else {
                throw .malformedLock(line: index + 1, reason: "\(reference) is listed twice")
            }
            entries[reference] = digest
        }
        self.entries = entries
    }

    /// Reads `url`; a missing file is an empty lock.
    public static func read(_ url: URL) throws(TemplateError) -> TemplateLock {
        guard FileManager.default.fileExists(atPath: url.path) else { return TemplateLock() }
        do {
            return try TemplateLock(text: String(decoding: try Data(contentsOf: url), as: UTF8.self))
        } catch let error as TemplateError {
            throw error
        } catch {
            throw .unreadable(path: url.path, reason: fileErrorDescription(error))
        }
    }

    /// The recorded digest of `reference` (`id@version`).
    public subscript(reference: String) -> String? { entries[reference] }

    /// Records a new version. Returns false (and changes nothing) if it is already locked.
    public mutating func add(_ reference: String, digest: String) -> Bool {
        guard entries[reference] == nil else { return false }
        entries[reference] = digest
        return true
    }

    /// The file text: header, then entries sorted by reference.
    public var text: String {
        var out = """
        # Signet template lock: the SHA-256 of every published template version.
        # Append-only: `signet templates lock` adds new versions and never rewrites a line.
        # digest = `cd contract-templates/<id>/<version> && LC_ALL=C sha256sum * | sha256sum`

        """
        for (reference, digest) in entries.sorted(by: { $0.key < $1.key }) {
            out += "\(reference) \(digest)\n"
        }
        return out
    }
}
