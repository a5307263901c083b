import FoundationEssentials
import Glibc
public import Logging
import SignetCrypto
import Synchronization

/// A swift-log `LogHandler` writing one JSON object per line: `time` (UTC, milliseconds),
/// `level`, `label`, `message`, and the metadata as top-level members (a key that collides
/// with one of those four is written as `meta.<key>`). Hummingbird's `hb.request.id` metadata
/// is written as `request_id`: `RequestIDMiddleware` stores Signet's request id there.
///
/// What goes into a log line is what the code logs: Signet logs routes, statuses, durations
/// and ids, never keys, tokens, codes or field values.
public struct JSONLogHandler: LogHandler {
    /// Receives each line, without its line break.
    public typealias Sink = @Sendable (String) -> Void

    /// The logger's label.
    public let label: String
    /// The handler's own metadata.
    public var metadata: Logger.Metadata = [:]
    /// The lowest level written.
    public var logLevel: Logger.Level
    /// Contextual metadata added to every line.
    public var metadataProvider: Logger.MetadataProvider?
    private let sink: Sink

    /// A handler for `label` writing its lines to `sink`, from `logLevel` up.
    public init(label: String, logLevel: Logger.Level = .info, metadataProvider: Logger.MetadataProvider? = nil, sink: @escaping Sink) {
        self.label = label
        self.logLevel = logLevel
        self.metadataProvider = metadataProvider
        self.sink = sink
    }

    /// A handler writing to standard error, each line in one `write` (so lines of
    /// concurrent requests never interleave), unbuffered.
    public static func standardError(label: String, logLevel: Logger.Level = .info) -> JSONLogHandler {
        JSONLogHandler(label: label, logLevel: logLevel) { line in
            let bytes = Array((line + "\n").utf8)
            streamLock.withLock { _ in
                var written = 0
                while written < bytes.count {
                    let result = bytes[written...].withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
                    if result < 0 && errno == EINTR { continue }
                    guard result > 0 else { return }
                    written += result
                }
            }
        }
    }

    private static let streamLock = Mutex(())

    /// The handler's metadata value for `key`.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes the event as one JSON line.
    public func log(event: LogEvent) {
        var merged = metadataProvider?.get() ?? [:]
        merged.merge(metadata) { $1 }
        if let eventMetadata = event.metadata { merged.merge(eventMetadata) { $1 } }
        if let error = event.error { merged["error"] = .string("\(error)") }
        var object: [String: JSONLogValue] = [
            "time": .string(TimeText.iso8601(Date(), milliseconds: true)),
            "level": .string(event.level.rawValue),
            "label": .string(label),
            "message": .string("\(event.message)"),
        ]
        for (key, value) in merged {
            let name = key == "hb.request.id" ? "request_id" : key
            object[object[name] == nil ? name : "meta.\(name)"] = JSONLogValue(value)
        }
        sink(JSONLogValue.object(object).text)
    }
}

/// Log metadata as JSON: strings, numbers written by `stringConvertible` numeric values,
/// arrays and objects.
enum JSONLogValue {
    case string(String)
    case number(String)
    case array([JSONLogValue])
    case object([String: JSONLogValue])

    init(_ value: Logger.Metadata.Value) {
        switch value {
        case .string(let text): self = .string(text)
        case .stringConvertible(let convertible):
            // Integers and finite doubles stay numbers; anything else is its description.
            let text = convertible.description
            switch convertible {
            case is any BinaryInteger: self = .number(text)
            case let double as Double where double.isFinite: self = .number(text)
            default: self = .string(text)
            }
        case .array(let values): self = .array(values.map(JSONLogValue.init))
        case .dictionary(let values): self = .object(values.mapValues(JSONLogValue.init))
        }
    }

    /// The compact JSON text, object keys sorted.
    var text: String {
        switch self {
        case .string(let value): Self.quoted(value)
        case .number(let value): value
        case .array(let values): "[" + values.map(\.text).joined(separator: ",") + "]"
        case .object(let members):
            "{" + members.sorted { $0.key < $1.key }.map { Self.quoted($0.key) + ":" + $0.value.text }.joined(separator: ",") + "}"
        }
    }

    private static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
