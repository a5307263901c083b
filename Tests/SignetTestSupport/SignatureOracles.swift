public import Foundation

/// One signature as judged by poppler's `pdfsig`.
public struct PDFSigVerdict: Sendable, CustomStringConvertible {
    public let fieldName: String
    /// e.g. "Signature is Valid."
    public let signatureValidation: String
    /// e.g. "Certificate is Trusted."
    public let certificateValidation: String
    /// e.g. "ETSI.CAdES.detached"
    public let signatureType: String
    /// Whether pdfsig says the signature covers the total document.
    public let coversTotalDocument: Bool

    public var isValid: Bool { signatureValidation.hasPrefix("Signature is Valid") }
    public var isTrusted: Bool { certificateValidation.hasPrefix("Certificate is Trusted") }
    public var description: String { "\(fieldName): \(signatureValidation) / \(certificateValidation)" }
}

/// poppler's `pdfsig`, trusting roots only through a private NSS database.
public enum PDFSig {
    /// Runs `pdfsig` on `pdf`, trusting exactly `roots` (PEM files) via a fresh NSS database.
    public static func verify(_ pdf: URL, trusting roots: [URL]) throws -> (verdicts: [PDFSigVerdict], raw: ToolResult) {
        let nss = try TemporaryDirectory("signet-nss")
        let db = "sql:" + nss.url.path
        try checked(ExternalTool.run("certutil", ["-N", "-d", db, "--empty-password"]), "certutil -N")
        for (index, root) in roots.enumerated() {
            try checked(ExternalTool.run("certutil", ["-A", "-d", db, "-n", "root\(index)", "-t", "C,C,C", "-a", "-i", root.path]), "certutil -A")
        }
        let result = try ExternalTool.run("pdfsig", ["-nssdir", db, pdf.path])
        return (parse(result.output), result)
    }

    static func parse(_ output: String) -> [PDFSigVerdict] {
        var verdicts: [PDFSigVerdict] = []
        var field = "", sig = "", cert = "", type = "", total = false, open = false
        func flush() {
            if open { verdicts.append(PDFSigVerdict(fieldName: field, signatureValidation: sig, certificateValidation: cert, signatureType: type, coversTotalDocument: total)) }
        }
        for line in output.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if line.hasPrefix("Signature #") { flush(); field = ""; sig = ""; cert = ""; type = ""; total = false; open = true }
            else if let v = value(line, "- Signature Field Name:") { field = v }
            else if let v = value(line, "- Signature Validation:") { sig = v }
            else if let v = value(line, "- Certificate Validation:") { cert = v }
            else if let v = value(line, "- Signature Type:") { type = v }
            else if line == "- Total document signed" { total = true }
        }
        flush()
        return verdicts
    }

    private static func value(_ line: String, _ prefix: String) -> String? {
        line.hasPrefix(prefix) ? line.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces) : nil
    }
}

/// One signature as judged by `pyhanko sign validate` (its one-line summary form).
public struct PyHankoVerdict: Sendable, CustomStringConvertible {
    public let fieldName: String
    /// Status tokens, e.g. ["INTACT:TRUSTED", "TIMESTAMP_TOKEN<INTACT:TRUSTED>", "UNTOUCHED"].
    public let status: [String]

    public var isIntactAndTrusted: Bool { status.first == "INTACT:TRUSTED" }
    public var description: String { "\(fieldName): \(status.joined(separator: ","))" }
    public func has(_ token: String) -> Bool { status.contains(token) }
}

/// pyHanko's validator, trusting exactly the given roots.
public enum PyHanko {
    /// Runs `pyhanko sign validate --trust ROOT... --trust-replace [extra] FILE`.
    public static func validate(_ pdf: URL, trusting roots: [URL], extraArguments: [String] = []) throws -> (verdicts: [PyHankoVerdict], raw: ToolResult) {
        var args = ["sign", "validate"]
        for root in roots { args += ["--trust", root.path] }
        args += ["--trust-replace"] + extraArguments + [pdf.path]
        let result = try ExternalTool.run("pyhanko", args)
        return (parse(result.output), result)
    }

    public static func parse(_ output: String) -> [PyHankoVerdict] {
        output.split(separator: "\n").compactMap { line in
            // FIELD:SHA256-FINGERPRINT:STATUS,STATUS,...
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, parts[1].count == 64, parts[1].allSatisfy(\.isHexDigit) else { return nil }
            return PyHankoVerdict(fieldName: String(parts[0]), status: splitStatus(String(parts[2])))
        }
    }

