import Foundation
import SignetCrypto
import SignetPAdES
import SignetTestSupport
import Testing

/// Runs the third-party validators on a signed PDF and records an issue for anything
/// short of "valid and trusted".
struct SignatureJudge {
    /// The PKI's root certificate (PEM).
    let rootFile: URL
    /// Stops the PKI's HTTP server (CRLs, OCSP), so validators must work from the file.
    let stopServer: @Sendable () -> Void
    /// Extra trust anchors (for documents already signed by someone else).
    var extraRoots: [URL] = []

    init(pki: TestPKI) {
        let server = pki.server
        rootFile = pki.rootFile
        stopServer = { server.stop() }
    }

    /// A judge for a published development PKI (pdfsig and pyHanko reach its OCSP responder).
    init(published: PublishedKeyDirectory) {
        let server = published.server
        rootFile = published.rootFile
        stopServer = { server.stop() }
    }

    /// qpdf --check, pdfsig (every approval signature valid and trusted) and pyHanko
    /// `sign validate` (every signature INTACT:TRUSTED; from B-T the timestamp too;
    /// after the last signature only LTA updates). Returns pyHanko's verdicts.
    @discardableResult
    func judge(_ pdf: [UInt8], level: PAdESLevel, approvalSignatures: Int, documentTimestamps: Int? = nil,
               sourceLocation: SourceLocation = #_sourceLocation) throws -> [PyHankoVerdict] {
        let dir = try TemporaryDirectory("signet-judge")
        let file = dir.file("signed.pdf")
        try Data(pdf).write(to: file)

        let qpdf = try QPDF.check(file)
        #expect(qpdf.passed, "qpdf --check: \(qpdf.raw.combinedOutput)", sourceLocation: sourceLocation)

        let pdfsig = try PDFSig.verify(file, trusting: [rootFile] + extraRoots)
        let approvals = pdfsig.verdicts.filter { $0.signatureType != "unknown" }
        #expect(approvals.count == approvalSignatures, "pdfsig saw \(pdfsig.verdicts)", sourceLocation: sourceLocation)
        for verdict in approvals {
            #expect(verdict.isValid && verdict.isTrusted, "pdfsig: \(verdict)", sourceLocation: sourceLocation)
        }
        // poppler 22.12 cannot check document timestamps; it must at least list them.
        #expect(pdfsig.verdicts.count == approvalSignatures + (documentTimestamps ?? (level == .bLTA ? 1 : 0)), sourceLocation: sourceLocation)

        let pyhanko = try PyHanko.validate(file, trusting: [rootFile] + extraRoots)
        #expect(pyhanko.verdicts.count == approvalSignatures, "\(pyhanko.raw.combinedOutput)", sourceLocation: sourceLocation)
        for verdict in pyhanko.verdicts {
            #expect(verdict.isIntactAndTrusted, "pyHanko: \(verdict)", sourceLocation: sourceLocation)
        }
        if let last = pyhanko.verdicts.last {
            if level >= .bT { #expect(last.has("TIMESTAMP_TOKEN<INTACT:TRUSTED>"), "pyHanko: \(last)", sourceLocation: sourceLocation) }
            let expected = level >= .bLT ? "EXTENDED_WITH_LTA_UPDATES" : "UNTOUCHED"
            #expect(last.has(expected), "pyHanko: \(last)", sourceLocation: sourceLocation)
        }
        return pyhanko.verdicts
    }

    /// pyHanko's AdES validation with the PKI's HTTP server stopped: everything needed
    /// must come from the DSS inside the file.
    func judgeOffline(_ pdf: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws {
        stopServer()
        let dir = try TemporaryDirectory("signet-judge")
        let file = dir.file("signed.pdf")
        try Data(pdf).write(to: file)
        var args = ["sign", "adesverify", "--trust", rootFile.path]
        for root in extraRoots { args += ["--trust", root.path] }
        let result = try ExternalTool.run("pyhanko", args + ["--trust-replace", file.path])
        let verdicts = PyHanko.parse(result.output)
        #expect(!verdicts.isEmpty, "\(result.combinedOutput)", sourceLocation: sourceLocation)
        for verdict in verdicts {
            #expect(verdict.isIntactAndTrusted && verdict.has("TIMESTAMP_TOKEN<INTACT:TRUSTED>"), "pyHanko adesverify: \(verdict)", sourceLocation: sourceLocation)
        }
    }

    /// A file signed or renewed more than once at B-LT/B-LTA (`approvals` in order): `judge`
    /// (qpdf, pdfsig with the OCSP responder reachable, pyHanko `sign validate`), earlier
    /// signatures followed by nothing worse than form filling in pyHanko's eyes, then
    /// pyHanko's AdES engine offline (at `time`, default now): every signature TOTAL_PASSED,
    /// modifications at most FORM_FILLING and accepted; and Signet's own verdict: passed.
    func judgeLongTerm(_ pdf: [UInt8], approvals: [String], documentTimestamps: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let verdicts = try judge(pdf, level: .bLTA, approvalSignatures: approvals.count, documentTimestamps: documentTimestamps,
                                 sourceLocation: sourceLocation)
        #expect(verdicts.map(\.fieldName) == approvals, sourceLocation: sourceLocation)
        for verdict in verdicts.dropLast() {
            #expect(verdict.has("ACCEPTABLE_MODIFICATIONS") && (verdict.has("EXTENDED_WITH_FORM_FILLING") || verdict.has("EXTENDED_WITH_LTA_UPDATES")),
                    "pyHanko: \(verdict)", sourceLocation: sourceLocation)
        }
        let report = PDFSignatureValidator(options: ValidationOptions(trustAnchors: try Certificate.loadAll(contentsOfFile: rootFile.path)))
            .validate(pdf: pdf)
        #expect(report.outcome == .passed, "Signet: \(ValidationReportFormatter.text(report))", sourceLocation: sourceLocation)
        #expect(report.signatures.count == approvals.count + documentTimestamps, sourceLocation: sourceLocation)
        try judgeAdES(pdf, approvals: approvals, sourceLocation: sourceLocation)
    }

    /// pyHanko's AdES engine (offline, at `time` or now): every signature in `approvals`
    /// TOTAL_PASSED with accepted modifications of at most FORM_FILLING, its signature
    /// timestamp too; judged now, pyHanko's overall bottom line as well.
    func judgeAdES(_ pdf: [UInt8], approvals: [String], at time: Date? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let dir = try TemporaryDirectory("signet-judge")
        let file = dir.file("signed.pdf")
        try Data(pdf).write(to: file)
        let ades = try PyHankoAdES.validate(file, trusting: [rootFile] + extraRoots, at: time)
        #expect(ades.verdicts.map(\.field) == approvals, "\(ades.raw.combinedOutput)", sourceLocation: sourceLocation)
        for verdict in ades.verdicts {
            #expect(verdict.passes && verdict.modifications(atMost: "FORM_FILLING") && verdict.signatureTimestampIndication == "TOTAL_PASSED",
                    "pyHanko AdES: \(verdict)", sourceLocation: sourceLocation)
            if time == nil { #expect(verdict.bottomLine, "pyHanko AdES: \(verdict)", sourceLocation: sourceLocation) }
        }
    }
}
