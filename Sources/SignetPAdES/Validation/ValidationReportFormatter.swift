public import FoundationEssentials
import SignetCrypto

/// Renders a `ValidationReport` for people (`text`) and for programs (`json`, the
/// versioned schema of docs/verify-report.md).
public enum ValidationReportFormatter {
    /// The report as pretty-printed JSON with sorted keys and ISO 8601 UTC times.
    public static func json(_ report: ValidationReport) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(TimeText.iso8601(date, milliseconds: true))
        }
        return String(decoding: try encoder.encode(report), as: UTF8.self) + "\n"
    }

    /// Decodes a report written by `json(_:)`.
    public static func decode(json: Data) throws -> ValidationReport {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = TimeText.parse(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an ISO 8601 time: \(text)"))
            }
            return date
        }
        return try decoder.decode(ValidationReport.self, from: json)
    }

    /// The report in plain words, for a reader who is not a PDF or PKI specialist.
    public static func text(_ report: ValidationReport) -> String {
        var out = TextBuilder()
        out.line("Signature verification report")
        out.line(String(repeating: "=", count: 29))
        let file = report.file
        var fileLine = "File:          \(file.name ?? "(unnamed)"), \(file.size) bytes"
        if let version = file.pdfVersion { fileLine += ", PDF \(version)" }
        if let revisions = file.revisions { fileLine += ", \(revisions) revision\(revisions == 1 ? "" : "s")" }
        out.line(fileLine)
        out.line("SHA-256:       \(file.sha256)")
        let mode = switch report.policy.validationTimeMode {
        case "fixed": "a fixed time given by the user"
        case "claimed": "each signature at the signing time it claims"
        default: "the current time"
        }
        out.line("Checked at:    \(TimeText.sentence(report.validationTime)) (\(mode))")
        if report.policy.trustAnchors.isEmpty {
            out.line("Trusted roots: none given (no signature can be fully trusted)")
        } else {
            for (index, anchor) in report.policy.trustAnchors.enumerated() {
                out.line("\(index == 0 ? "Trusted roots: " : "               ")\(anchor.subject)")
            }
        }
        out.line("Revocation:    \(report.policy.revocationDataRequired ? "embedded CRL/OCSP data required" : "not required (--no-revocation-check)")")
        if !file.structureReadable {
            out.line("Structure:     UNREADABLE: \(file.structureProblem ?? "?")")
        }
        if let damage = file.damage {
            out.line("Damage:        DAMAGED FILE: \(damage)")
        }
        out.blank()
        out.line("RESULT: \(headline(report))")
        out.line(report.summary)
        for signature in report.signatures {
            out.blank()
            section(signature, count: report.signatures.count, into: &out)
        }
        if !file.anomalies.isEmpty {
            out.blank()
            out.line("File structure notes:")
            for anomaly in file.anomalies.prefix(20) { out.line("  - \(anomaly)") }
            if file.anomalies.count > 20 { out.line("  - (\(file.anomalies.count - 20) more)") }
        }
        return out.text
    }

    /// The outcome in capitals, then the verdict in ETSI terms.
    private static func headline(_ report: ValidationReport) -> String {
        let verdict = report.indication.rawValue + (report.subIndication.map { " / \($0.rawValue)" } ?? "")
        return switch report.outcome {
        case .passed: "PASSED (\(verdict))"
        case .failed: "FAILED (\(verdict))"
        case .indeterminate: "INDETERMINATE (\(verdict))"
        case .noSignature: "NO SIGNATURE, NOT VALID (\(verdict))"
        case .unreadable: "UNREADABLE, NOT VALID (\(verdict))"
        }
    }

    private static func section(_ s: SignatureValidationResult, count: Int, into out: inout TextBuilder) {
        let what = s.kind == .documentTimestamp ? "Document timestamp" : (s.certification != nil ? "Certification signature" : "Signature")
        var title = "\(what) \(s.index) of \(count)"
        if let field = s.fieldName { title += ", field \"\(field)\"" }
        title += ": \(s.indication.rawValue)\(s.subIndication.map { " / \($0.rawValue)" } ?? "")"
        out.line(title)
        out.line(String(repeating: "-", count: min(title.count, 78)))
        if let signer = s.signer {
            out.field(s.kind == .documentTimestamp ? "Time-stamped by" : "Signed by", signer.displayName)
            if let organization = signer.organization { out.field("Organization", organization) }
            if let identifier = signer.organizationIdentifier { out.field("Organization ID", "\(identifier) (e.g. unified social credit code)") }
            if let serial = signer.subjectSerialNumber { out.field("Subject number", serial) }
            out.field("Certificate", "\(signer.subject); serial \(signer.serialNumber)")
            out.field("Issued by", signer.issuer)
            out.field("Valid", "\(TimeText.sentence(signer.notBefore)) to \(TimeText.sentence(signer.notAfter))")
        } else {
            out.field("Signed by", "unknown (the signer's certificate was not identified)")
        }
        if let name = s.claims.name { out.field("Name given", name) }
        if let reason = s.claims.reason { out.field("Reason", reason) }
        if let location = s.claims.location { out.field("Location", location) }
        if let claimed = s.claims.signingTime {
            out.field("Claimed time", "\(TimeText.sentence(claimed)) (stated by the signer's software, not proof)")
        } else if let claimed = s.claims.cmsSigningTime {
            out.field("Claimed time", "\(TimeText.sentence(claimed)) (CMS signing-time, not proof)")
        }
        for timestamp in s.timestamps {
            let label = timestamp.kind == .documentTimestamp ? "Timestamp" : "Sig. timestamp"
            let when = timestamp.time.map(TimeText.sentence) ?? "unknown time"
            let by = timestamp.tsa.map { " by \($0.displayName)" } ?? ""
            out.field(label, "\(when)\(by): \(timestamp.status.rawValue). \(timestamp.message)")
        }
        if s.kind == .approval {
            if let proof = s.proofOfExistence {
                out.field("Proven to exist", "\(TimeText.sentence(proof.time)) (\(proof.source))")
            } else {
                out.field("Proven to exist", "no earlier proof than the validation time")
            }
        }
        out.field("Covers", s.coverage.description)
        out.field("Changed after", modificationText(s.modifications))
        for finding in s.modifications.findings where !finding.allowed {
            out.line("                   - revision \(finding.revision)\(finding.object.map { ", \($0)" } ?? ""): \(finding.message)")
        }
        out.field("Trust chain", chainText(s.trust))
        if !s.revocation.isEmpty {
            for (index, entry) in s.revocation.enumerated() {
                out.field(index == 0 ? "Revocation" : "", revocationText(entry))
            }
        }
        if let level = s.level { out.field("Level", level) }
        out.field("Verdict", "\(s.indication.rawValue)\(s.subIndication.map { " / \($0.rawValue)" } ?? "")")
        if !s.reasons.isEmpty {
            out.line("  Why:")
            for reason in s.reasons { out.line("    - \(reason)") }
        }
        if !s.warnings.isEmpty {
            out.line("  Notes:")
            for warning in s.warnings { out.line("    - \(warning)") }
        }
    }

    private static func modificationText(_ m: SignatureValidationResult.Modifications) -> String {
        switch m.verdict {
        case .untouched: "nothing (no later revision)"
        case .allowed: "\(m.laterRevisions) later revision(s), only allowed additions: \(categoryWords(m.categories))"
        case .disallowed: "CHANGED: \(m.findings.filter { !$0.allowed }.count) change(s) not allowed after signing"
        case .notAnalyzed: "not analysed"
        }
    }

    /// The allowed kinds of change in plain words.
    private static func categoryWords(_ categories: [String]) -> String {
        let words: [(String, String)] = [
            ("signature", "further signatures"), ("documentTimestamp", "document timestamps"), ("dss", "validation data (DSS)"),
            ("signatureField", "signature fields"), ("signatureWidget", "signature widgets"), ("acroForm", "form bookkeeping"),
            ("pageAnnotations", "widget references on pages"), ("metadata", "refreshed metadata"), ("info", "a refreshed /Info"),
            ("extensions", "extension declarations"), ("version", "a raised PDF version"), ("emptyUpdate", "empty updates"),
        ]
        let known = words.filter { categories.contains($0.0) }.map(\.1)
        let other = categories.filter { category in !words.contains { $0.0 == category } }
        let all = known + other
        return all.isEmpty ? "bookkeeping only" : all.joined(separator: ", ")
    }

    private static func chainText(_ trust: SignatureValidationResult.Trust) -> String {
        let names = trust.chain.map(\.displayName).joined(separator: " <- ")
        switch trust.status {
        case .trusted: return "\(names) (trusted root)"
        case .untrusted: return names.isEmpty ? "NOT TRUSTED: \(trust.message)" : "\(names): NOT TRUSTED (\(trust.message))"
        case .notChecked: return trust.message
        }
    }

    private static func revocationText(_ entry: SignatureValidationResult.RevocationEntry) -> String {
        let name = entry.name
        switch entry.status {
        case .good: return "\(name): not revoked (\(entry.source ?? "embedded data"))"
        case .revoked:
            let when = entry.revocationTime.map(TimeText.sentence) ?? "?"
            return "\(name): REVOKED on \(when)\(entry.revocationReason.map { ", \($0)" } ?? "") (\(entry.source ?? "embedded data"))"
        case .unknown: return "\(name): unknown, no usable CRL or OCSP response in the file"
        case .noRevocationService: return "\(name): names no revocation service"
        case .exempt: return "\(name): exempt (OCSP responder)"
        }
    }
}

/// Accumulates lines.
private struct TextBuilder {
    private(set) var text = ""
    mutating func line(_ value: String) { text += value + "\n" }
    mutating func blank() { text += "\n" }
    mutating func field(_ label: String, _ value: String) {
        let padded = label.isEmpty ? "" : label + ":"
        // Exactly 17 columns, padded or cut (labels are ASCII).
        let column = padded.count >= 17 ? String(padded.prefix(17)) : padded + String(repeating: " ", count: 17 - padded.count)
        line("  " + column + value)
    }
}
