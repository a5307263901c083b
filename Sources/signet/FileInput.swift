import FoundationEssentials
import Glibc

/// Reads a whole input file, with a message naming the file when it cannot be read.
func readFile(_ path: String) throws -> [UInt8] {
    do {
        return try readFileBytes(path)
    } catch {
        throw CLIError("\(path): cannot read the file (\(error))")
    }
}

/// The whole file at `path`.
func readFileBytes(_ path: String) throws(ReadError) -> [UInt8] {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw .cannotOpen }
    defer { close(descriptor) }
    // Straight into the array's storage: the size fstat gives, plus one byte to see the
    // end; a file that grows meanwhile is read on in larger steps.
    var status = stat()
    var capacity = (fstat(descriptor, &status) == 0 ? max(0, Int(status.st_size)) : 0) + 1
    var result: [UInt8] = []
    while true {
        var failure: Int32 = 0
        let chunk = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
            while count < buffer.count {
                let read = Glibc.read(descriptor, buffer.baseAddress! + count, buffer.count - count)
                if read > 0 {
                    count += read
                } else if read < 0 && errno == EINTR {
                    continue
                } else {
                    if read < 0 { failure = errno }
                    return
                }
            }
        }
        if failure != 0 { throw .readFailed(String(cString: strerror(failure))) }
        if result.isEmpty { result = chunk } else { result += chunk }
        if chunk.count < capacity { return result }
        capacity = max(capacity, 1 << 20)
    }
}

/// Why an input file could not be read.
enum ReadError: Error, CustomStringConvertible {
    case cannotOpen
    /// The file opened but reading failed (e.g. it is a directory), with the system's reason.
    case readFailed(String)

    var description: String {
        switch self {
        case .cannotOpen: "no such file, or it cannot be opened"
        case .readFailed(let reason): reason
        }
    }
}
