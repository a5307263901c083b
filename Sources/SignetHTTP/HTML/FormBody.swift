import FoundationEssentials
public import Hummingbird
import HTTPTypes

/// `application/x-www-form-urlencoded` bodies of the pages' forms (small: 16 kB at most).
public enum FormBody {
    /// The largest form body read.
    public static let limit = 16 * 1024

    /// The body's fields (the last value of a repeated name wins); empty for another
    /// content type or a body past the limit.
    public static func fields(_ request: Request) async -> [String: String] {
        guard let type = request.headers[.contentType], type.lowercased().hasPrefix("application/x-www-form-urlencoded"),
              let buffer = try? await request.body.collect(upTo: limit) else { return [:] }
        return parse(String(decoding: buffer.readableBytesView, as: UTF8.self))
    }

    /// Parses `a=1&b=x+y` (plus is a space, percent-escapes decoded; malformed escapes kept).
    public static func parse(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decode(parts[0])
            guard !name.isEmpty else { continue }
            fields[name] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }

    /// `+` is a space, `%XX` a byte; the bytes are read as UTF-8 (invalid sequences repaired).
    static func decode(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == 0x2B {
                bytes.append(0x20)
            } else if byte == 0x25, utf8.count >= 2, let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
