import Foundation
import SignetPAdES
import SignetPDF
import SignetTestSupport
import Testing

/// "Form filling" over shared content: an update signs the empty signature field
/// "platform" (with pyHanko) and rewrites, in place, the appearance stream that field shows,
/// while the signed document also reaches that stream from elsewhere: another field's
/// widget, the catalog, the trailer, a page's resources, a widget that is its own
/// appearance dictionary; directly, or through an object the field's appearance goes
/// through too. Each must be disallowed for the earlier signature,
/// as pyHanko also says; the same update on an appearance nothing else uses stays allowed.
@Suite("Modification analysis: form filling over shared appearance streams")
struct ModificationAnalysisSharedAppearanceTests {
    typealias F = ModificationFixtures
    typealias Fixtures = SharedAppearanceFixtures

    /// The base signed by Signet ("merchant"), then "platform" signed by pyHanko with the
    /// appearance stream rewritten in the same update.
    private func filled(reach: Fixtures.Reach?, path: Fixtures.Path, pki: TestPKI) async throws -> (pdf: [UInt8], stream: PDFReference) {
        let (base, stream) = try Fixtures.base(reach: reach, path: path)
        let signed = try await F.signed(base, pki: pki)
        return (try PyHankoSigning.sign(signed, field: "platform", signer: try pki.pyhankoSigner(), rewrite: [stream.number]), stream)
    }

    @Test("The rewritten appearance stream is also reached from elsewhere: disallowed, as pyHanko says",
          arguments: Fixtures.Reach.allCases, Fixtures.Path.allCases)
    func sharedStream(reach: Fixtures.Reach, path: Fixtures.Path) async throws {
        let pki = try TestPKI()
        let (pdf, stream) = try await filled(reach: reach, path: path, pki: pki)
        let analysis = try F.analysis(of: pdf)
        F.expectDisallowed(analysis, .objectRedefined)
        #expect(analysis.findings.contains { $0.category == .signature && $0.allowed }, "the signature itself is still seen: \(F.report(analysis))")
        #expect(analysis.disallowedFindings.contains { $0.object == "\(stream.number) 0 R" }, "the finding names the rewritten stream: \(F.report(analysis))")
        let theirs = try pki.pyhankoVerdict(pdf)
        if reach == .otherField && path == .direct {
            // Known disagreement: pyHanko reads the rewrite as filling in the text field
            // 'Amount', whose widget shows that stream, which its default policy allows after
            // an approval signature (as for dss-2236/replace.pdf). Signet's policy does not.
            #expect(theirs.has("EXTENDED_WITH_FORM_FILLING") && !theirs.has("ILLEGAL_MODIFICATIONS"), "pyHanko changed its mind: \(theirs)")
        } else {
            #expect(theirs.has("ILLEGAL_MODIFICATIONS"), "pyHanko: \(theirs)")
        }
    }

    @Test("A genuine form fill that rewrites the field's own appearance stream in place stays allowed, as pyHanko says",
          arguments: Fixtures.Path.allCases)
    func genuineFill(path: Fixtures.Path) async throws {
        let pki = try TestPKI()
        let (pdf, _) = try await filled(reach: nil, path: path, pki: pki)
        let analysis = try F.analysis(of: pdf)
        F.expectAllowed(analysis, [.signature])
        let theirs = try pki.pyhankoVerdict(pdf)
        #expect(theirs.status.first?.hasPrefix("INTACT") == true && !theirs.has("ILLEGAL_MODIFICATIONS"), "pyHanko: \(theirs)")
        // And the second signature itself is untouched.
        #expect(try F.analysis(of: pdf, field: "platform").verdict == .untouched)
    }
}
