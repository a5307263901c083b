import ArgumentParser
import FoundationEssentials
import Glibc
import SignetCrypto
import SignetPAdES

/// What `signet verify` was asked to do, independent of how the command line was parsed,
/// and the run itself.
struct VerifyRequest: Equatable {
    var file: String
    var trust: [String] = []
    var format: VerifyCommand.Format = .text
    var at: String?
    var noRevocationCheck = false
    var systemTrust = false
    var repeatCount = 1

    /// Validates the file and prints the report. Returns the exit status
    /// (docs/verify-report.md); throws only for usage problems, before any output.
    func run() throws(ValidationError) -> Int32 {
        var anchors: [Certificate] = []
        for path in trust {
            do {
                anchors += try Certificate.loadAll(contentsOfFile: path)
            } catch {
                throw ValidationError("cannot read the trust anchor \(path): \(error)")
            }
        }
        if systemTrust {
            do { anchors += try SystemTrustStore.load() } catch { throw ValidationError("\(error)") }
        }
        var time = ValidationTimeSetting.current
        if let at {
            guard let setting = ValidationTimeSetting(parsing: at) else {
                throw ValidationError("--at must be an ISO 8601 time such as 2030-01-01T00:00:00Z, or 'claimed'")
            }
            time = setting
        }
        let bytes: [UInt8]
        do {
            bytes = try Self.read(file)
        } catch {
            printError("signet verify: cannot read \(file): \(error)")
            return ValidationReport.Outcome.unreadable.exitStatus
        }
        let options = ValidationOptions(trustAnchors: anchors, validationTime: time, requireRevocationData: !noRevocationCheck)
        let validator = PDFSignatureValidator(options: options)
        let name = file.split(separator: "/").last.map(String.init) ?? file
        if repeatCount > 1 {
            let clock = ContinuousClock()
            let elapsed = clock.measure { for _ in 0..<repeatCount { _ = validator.validate(pdf: bytes, fileName: name) } }
            let mean = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            printError("validate: \(repeatCount) runs, \(decimal(mean / Double(repeatCount), places: 3)) ms per run")
        }
        let report = validator.validate(pdf: bytes, fileName: name)
        switch format {
        case .text: print(ValidationReportFormatter.text(report), terminator: "")
        case .json:
            do {
                print(try ValidationReportFormatter.json(report), terminator: "")
            } catch {
                printError("signet verify: cannot write the JSON report: \(error)")
                return 70  // EX_SOFTWARE
            }
        }
        return report.exitStatus
    }

    /// The whole file.
    static func read(_ path: String) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ReadError.cannotOpen }
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
            if failure != 0 { throw ReadError.readFailed(String(cString: strerror(failure))) }
            if result.isEmpty { result = chunk } else { result += chunk }
            if chunk.count < capacity { return result }
            capacity = max(capacity, 1 << 20)
        }
    }
}

/// Why the input file could not be read.
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

extension VerifyRequest {
    /// Reads the common forms of `verify FILE [--trust F]... [--format text|json] [--at T]
    /// [--no-revocation-check] [--system-trust]` without ArgumentParser, or returns nil for
    /// anything else (help, unknown or repeated options, a value that looks like an option,
    /// a second file), which then goes to ArgumentParser for parsing or a precise error.
    ///
    /// Why: building ArgumentParser's command tree costs ≈ 3 ms of Swift runtime
    /// reflection per process, as much as validating a contract; legal staff and scripts run
    /// one process per PDF. `VerifyRequestParsingTests` checks that every command line
    /// accepted here means the same to ArgumentParser.
    init?(fastParsing arguments: some Collection<String>) {
        guard arguments.first == "verify" else { return nil }
        var file: String?
        var request = VerifyRequest(file: "")
        var seen: Set<String> = []
        var rest = arguments.dropFirst()[...]
        while let argument = rest.popFirst() {
            guard argument.hasPrefix("-") else {
                guard file == nil else { return nil }
                file = argument
                continue
            }
            var name = argument
            var inlineValue: String?
            if let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            func value() -> String? {
                if let inlineValue { return inlineValue }
                guard let next = rest.popFirst(), !next.hasPrefix("-") else { return nil }
                return next
            }
            guard name == "--trust" || seen.insert(name).inserted else { return nil }
            switch name {
            case "--trust":
                guard let path = value() else { return nil }
                request.trust.append(path)
            case "--format":
                guard let text = value(), let format = VerifyCommand.Format(rawValue: text) else { return nil }
                request.format = format
            case "--at":
                guard let text = value() else { return nil }
                request.at = text
            case "--no-revocation-check" where inlineValue == nil:
                request.noRevocationCheck = true
            case "--system-trust" where inlineValue == nil:
                request.systemTrust = true
            default:
                return nil
            }
        }
        guard let file else { return nil }
        request.file = file
        self = request
    }
}
