import FoundationEssentials
import Synchronization

/// Parsed objects and decoded object streams, shared by all readers of one document.
///
/// The two dictionaries are behind a mutex; the values stored are immutable value types.
/// Parsing happens outside the lock, so two tasks may parse the same object once each; both
/// results are identical.
final class ObjectCache: Sendable {
    /// `asOf` is -1 for objects whose parse does not depend on the revision; otherwise the
    /// revision used. A stream with an indirect `/Length` (or an object stream with indirect
    /// `/Length`, `/Filter` or `/DecodeParms`) can read differently as of different
    /// revisions if a later update redefines that length object; such parses are cached per
    /// revision so a verifier comparing revisions sees each one as it was.
    enum Key: Hashable {
        case file(offset: Int, reference: PDFReference, asOf: Int)
        case compressed(streamOffset: Int, index: Int, number: Int, asOf: Int)
    }

    private let objects = Mutex<[Key: PDFIndirectObject]>([:])
    private let objectStreams = Mutex<[ObjectStreamKey: ObjectStreamContents]>([:])

    func object(_ key: Key) -> PDFIndirectObject? { objects.withLock { $0[key] } }
    func store(_ object: PDFIndirectObject, for key: Key) { objects.withLock { $0[key] = object } }
    struct ObjectStreamKey: Hashable {
        let offset: Int
        let asOf: Int
    }

    func objectStream(_ key: ObjectStreamKey) -> ObjectStreamContents? { objectStreams.withLock { $0[key] } }
    func store(_ contents: ObjectStreamContents, for key: ObjectStreamKey) { objectStreams.withLock { $0[key] = contents } }
}

/// A decoded object stream (§7.5.7): its data, `/First`, and the (number, offset) pairs.
struct ObjectStreamContents: Sendable {
    let reference: PDFReference
    let fileOffset: Int
    let data: [UInt8]
    let first: Int
    let pairs: [(number: Int, offset: Int)]
    let extends: PDFReference?
    /// -1, or the revision this decoding depends on (see `ObjectCache.Key`).
    let asOf: Int
}
