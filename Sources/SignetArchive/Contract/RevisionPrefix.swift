import SignetCrypto

/// The prefixes of a signed PDF that end where one of its revisions ends: after a `%%EOF`
/// marker, with or without the end-of-line that follows it. The contract's completed
/// document (the `document_sha256` of `contract.completed`) is one of them, however many
/// revisions later extensions appended. Only the bytes are searched (no PDF parse): a match
/// is a SHA-256 match, so a `%%EOF` inside a stream can only cost a hash.
enum RevisionPrefix {
    /// Offsets just after each `%%EOF` marker and, when one follows, after its end-of-line.
    static func ends(of pdf: [UInt8]) -> [Int] {
        let marker = Array("%%EOF".utf8)
        var ends: [Int] = []
        var index = 0
        while index + marker.count <= pdf.count {
            guard pdf[index] == 0x25, pdf[index..<index + marker.count].elementsEqual(marker) else {
                index += 1
                continue
            }
            var end = index + marker.count
            ends.append(end)
            if end < pdf.count && pdf[end] == 0x0D { end += 1 }
            if end < pdf.count && pdf[end] == 0x0A { end += 1 }
            if end != ends.last { ends.append(end) }
            index = end
        }
        return ends
    }

    /// The length of the first such prefix of `pdf` whose SHA-256 (lowercase hex) is `sha256`.
    static func length(in pdf: [UInt8], sha256: String) -> Int? {
        ends(of: pdf).first { DigestAlgorithm.sha256.hash(pdf[..<$0]).hexString == sha256 }
    }
}
