public import Foundation

/// The outcome of running an external program to completion.
public struct ToolResult: Sendable {
    public let status: Int32
    public let stdout: Data
    public let stderr: Data

    public var output: String { String(decoding: stdout, as: UTF8.self) }
    public var errorOutput: String { String(decoding: stderr, as: UTF8.self) }
    /// stdout followed by stderr, for assertions on tools that mix them (pdfsig, pyHanko).
    public var combinedOutput: String { output + errorOutput }
}

/// Errors raised when an oracle cannot be run at all (as opposed to running and failing).
public enum ExternalToolError: Error, CustomStringConvertible {
    case notFound(String, searched: [String])

    public var description: String {
        switch self {
        case .notFound(let name, let searched):
            return "\(name) not found (searched \(searched.joined(separator: ", "))); run `make test`, which installs the test oracles"
        }
    }
}

/// Runs third-party programs (qpdf, pdfsig, openssl, pyhanko, ...) for real.
///
/// Tests must never skip silently when an oracle is missing: `locate` throws, which fails
/// the test with a message that says how to install it.
public enum ExternalTool {
    /// Finds `name` on PATH, in the repository's `.venv/bin`, or in `/usr/sbin`/`/usr/bin`.
    public static func locate(_ name: String) throws -> URL {
        var dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        dirs.insert(RepositoryPaths.root.appendingPathComponent(".venv/bin").path, at: 0)
        dirs += ["/usr/bin", "/usr/sbin", "/usr/local/bin"]
        for dir in dirs where !dir.isEmpty {
            let candidate = URL(fileURLWithPath: dir).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw ExternalToolError.notFound(name, searched: dirs)
    }

    /// Runs `name` with `arguments`, feeding `input` on stdin, and waits for it to finish.
    @discardableResult
    public static func run(
        _ name: String,
        _ arguments: [String],
        input: Data? = nil,
        environment: [String: String] = [:],
        currentDirectory: URL? = nil
    ) throws -> ToolResult {
        let process = Process()
        process.executableURL = name.contains("/") ? URL(fileURLWithPath: name) : try locate(name)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let outPipe = Pipe(), errPipe = Pipe(), inPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = inPipe
        try process.run()
        // Drain both pipes concurrently so a chatty tool cannot block on a full pipe.
        let errBox = DataBox()
        let errThread = Thread { errBox.data = errPipe.fileHandleForReading.readDataToEndOfFile() }
        errThread.start()
        if let input { inPipe.fileHandleForWriting.write(input) }
        try? inPipe.fileHandleForWriting.close()
        let out = outPipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errBox.done { usleep(1000) }
        return ToolResult(status: process.terminationStatus, stdout: out, stderr: errBox.data)
    }
}

/// Holds the stderr bytes read by the draining thread; set exactly once before `done`.
private final class DataBox: @unchecked Sendable {
    // Unchecked: written by one thread, then read by another only after `done` flips.
    private let lock = NSLock()
    private var _data = Data()
    private var _done = false
    var data: Data {
        get { lock.withLock { _data } }
        set { lock.withLock { _data = newValue; _done = true } }
    }
    var done: Bool { lock.withLock { _done } }
}
