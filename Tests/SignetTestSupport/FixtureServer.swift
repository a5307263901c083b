import Foundation

/// A server script from Tests/Fixtures run with python3, which prints one line when it
/// listens (its port or ports) and exits when its standard input closes: here on `stop()`
/// or deinit, or by the OS if the test process dies.
public final class FixtureServer: @unchecked Sendable {
    // Unchecked: `process` and `input` are only touched by init, stop and deinit, and stop
    // is idempotent.
    private let process = Process()
    private let input = Pipe()
    /// The first line the server printed, without its line break.
    public let firstLine: String

    /// Starts `Tests/Fixtures/<script>` with `arguments` and waits for its first line.
    public init(script: String, arguments: [String] = []) throws {
        process.executableURL = try ExternalTool.locate("python3")
        process.arguments = [RepositoryPaths.fixtures.appendingPathComponent(script).path] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = input
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line: [UInt8] = []
        while true {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            guard let first = byte.first, first != UInt8(ascii: "\n") else { break }
            line.append(first)
        }
        firstLine = String(decoding: line, as: UTF8.self)
    }

    /// The integers of the first line (the ports), or a setup error when there are not `count`.
    public func ports(_ count: Int) throws -> [Int] {
        let ports = firstLine.split(separator: " ").compactMap { Int($0) }
        guard ports.count == count else {
            stop()
            throw OracleSetupError(description: "the test server \(process.arguments?.first ?? "") did not start")
        }
        return ports
    }

    /// Stops the server: closing stdin makes it exit; SIGKILL if it has not within a second.
    public func stop() {
        guard process.isRunning else { return }
        try? input.fileHandleForWriting.close()
        for _ in 0..<100 where process.isRunning { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { stop() }
}
