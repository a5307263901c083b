public import FoundationEssentials
import SignetCrypto

/// The hash chain of a contract's audit trail.
///
/// An event's hash is SHA-256 over its canonical form: the UTF-8 of each member in a fixed
/// order, each preceded by its byte length in decimal and a colon (`7:ctr_abc`), so no two
/// different events share a form: contract id, sequence, type, actor, occurred-at (Unix
/// milliseconds), ip, user agent (empty when absent), the data's keys and values sorted by
/// key, and the previous event's hash. The first event's previous hash is 64 zeros.
public enum AuditChain {
    /// The previous hash of a trail's first event.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// The SHA-256 (hex) of an event's canonical form.
    public static func hash(of event: AuditEvent) -> String {
        DigestAlgorithm.sha256.hash(canonicalForm(of: event)).hexString
    }

    /// The bytes an event's hash covers.
    public static func canonicalForm(of event: AuditEvent) -> [UInt8] {
        var out: [UInt8] = []
        func put(_ text: String) {
            let bytes = Array(text.utf8)
            out += Array(String(bytes.count).utf8) + [UInt8(ascii: ":")] + bytes
        }
        put(event.contractID)
        put(String(event.sequence))
        put(event.type)
        put(event.actor)
        put(String(milliseconds(event.occurredAt)))
        put(event.ip ?? "")
        put(event.userAgent ?? "")
        put(String(event.data.count))
        for key in event.data.keys.sorted() {
            put(key)
            put(event.data[key] ?? "")
        }
        put(event.previousHash)
        return out
    }

    /// A problem found in a trail.
    public struct Break: Sendable, Hashable, CustomStringConvertible {
        /// The sequence number at which the chain breaks.
        public var sequence: Int
        /// What is wrong there.
        public var reason: String
        /// A plain sentence.
        public var description: String { "audit event \(sequence): \(reason)" }
    }

    /// Checks a contract's trail as stored, in storage order: sequences 1, 2, 3… without a
    /// gap, each event's hash its own, each previous hash the hash of the event before.
    /// Returns the first break, or nil when the chain holds.
    public static func verify(_ events: [AuditEvent], head: AuditChainHead? = nil) -> Break? {
        var previousHash = genesisHash
        for (index, event) in events.enumerated() {
            let expected = index + 1
            if event.sequence != expected {
                return Break(sequence: event.sequence, reason: "expected sequence \(expected) (an event is missing or out of order)")
            }
            if event.previousHash != previousHash {
                return Break(sequence: event.sequence, reason: "previous hash does not match the event before")
            }
            if hash(of: event) != event.hash {
                return Break(sequence: event.sequence, reason: "content does not match its hash (edited)")
            }
            previousHash = event.hash
        }
        if let head, head.count != events.count || head.hash != previousHash {
            return Break(sequence: events.count + 1,
                         reason: "the trail has \(events.count) events ending in \(previousHash.prefix(12))…, the contract records \(head.count) ending in \(head.hash.prefix(12))… (events removed at the end)")
        }
        return nil
    }

    /// Unix milliseconds of a date.
    public static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    /// `date` rounded to the millisecond, as stores keep it.
    public static func millisecondPrecision(_ date: Date) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds(date)) / 1000)
    }
}

/// The newest point of a contract's chain, kept on the contract row by the store in the same
/// transaction as the events.
public struct AuditChainHead: Sendable, Hashable, Codable {
    /// How many events.
    public var count: Int
    /// The newest event's hash (the genesis hash when there is none).
    public var hash: String

    /// A head; the default is an empty chain.
    public init(count: Int = 0, hash: String = AuditChain.genesisHash) {
        self.count = count
        self.hash = hash
    }
}
