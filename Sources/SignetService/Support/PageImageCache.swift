import Synchronization

/// The page images the service has drawn, in memory, bounded in bytes: least recently used
/// documents go first. One entry holds every page of one document at one scale (a signer's
/// review page asks for all of them at once), keyed by the document's SHA-256, so an entry
/// can never show another document than the one named. Concurrent requests for a document
/// that is being drawn wait for that drawing instead of starting their own.
///
/// Owned by a `SignetService` (not process-wide); lost on restart, when the images are drawn
/// again from the contract.
final class PageImageCache: Sendable {
    /// A document at a scale.
    struct Key: Hashable, Sendable {
        /// SHA-256 of the PDF the images show.
        let sha256: String
        /// Pixels per point.
        let scale: Int
    }

    private struct Entry {
        let pages: [[UInt8]]
        let bytes: Int
        var lastUse: UInt64
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var bytes = 0
        var clock: UInt64 = 0
        var drawing: [Key: Task<[[UInt8]], any Error>] = [:]
    }

    /// The most bytes of PNG held.
    let capacity: Int
    private let state = Mutex(State())

    /// A cache holding at most `capacity` bytes of images.
    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Bytes of PNG held now.
    var bytes: Int { state.withLock { $0.bytes } }

    /// The pages of `key`: from the cache, from a drawing in progress, or drawn now by `draw`
    /// (and kept, unless larger than the whole cache). A failed drawing is not kept.
    func pages(_ key: Key, draw: @escaping @Sendable () async throws -> [[UInt8]]) async throws -> [[UInt8]] {
        let found: Result<[[UInt8]], Never>? = state.withLock { state in
            guard var entry = state.entries[key] else { return nil }
            state.clock += 1
            entry.lastUse = state.clock
            state.entries[key] = entry
            return .success(entry.pages)
        }
        if case .success(let pages) = found { return pages }
        let task: Task<[[UInt8]], any Error> = state.withLock { current in
            if let entry = current.entries[key] { let pages = entry.pages; return Task { pages } }
            if let running = current.drawing[key] { return running }
            let started = Task { [self] in
                defer { state.withLock { _ = $0.drawing.removeValue(forKey: key) } }
                let pages = try await draw()
                keep(pages, under: key)
                return pages
            }
            current.drawing[key] = started
            return started
        }
        return try await task.value
    }

    private func keep(_ pages: [[UInt8]], under key: Key) {
        let size = pages.reduce(0) { $0 + $1.count }
        guard size <= capacity else { return }
        state.withLock { state in
            if let old = state.entries.removeValue(forKey: key) { state.bytes -= old.bytes }
            while state.bytes + size > capacity, let oldest = state.entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
                state.entries.removeValue(forKey: oldest.key)
                state.bytes -= oldest.value.bytes
            }
            state.clock += 1
            state.entries[key] = Entry(pages: pages, bytes: size, lastUse: state.clock)
            state.bytes += size
        }
    }
}
