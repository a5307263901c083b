import Foundation
import SignetPDF
import SignetTestSupport

/// Reads a file's bytes.
func readBytes(_ url: URL) throws -> [UInt8] { Array(try Data(contentsOf: url)) }

/// Writes bytes to a file.
func writeBytes(_ bytes: [UInt8], to url: URL) throws { try Data(bytes).write(to: url) }

/// Every PDF in the third-party corpus, as paths relative to the corpus directory.
func corpusFiles() throws -> [String] {
    let root = RepositoryPaths.corpus
    let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)!
    var files: [String] = []
    for case let url as URL in enumerator where url.pathExtension == "pdf" {
        files.append(String(url.path.dropFirst(root.path.count + 1)))
    }
    return files.sorted()
}

extension Array where Element == UInt8 {
    /// The bytes as a Latin-1 string, for searching in tests.
    var latin1: String { String(decoding: self, as: UTF8.self) }

    /// First index of `pattern`.
    func firstIndex(of pattern: String, from: Int = 0) -> Int? {
        let p = Array(pattern.utf8)
        guard p.count <= count else { return nil }
        var i = from
        while i <= count - p.count {
            if self[i] == p[0] && Array(self[i..<i + p.count]) == p { return i }
            i += 1
        }
        return nil
    }
}

/// Parses PDF syntax from a string.
func parseObject(_ text: String) throws -> PDFObject {
    try PDFObjectParser.parse(Array(text.utf8))
}
