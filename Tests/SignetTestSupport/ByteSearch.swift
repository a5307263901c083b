/// Finding byte sequences in test data (signature values in a CMS, OIDs, PDF keywords).
public enum ByteSearch {
    /// The first offset of `needle` in `haystack`, or nil.
    public static func offset(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard !needle.isEmpty, needle.count <= haystack.count else { return nil }
        return (0...(haystack.count - needle.count)).first { start in
            haystack[start] == needle[0] && haystack[start..<(start + needle.count)].elementsEqual(needle)
        }
    }
}
