import Foundation
import SignetPAdES
import SignetPDF
import SignetTestSupport
import Testing

/// Hostile and broken inputs end in a clear verdict or error, never a crash or a hang,
/// and never in a passing verdict.
@Suite("Verifier robustness")
struct VerifierRobustnessTests {
    private static func signedContract() async throws -> (VerificationPKI, [UInt8]) {
        let pki = try VerificationPKI()
        let signed = try await pki.padesSigner(try pki.signer()).sign(
            try VerificationSupport.base(), level: .bLTA, request: SignatureRequest(metadata: VerificationSupport.metadata))
        return (pki, signed)
    }

    @Test("Empty input, garbage and a bare header are unreadable (exit status 4), without signatures")
    func garbage() {
        var generator = SystemRandomNumberGenerator()
        let inputs: [(String, [UInt8])] = [
            ("empty", []),
            ("random", (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }),
            ("text", Array("This is not a PDF at all.\n".utf8)),
            ("header only", Array("%PDF-1.7\n".utf8)),
            ("header and EOF", Array("%PDF-1.7\n%%EOF\n".utf8)),
            ("startxref nowhere", Array("%PDF-1.7\nstartxref\n999999\n%%EOF\n".utf8)),
        ]
        for (name, bytes) in inputs {
            let report = PDFSignatureValidator().validate(pdf: bytes)
            #expect(report.outcome == .unreadable, "\(name): \(report.outcome)")
            #expect(report.exitStatus == 4)
            #expect(report.signatures.isEmpty)
            #expect(report.file.structureProblem?.isEmpty == false)
            #expect(report.file.structureProblemCode?.hasPrefix("pdf.") == true, "\(name)")
        }
    }

    @Test("A signed contract truncated at many offsets never passes and never crashes")
    func truncations() async throws {
        let (pki, signed) = try await Self.signedContract()
        let validator = PDFSignatureValidator(options: pki.options())
        // Cut exactly at the end of an earlier revision, the file is that complete earlier
        // version (which may pass); anywhere else it must not pass.
        let revisionEnds = Set(try PDFDocument(bytes: signed).revisions.flatMap { [$0.end, $0.endIncludingEOL] })
        let step = max(1, signed.count / 150)
        var outcomes: [ValidationReport.Outcome: Int] = [:]
        for length in stride(from: 0, to: signed.count - 1, by: step) + [signed.count - 1, signed.count - 2, signed.count - 7] {
            let report = validator.validate(pdf: Array(signed.prefix(length)))
            outcomes[report.outcome, default: 0] += 1
            if !revisionEnds.contains(length) {
                #expect(report.outcome != .passed, "truncated to \(length) of \(signed.count) bytes:\n\(ValidationReportFormatter.text(report))")
            }
        }
        #expect(outcomes[.failed, default: 0] > 0, "some truncations must still show the (failing) signature: \(outcomes)")
    }

    @Test("Bytes flipped all over a signed contract never make it pass")
    func byteFlips() async throws {
        let (pki, signed) = try await Self.signedContract()
        let validator = PDFSignatureValidator(options: pki.options())
        let step = max(1, signed.count / 120)
        for offset in stride(from: 0, to: signed.count, by: step) {
            var copy = signed
            copy[offset] ^= 0x20
            let report = validator.validate(pdf: copy)
            // A flip inside the unsigned gap (the CMS hex string) can leave the CMS intact
            // when it only changes the case of a hex digit; everything else must not pass.
            if report.outcome == .passed {
                let gapCase = copy[offset] >= 0x41 && copy[offset] <= 0x66
                #expect(gapCase, "flip at \(offset) (\(signed[offset]) -> \(copy[offset])) passed")
            }
        }
    }

    @Test("200 MB of zeros ends quickly in 'unreadable', not in a hang")
    func hugeZeros() {
        let report = PDFSignatureValidator().validate(pdf: [UInt8](repeating: 0, count: 200 << 20))
        #expect(report.outcome == .unreadable)
        #expect(report.file.size == 200 << 20)
    }

    @Test("A huge /ByteRange, a negative one, and one far beyond the file are FORMAT_FAILURE")
    func hostileByteRanges() async throws {
        let (pki, signed) = try await Self.signedContract()
        let (range, numbers) = try #require(VerificationSupport.firstByteRange(signed))
        let length = range.count
        let replacements = [
            "/ByteRange [0 \(numbers[1]) 9223372036854775000 9223372036854775000]",
            "/ByteRange [0 \(numbers[1]) -5 \(numbers[3])]",
            "/ByteRange [0 \(numbers[1]) \(numbers[2]) 99999999999]",
            "/ByteRange [0 99999999999999999999999 1 1]",
        ]
        for replacement in replacements {
            var text = replacement
            guard text.utf8.count <= length else {
                // Too long to fit in place: put it in a copy that shifts the rest (the structure breaks).
                var copy = signed
                copy.replaceSubrange(range, with: Array(text.utf8))
                let report = PDFSignatureValidator(options: pki.options()).validate(pdf: copy)
                #expect(report.outcome == .failed || report.outcome == .unreadable, "\(replacement): \(report.outcome)")
                continue
            }
            text += String(repeating: " ", count: length - text.utf8.count)
            var copy = signed
            copy.replaceSubrange(range, with: Array(text.utf8))
            let report = PDFSignatureValidator(options: pki.options()).validate(pdf: copy)
            #expect(report.outcome == .failed, "\(replacement): \(report.outcome)")
            #expect(report.signatures.first?.subIndication == .formatFailure, "\(replacement)")
        }
    }

    @Test("Deeply nested objects and a /Prev loop are reported, not crashed on")
    func hostileStructures() {
        var nested = Array("%PDF-1.7\n1 0 obj\n".utf8)
        nested += [UInt8](repeating: UInt8(ascii: "["), count: 100_000)
        nested += Array("\nendobj\nxref\n0 2\n0000000000 65535 f \n0000000009 00000 n \ntrailer\n<< /Size 2 /Root 1 0 R >>\nstartxref\n100030\n%%EOF\n".utf8)
        let report = PDFSignatureValidator().validate(pdf: nested)
        #expect(report.outcome == .unreadable || report.outcome == .noSignature)

        let loop = Array("%PDF-1.7\nxref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 1 /Prev 9 >>\nstartxref\n9\n%%EOF\n".utf8)
        #expect(PDFSignatureValidator().validate(pdf: loop).outcome == .unreadable)
    }
}
