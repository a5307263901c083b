import COpenSSL

/// An error reported by OpenSSL, with the entries of its thread-local error queue.
public struct OpenSSLError: Error, Sendable, CustomStringConvertible {
    /// What Signet was doing when OpenSSL failed (e.g. "EVP_DigestInit_ex").
    public let operation: String
    /// OpenSSL's own messages, oldest first (library:reason strings).
    public let details: [String]

    /// A stable, machine-readable code, `openssl.failed` (docs/error-codes.md): OpenSSL's own
    /// reasons are in `details`, for people.
    public var code: String { "openssl.failed" }

    /// The operation and OpenSSL's error queue.
    public var description: String {
        details.isEmpty ? "OpenSSL: \(operation) failed"
            : "OpenSSL: \(operation) failed: \(details.joined(separator: "; "))"
    }

    /// Drains OpenSSL's error queue into an error for `operation`.
    static func drain(_ operation: String) -> OpenSSLError {
        var details: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            details.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return OpenSSLError(operation: operation, details: details)
    }

    /// Empties the error queue before an operation whose failure is inspected afterwards.
    static func clearQueue() { ERR_clear_error() }
}

/// Throws `OpenSSLError` unless `result` is 1 (OpenSSL's usual success value).
@inline(__always)
func check(_ result: Int32, _ operation: @autoclosure () -> String) throws {
    if result != 1 { throw OpenSSLError.drain(operation()) }
}

/// Unwraps a pointer returned by OpenSSL, or throws its error queue.
@inline(__always)
func checkNotNull<T>(_ pointer: T?, _ operation: @autoclosure () -> String) throws -> T {
    guard let pointer else { throw OpenSSLError.drain(operation()) }
    return pointer
}
