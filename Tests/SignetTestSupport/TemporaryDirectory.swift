public import Foundation

/// A fresh directory under the system temp dir, removed when the value is deinitialized.
public final class TemporaryDirectory: Sendable {
    public let url: URL

    public init(_ prefix: String = "signet-test") throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// A path inside the directory.
    public func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    deinit { try? FileManager.default.removeItem(at: url) }
}
