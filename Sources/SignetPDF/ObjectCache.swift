import Foundation

/// Parsed objects and decoded object streams, shared by all readers of one document.
///
/// `@unchecked Sendable`: every access to the two dictionaries goes through `lock`; the
/// values stored are immutable value types. Parsing happens outside the lock, so two tasks
/// may parse the same object once each; both results are identical.
final class ObjectCache: @unchecked Sendable {
    enum Key: Hashable {
        case file(offset: Int, reference: PDFReference)
        case compressed(streamOffset: Int, index: Int, number: Int)
    }

    private let lock = NSLock()
    private var objects: [Key: PDFIndirectObject] = [:]
    private var objectStreams: [Int: ObjectStreamContents] = [:]

    func object(_ key: Key) -> PDFIndirectObject? { lock.withLock { objects[key] } }
    func store(_ object: PDFIndirectObject, for key: Key) { lock.withLock { objects[key] = object } }
    func objectStream(at offset: Int) -> ObjectStreamContents? { lock.withLock { objectStreams[offset] } }
    func store(_ contents: ObjectStreamContents, at offset: Int) { lock.withLock { objectStreams[offset] = contents } }
}

/// A decoded object stream (§7.5.7): its data, `/First`, and the (number, offset) pairs.
struct ObjectStreamContents: Sendable {
    let reference: PDFReference
    let fileOffset: Int
    let data: [UInt8]
    let first: Int
    let pairs: [(number: Int, offset: Int)]
    let extends: PDFReference?
}
