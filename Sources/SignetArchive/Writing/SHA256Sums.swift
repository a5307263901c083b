import SignetCrypto

/// `SHA256SUMS` in `sha256sum`'s format: `<hex>  <path>\n` per file.
enum SHA256Sums {
    static func text(_ entries: [(path: String, sha256: [UInt8])]) -> [UInt8] {
        Array(entries.map { "\($0.sha256.hexString)  \($0.path)\n" }.joined().utf8)
    }

    /// The (path, hex digest) pairs of a listing; nil when a line is not in that format.
    static func parse(_ bytes: [UInt8]) -> [(path: String, sha256: String)]? {
        guard let text = String(validating: bytes, as: UTF8.self), text.isEmpty || text.hasSuffix("\n") else { return nil }
        var entries: [(path: String, sha256: String)] = []
        for line in text.dropLast().split(separator: "\n", omittingEmptySubsequences: false) {
            let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, parts[1].isEmpty, parts[0].count == 64,
                  parts[0].allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else { return nil }
            entries.append((String(parts[2]), String(parts[0])))
        }
        return entries
    }
}
