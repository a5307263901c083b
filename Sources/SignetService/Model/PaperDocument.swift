public import FoundationEssentials

/// An electronic copy of a paper contract: the scan as uploaded and the copy the platform
/// sealed as certified (PAdES B-LTA).
public struct PaperDocument: Sendable, Hashable, Codable {
    /// `doc_…`.
    public var id: String
    /// The merchant it belongs to.
    public var merchantID: String
    /// A title given at upload.
    public var title: String
    /// The scan as uploaded.
    public var original: StoredDocument
    /// The sealed copy.
    public var sealed: StoredDocument
    /// When it was sealed.
    public var createdAt: Date
    /// Ordering key (assigned by the store).
    public var sequence: Int64

    /// A document record.
    public init(id: String, merchantID: String, title: String, original: StoredDocument, sealed: StoredDocument,
                createdAt: Date, sequence: Int64 = 0) {
        self.id = id
        self.merchantID = merchantID
        self.title = title
        self.original = original
        self.sealed = sealed
        self.createdAt = createdAt
        self.sequence = sequence
    }
}
