/// Limits that keep reading bounded in time and memory on hostile input.
public struct PDFReadOptions: Sendable, Hashable {
    /// Deepest nesting of arrays and dictionaries in one object (default 256).
    public var maxNestingDepth: Int = 256
    /// Highest object number accepted (default 8,388,607, the ISO 32000-1 implementation limit).
    public var maxObjectNumber: Int = 8_388_607
    /// Most cross-reference sections followed through `/Prev` (default 10,000).
    public var maxRevisions: Int = 10_000
    /// Largest decoded stream, in bytes (default 256 MiB). Applies to every decode, including
    /// cross-reference and object streams.
    public var maxDecodedStreamLength: Int = 256 << 20
    /// Longest chain of indirections followed while resolving one value (default 64).
    public var maxReferenceChain: Int = 64
    /// Most objects in one object stream (default 1,000,000).
    public var maxObjectsPerObjectStream: Int = 1_000_000

    /// The defaults.
    public init() {}

    /// The defaults.
    public static let `default` = PDFReadOptions()
}
