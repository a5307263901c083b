import FoundationEssentials

/// Reads a whole input file, with a message naming the file when it cannot be read.
func readFile(_ path: String) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw CLIError("\(path): cannot read the file (missing or not readable)")
    }
    return [UInt8](data)
}
