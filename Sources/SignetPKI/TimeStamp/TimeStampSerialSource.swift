/// Where a TSA's serial numbers come from: the `tsa.serial` counter file
/// (`TimeStampSerialCounter`, one host) or the service's database (every instance sharing
/// it). Serials are handed out in blocks; a block is never handed out twice, to this
/// process or another, and later blocks lie above earlier ones. Gaps are allowed (RFC 3161
/// asks for unique serials, not consecutive ones).
public protocol TimeStampSerialSource: Sendable {
    /// Reserves `count` (≥ 1) consecutive serials nobody sharing the source got before.
    func reserve(_ count: Int) async throws -> ClosedRange<UInt64>
    /// Makes every later reservation lie above `serial` (nothing when they already do): a
    /// switch from another counter (e.g. the key directory's `tsa.serial` file) never
    /// reuses one of its serials.
    func advance(past serial: UInt64) async throws
}

/// Hands out serials one by one from blocks of `blockSize` reserved at the source: one
/// reservation (a counter write, a database round trip) per block instead of per token.
/// Concurrent callers share one pending reservation.
actor TimeStampSerialBlock {
    private let source: any TimeStampSerialSource
    private let blockSize: Int
    private var nextSerial: UInt64 = 1
    private var lastSerial: UInt64 = 0  // empty while nextSerial > lastSerial
    private var pending: Task<ClosedRange<UInt64>, any Error>?

    init(source: any TimeStampSerialSource, blockSize: Int) {
        self.source = source
        self.blockSize = max(1, blockSize)
    }

    /// The next serial of the current block, reserving a new block when it is used up.
    func next() async throws -> UInt64 {
        while true {
            if nextSerial <= lastSerial {
                let serial = nextSerial
                nextSerial += 1
                return serial
            }
            let task: Task<ClosedRange<UInt64>, any Error>
            if let pending {
                task = pending
            } else {
                let source = source
                let count = blockSize
                task = Task { try await source.reserve(count) }
                pending = task
            }
            do {
                let block = try await task.value
                // The first caller back installs the block; the others find it installed.
                if pending == task {
                    pending = nil
                    nextSerial = block.lowerBound
                    lastSerial = block.upperBound
                }
            } catch {
                if pending == task { pending = nil }
                throw error
            }
        }
    }
}
