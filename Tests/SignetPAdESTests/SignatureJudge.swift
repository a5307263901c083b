import Foundation
import SignetPAdES
import SignetTestSupport
import Testing

/// Runs the third-party validators on a signed PDF and records an issue for anything
/// short of "valid and trusted".
struct SignatureJudge {
    let pki: TestPKI
    /// Extra trust anchors (for documents already signed by someone else).
    var extraRoots: [URL] = []

    /// qpdf --check, pdfsig (every approval signature valid and trusted) and pyHanko
    /// `sign validate` (every signature INTACT:TRUSTED; from B-T the timestamp too;
    /// after the last signature only LTA updates). Returns pyHanko's verdicts.
    @discardableResult
    func judge(_ pdf: [UInt8], level: PAdESLevel, approvalSignatures: Int, sourceLocation: SourceLocation = #_sourceLocation) throws -> [PyHankoVerdict] {
        let dir = try TemporaryDirectory("signet-judge")
        let file = dir.file("signed.pdf")
        try Data(pdf).write(to: file)

        let qpdf = try QPDF.check(file)
        #expect(qpdf.passed, "qpdf --check: \(qpdf.raw.combinedOutput)", sourceLocation: sourceLocation)

        let pdfsig = try PDFSig.verify(file, trusting: [pki.rootFile] + extraRoots)
        let approvals = pdfsig.verdicts.filter { $0.signatureType != "unknown" }
        #expect(approvals.count == approvalSignatures, "pdfsig saw \(pdfsig.verdicts)", sourceLocation: sourceLocation)
        for verdict in approvals {
            #expect(verdict.isValid && verdict.isTrusted, "pdfsig: \(verdict)", sourceLocation: sourceLocation)
        }
        // poppler 22.12 cannot check document timestamps; it must at least list them.
        #expect(pdfsig.verdicts.count == approvalSignatures + (level == .bLTA ? 1 : 0), sourceLocation: sourceLocation)

        let pyhanko = try PyHanko.validate(file, trusting: [pki.rootFile] + extraRoots)
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
        pki.server.stop()
        let dir = try TemporaryDirectory("signet-judge")
        let file = dir.file("signed.pdf")
        try Data(pdf).write(to: file)
        var args = ["sign", "adesverify", "--trust", pki.rootFile.path]
        for root in extraRoots { args += ["--trust", root.path] }
        let result = try ExternalTool.run("pyhanko", args + ["--trust-replace", file.path])
        let verdicts = PyHanko.parse(result.output)
        #expect(!verdicts.isEmpty, "\(result.combinedOutput)", sourceLocation: sourceLocation)
        for verdict in verdicts {
            #expect(verdict.isIntactAndTrusted && verdict.has("TIMESTAMP_TOKEN<INTACT:TRUSTED>"), "pyHanko adesverify: \(verdict)", sourceLocation: sourceLocation)
        }
    }
}
