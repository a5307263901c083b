public import FoundationEssentials
import SignetCrypto

/// Standard Webhooks (standardwebhooks.com) signing: `webhook-signature` is `v1,` and the
/// base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` under the secret's key,
/// one such signature per valid secret (space separated) while a rotation keeps the previous
/// secret alive. Secrets are `whsec_` and the base64 of 32 random bytes.
public enum StandardWebhooks {
    /// A new secret: `whsec_` + base64 of 32 bytes from the CSPRNG.
    public static func makeSecret() -> String {
        "whsec_" + Data(SecureRandom.bytes(32)).base64EncodedString()
    }

    /// The HMAC key of a secret (the base64 after `whsec_`); nil when it is not one.
    public static func key(of secret: String) -> [UInt8]? {
        guard secret.hasPrefix("whsec_"), let data = Data(base64Encoded: String(secret.dropFirst(6))), !data.isEmpty else { return nil }
        return Array(data)
    }

    /// `v1,<base64>` for one secret.
    public static func signature(id: String, timestamp: Int, body: [UInt8], secret: String) throws -> String {
        guard let key = key(of: secret) else { throw ServiceError.internalFailure("a webhook secret is malformed") }
        let mac = try HMACSHA256.authenticationCode(Array("\(id).\(timestamp).".utf8) + body, key: key)
        return "v1," + Data(mac).base64EncodedString()
    }

    /// The three headers of a delivery of `body` as event `id` at `time`, signed with each of
    /// `secrets`, plus the JSON content type.
    public static func headers(id: String, time: Date, body: [UInt8], secrets: [String]) throws -> [(name: String, value: String)] {
        let timestamp = Int(time.timeIntervalSince1970.rounded(.down))
        let signatures = try secrets.map { try signature(id: id, timestamp: timestamp, body: body, secret: $0) }
        return [("Content-Type", "application/json"), ("webhook-id", id), ("webhook-timestamp", String(timestamp)),
                ("webhook-signature", signatures.joined(separator: " "))]
    }
}

/// An endpoint's signing secrets: the current one, and during a rotation the previous one
/// with the time it stops being used (rotation + 24 h). Stored sealed (`WebhookEndpoint`).
public struct WebhookSecrets: Sendable, Hashable, Codable {
    /// The secret new signatures always use.
    public var current: String
    /// The secret being replaced.
    public var previous: String?
    /// When `previous` stops signing.
    public var previousValidUntil: Date?

    /// Secrets with every member given.
    public init(current: String, previous: String? = nil, previousValidUntil: Date? = nil) {
        self.current = current
        self.previous = previous
        self.previousValidUntil = previousValidUntil
    }

    /// How long the previous secret keeps signing after a rotation.
    public static let rotationOverlap: TimeInterval = 24 * 3600

    /// The secrets that sign at `date`: the current one, and the previous while valid.
    public func signing(at date: Date) -> [String] {
        if let previous, let until = previousValidUntil, date < until { return [current, previous] }
        return [current]
    }

    /// After a rotation at `date` to `newSecret`: the current secret becomes the previous one.
    public func rotated(to newSecret: String, at date: Date) -> WebhookSecrets {
        WebhookSecrets(current: newSecret, previous: current, previousValidUntil: date.addingTimeInterval(Self.rotationOverlap))
    }

    /// Sealed under `key` for `endpointID`.
    func sealed(key: [UInt8], endpointID: String) throws -> [UInt8] {
        try AESGCM.seal(try JSONEncoder().encode(self).map { $0 }, key: key, associatedData: Array("webhook-secrets\u{0}\(endpointID)".utf8))
    }

    /// The secrets of an endpoint's sealed box.
    static func open(_ box: [UInt8], key: [UInt8], endpointID: String) throws -> WebhookSecrets {
        do {
            let plain = try AESGCM.open(box, key: key, associatedData: Array("webhook-secrets\u{0}\(endpointID)".utf8))
            return try JSONDecoder().decode(WebhookSecrets.self, from: Data(plain))
        } catch {
            throw ServiceError.internalFailure("a webhook endpoint's secrets do not open (was the sealing key replaced?)")
        }
    }
}

/// When a failed delivery is tried again: DESIGN.md's schedule (immediately, then 5 s, 5 min,
/// 30 min, 2 h, 5 h, 10 h, 14 h, 20 h and 24 h after each failure), each delay stretched or
/// shrunk by up to `jitter` (a fraction) so endpoints are not hit in lockstep, and never
/// earlier than the endpoint's `Retry-After`.
public struct WebhookRetrySchedule: Sendable, Hashable {
    /// The delays after the 1st, 2nd, … failed attempt; attempts stop after `delays.count + 1`.
    public var delays: [TimeInterval]
    /// 0.1: ±10 %.
    public var jitter: Double
    /// The longest `Retry-After` honoured (a day).
    public var maximumRetryAfter: TimeInterval

    /// DESIGN.md's schedule.
    public static let standard = WebhookRetrySchedule(delays: [5, 300, 1800, 7200, 18_000, 36_000, 50_400, 72_000, 86_400])

    /// A schedule.
    public init(delays: [TimeInterval], jitter: Double = 0.1, maximumRetryAfter: TimeInterval = 86_400) {
        self.delays = delays
        self.jitter = max(0, min(jitter, 0.5))
        self.maximumRetryAfter = maximumRetryAfter
    }

    /// How many attempts a delivery gets.
    public var maximumAttempts: Int { delays.count + 1 }

    /// The wait after the `attempts`-th failed attempt, or nil when no attempt is left;
    /// `retryAfter` (seconds the endpoint asked for) lengthens it, up to `maximumRetryAfter`.
    public func delay(afterAttempts attempts: Int, retryAfter: TimeInterval? = nil,
                      random: Double = Double.random(in: -1...1)) -> TimeInterval? {
        guard attempts >= 1, attempts <= delays.count else { return nil }
        let base = delays[attempts - 1]
        let jittered = base * (1 + jitter * max(-1, min(random, 1)))
        guard let retryAfter else { return jittered }
        return max(jittered, min(max(0, retryAfter), maximumRetryAfter))
    }

    /// The seconds of a `Retry-After` header: delta-seconds or an HTTP date (RFC 9110),
    /// relative to `now`; nil when absent or unreadable.
    public static func retryAfter(_ header: String?, now: Date) -> TimeInterval? {
        guard let header = header?.trimmingWhitespace(), !header.isEmpty else { return nil }
        if let seconds = Int(header), seconds >= 0 { return TimeInterval(seconds) }
        guard let date = HTTPDate.parse(header) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }
}

/// RFC 9110 IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the form `Retry-After` dates take.
enum HTTPDate {
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func parse(_ text: String) -> Date? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT", let day = Int(parts[1]),
              let month = months.firstIndex(of: String(parts[2])), let year = Int(parts[3]) else { return nil }
        let time = parts[4].split(separator: ":").compactMap { Int($0) }
        guard time.count == 3 else { return nil }
        let iso = "\(year)-\(pad(month + 1))-\(pad(day))T\(pad(time[0])):\(pad(time[1])):\(pad(time[2]))Z"
        return TimeText.parse(iso)
    }

    private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
}
