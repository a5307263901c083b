import ArgumentParser
import FoundationEssentials

/// Prints a command's report as JSON on standard output (pretty, sorted keys, unescaped
/// slashes); exit status 70 (EX_SOFTWARE) when it cannot be encoded.
func printJSONReport(_ report: some Encodable, command: String) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    do {
        print(String(decoding: try encoder.encode(report), as: UTF8.self))
    } catch {
        printError("signet \(command): cannot write the JSON report: \(error)")
        throw ExitCode(70)  // EX_SOFTWARE
    }
}
