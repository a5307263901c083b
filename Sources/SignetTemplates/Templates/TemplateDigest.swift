public import FoundationEssentials
import SignetCrypto

/// The SHA-256 that identifies a template version's files.
///
/// It is the SHA-256 of the `sha256sum` listing of the version directory, files in byte
/// order of their names, so anyone can recompute it without Signet:
///
///     cd contract-templates/<id>/<version> && LC_ALL=C sha256sum * | sha256sum
///
/// Every regular file counts (manifest, body, sample); names starting with `.` are ignored;
/// anything else (directories, links) is refused so that nothing escapes the digest.
public enum TemplateDigest {
    /// One file of a version directory.
    public struct File: Sendable, Hashable {
        /// File name within the version directory.
        public let name: String
        /// The file's bytes.
        public let contents: Data

        /// A file of a version directory (e.g. read back from an archive).
        public init(name: String, contents: Data) {
            self.name = name
            self.contents = contents
        }
    }

    /// Reads the regular files of `directory`.
    ///
    /// - Throws: `TemplateError.unreadable`, or `.unexpectedEntries` for directories/links.
    public static func readFiles(in directory: URL) throws(TemplateError) -> [File] {
        let manager = FileManager.default
        let names: [String]
        do {
            names = try manager.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw .unreadable(path: directory.path, reason: fileErrorDescription(error))
        }
        var files: [File] = []
        var unexpected: [String] = []
        for name in names.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) where !name.hasPrefix(".") {
            let url = directory.appendingPathComponent(name)
            let type = (try? manager.attributesOfItem(atPath: url.path)[.type]) as? FileAttributeType
            guard type == .typeRegular else {
                unexpected.append(name + (type == .typeDirectory ? "/" : type == .typeSymbolicLink ? " (symbolic link)" : ""))
                continue
            }
            do {
                files.append(File(name: name, contents: try Data(contentsOf: url)))
            } catch {
                throw .unreadable(path: url.path, reason: fileErrorDescription(error))
            }
        }
        guard unexpected.isEmpty else { throw .unexpectedEntries(path: directory.path, entries: unexpected) }
        return files
    }

    /// The digest (lower-case hex) of `files`, which must be sorted by name bytes.
    public static func digest(of files: [File]) -> String {
        var listing = ""
        for file in files {
            listing += DigestAlgorithm.sha256.hash(file.contents).hexString + "  " + file.name + "\n"
        }
        return DigestAlgorithm.sha256.hash(Array(listing.utf8)).hexString
    }
}
