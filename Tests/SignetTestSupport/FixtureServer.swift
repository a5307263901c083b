public import Foundation

/// A Python server from Tests/Fixtures run for one test: it prints one line (its port or
/// ports) when ready and exits when its stdin closes, so it also ends if the test process
/// dies. Stopped on `stop()` or deinit.
public final class FixtureServer: @unchecked Sendable {
    // Unchecked Sendable: `process` and `input` are only touched by init, stop and deinit,
    // and stop is idempotent.
    private let process = Process()
    private let input = Pipe()
    /// The ports of the first line the server printed (space-separated integers).
    public let ports: [Int]

    /// Starts `script` (a path under Tests/Fixtures) with `arguments` and waits for its
    /// first line, which must hold `expectedPorts` port numbers.
    public init(script: String, arguments: [String] = [], expectedPorts: Int = 1) throws {
        process.executableURL = try ExternalTool.locate("python3")
        process.arguments = [RepositoryPaths.fixtures.appendingPathComponent(script).path] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = input
        try process.run()
        var line: [UInt8] = []
        while let byte = output.fileHandleForReading.readData(ofLength: 1).first, byte != UInt8(ascii: "\n") {
            line.append(byte)
        }
        let ports = String(decoding: line, as: UTF8.self).split(separator: " ").compactMap { Int($0) }
        self.ports = ports
        guard ports.count == expectedPorts else {
            stop()
            throw OracleSetupError(description: "\(script) did not start (it printed \"\(String(decoding: line, as: UTF8.self))\")")
        }
    }

    /// The first port.
    public var port: Int { ports[0] }

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