    /// Splits on commas that are not inside <...> (TIMESTAMP_TOKEN<INTACT:TRUSTED>).
    private static func splitStatus(_ text: String) -> [String] {
        var tokens: [String] = [], current = "", depth = 0
        for ch in text {
            if ch == "<" { depth += 1 } else if ch == ">" { depth -= 1 }
            if ch == "," && depth == 0 { tokens.append(current); current = "" } else { current.append(ch) }
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }
}

/// `qpdf --check`.
public enum QPDF {
    /// Runs `qpdf --check FILE`; `passed` is exit status 0 (no errors, no warnings).
    public static func check(_ pdf: URL) throws -> (passed: Bool, raw: ToolResult) {
        let result = try ExternalTool.run("qpdf", ["--check", pdf.path])
        return (result.status == 0, result)
    }
}

/// Thrown when a set-up step of an oracle (not the verdict itself) fails.
public struct OracleSetupError: Error, CustomStringConvertible {
    public let description: String
    public init(description: String) { self.description = description }
}

private func checked(_ result: ToolResult, _ what: String) throws {
    if result.status != 0 { throw OracleSetupError(description: "\(what) failed: \(result.combinedOutput)") }
}

/// One approval signature as judged by pyHanko's AdES engine (`ades_lta_validation`, ETSI
/// EN 319 102-1 long-term validation), through `Tests/Fixtures/pyhanko-ades.py`.
public struct PyHankoAdESVerdict: Sendable, Decodable, CustomStringConvertible {
    public let field: String
    /// TOTAL_PASSED, INDETERMINATE or TOTAL_FAILED, as the AdES engine says (it does not
    /// count the modifications: see `modificationsAllowed` and `bottomLine`).
    public let indication: String
    /// The ETSI sub-indication, e.g. OUT_OF_BOUNDS_NO_POE; nil when passed.
    public let subIndication: String?
    /// pyHanko's ModificationLevel: NONE, LTA_UPDATES, FORM_FILLING, ANNOTATIONS, OTHER.
    public let modificationLevel: String?
    /// Whether pyHanko's diff analysis accepts the modifications.
    public let modificationsAllowed: Bool?
    /// pyHanko's overall judgment (signature, trust, modifications, signature timestamp).
    /// Judged at a later time it stays false once the signature timestamp's TSA certificate
    /// expired, whatever the AdES engine proved: `passes` does not use it.
    public let bottomLine: Bool
    /// TOTAL_PASSED when the AdES engine validated the signature timestamp (possibly in the past).
    public let signatureTimestampIndication: String?
    public let bestSignatureTime: String?
    public let oldestEvidenceRecordTimestamp: String?
    public let failure: String?

    /// TOTAL_PASSED, with the modifications after it accepted.
    public var passes: Bool { indication == "TOTAL_PASSED" && modificationsAllowed == true }

    /// Whether the modifications after this signature are at most `level` (pyHanko's order:
    /// NONE < LTA_UPDATES < FORM_FILLING < ANNOTATIONS < OTHER).
    public func modifications(atMost level: String) -> Bool {
        let order = ["NONE", "LTA_UPDATES", "FORM_FILLING", "ANNOTATIONS", "OTHER"]
        guard let mine = modificationLevel.flatMap(order.firstIndex(of:)), let limit = order.firstIndex(of: level) else { return false }
        return mine <= limit
    }

    public var description: String {
        "\(field): \(indication)\(subIndication.map { "/\($0)" } ?? ""), modifications \(modificationLevel ?? "?")"
            + "\(modificationsAllowed == false ? " (not allowed)" : ""), bottom line \(bottomLine)\(failure.map { " — \($0)" } ?? "")"
    }
}

/// pyHanko's AdES engine, offline (validation data from the file only), trusting exactly `roots`.
public enum PyHankoAdES {
    /// Runs `Tests/Fixtures/pyhanko-ades.py FILE --trust ROOT... [--validation-time T]`.
    public static func validate(_ pdf: URL, trusting roots: [URL], at time: Date? = nil) throws -> (verdicts: [PyHankoAdESVerdict], raw: ToolResult) {
        var args = [RepositoryPaths.fixtures.appendingPathComponent("pyhanko-ades.py").path, pdf.path]
        for root in roots { args += ["--trust", root.path] }
        if let time { args += ["--validation-time", ISO8601DateFormatter().string(from: time)] }
        let result = try ExternalTool.run("python", args)
        guard result.status == 0 else { throw OracleSetupError(description: "pyhanko-ades.py failed: \(result.combinedOutput)") }
        let decoder = JSONDecoder()
        let verdicts = try result.output.split(separator: "\n").map { line in
            try decoder.decode(PyHankoAdESVerdict.self, from: Data(line.utf8))
        }
        return (verdicts, result)
    }
}
