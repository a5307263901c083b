import Foundation
import SignetCrypto
import SignetPAdES
import SignetPKI
import SignetTestSupport
import Testing

@Suite("Signing refuses bad input clearly and writes nothing")
struct SigningErrorTests {
    let request = SignatureRequest(metadata: SignatureMetadata(signerName: "张三"))

    @Test("Garbage, an empty file, truncated PDFs and data after %%EOF are refused as unreadable")
    func unreadableInput() async throws {
        let pki = try TestPKI()
        let signer = try pki.padesSigner()
        let base = try BaseDocuments.fixture("libreoffice-writer.pdf")
        var inputs: [(String, [UInt8])] = [("empty", []), ("garbage", Array("this is not a PDF at all".utf8)),
                                            ("header only", Array("%PDF-1.7\n".utf8))]
        for cut in [base.count / 4, base.count / 2, base.count - 40, base.count - 5] {
            inputs.append(("truncated at \(cut)", Array(base.prefix(cut))))
        }
        inputs.append(("data after %%EOF", base + Array("<< /Injected true >>\n".utf8)))
        for (name, input) in inputs {
            do {
                _ = try await signer.sign(input, level: .bB, request: request)
                Issue.record("\(name): signing should have failed")
            } catch let error as PAdESError {
                guard case .unreadablePDF = error else { Issue.record("\(name): \(error)"); continue }
                #expect(!error.description.isEmpty)
            }
        }
    }

    @Test("Encrypted PDFs are refused as not supported (qpdf --encrypt)")
    func encryptedInput() async throws {
        let pki = try TestPKI()
        let dir = try TemporaryDirectory()
        let input = RepositoryPaths.fixtures.appendingPathComponent("pdf/libreoffice-writer.pdf").path
        for bits in ["128", "256"] {
            let output = dir.file("encrypted-\(bits).pdf").path
            let aes = bits == "128" ? ["--use-aes=y"] : []
            let qpdf = try ExternalTool.run("qpdf", ["--encrypt", "user", "owner", bits] + aes + ["--", input, output])
            try #require(qpdf.status == 0, "\(qpdf.combinedOutput)")
            let encrypted = try [UInt8](Data(contentsOf: URL(fileURLWithPath: output)))
            await #expect(throws: PAdESError.encryptedPDF) {
                _ = try await pki.padesSigner().sign(encrypted, level: .bT, request: request)
            }
        }
    }

    @Test("Levels that need a TSA or validation data refuse to sign without them")
    func missingServices() async throws {
        let pki = try TestPKI()
        let (key, certificate) = try pki.signer(organization: "示例商户有限公司", person: "张三")
        let bare = PAdESSigner(cms: try CMSSigner(key: key, certificate: certificate, chain: [pki.issuing.certificate]))
        let base = try BaseDocuments.fixture("cairo-pango.pdf")
        await #expect(throws: PAdESError.timestampRequired(level: "B-T")) { _ = try await bare.sign(base, level: .bT, request: request) }
        let noRevocation = PAdESSigner(cms: bare.cms, timestampProvider: pki.tsa)
        await #expect(throws: PAdESError.validationDataRequired(level: "B-LT")) {
            _ = try await noRevocation.sign(base, level: .bLT, request: request)
        }
    }

    @Test("A CMS larger than the reserved /Contents is refused")
    func signatureTooLarge() throws {
        let base = try BaseDocuments.fixture("cairo-pango.pdf")
        let prepared = try SignaturePreparer.prepare(base, kind: .approval, request: request, contentsCapacity: 64)
        #expect(throws: PAdESError.signatureTooLarge(needed: 65, capacity: 64)) { _ = try prepared.embed([UInt8](repeating: 1, count: 65)) }
        #expect(try prepared.embed([UInt8](repeating: 1, count: 64)).count == prepared.bytes.count)
    }

    @Test("Illegal placements: signing a signed field, a page that does not exist, a rectangle off the page")
    func illegalPlacements() async throws {
        let pki = try TestPKI()
        let signer = try pki.padesSigner()
        let base = try BaseDocuments.fixture("libreoffice-writer.pdf")
        let once = try await signer.sign(base, level: .bB, request: SignatureRequest(fieldName: "merchant", metadata: request.metadata))
        await #expect(throws: PAdESError.fieldAlreadySigned("merchant")) {
            _ = try await signer.sign(once, level: .bB, request: SignatureRequest(fieldName: "merchant", metadata: request.metadata))
        }
        let seal = try BaseDocuments.fixture("cairo-pango.pdf")
        await #expect(throws: PAdESError.pageOutOfRange(page: 9, pageCount: 1)) {
            _ = try await signer.sign(base, level: .bB, request: SignatureRequest(
                visible: VisibleSignature(page: 9, x: 10, y: 10, width: 100, height: 50, appearancePDF: seal)))
        }
        await #expect(throws: PAdESError.self) {
            _ = try await signer.sign(base, level: .bB, request: SignatureRequest(
                visible: VisibleSignature(page: 1, x: 5000, y: 10, width: 100, height: 50, appearancePDF: seal)))
        }
        await #expect(throws: PAdESError.self) {
            _ = try await signer.sign(base, level: .bB, request: SignatureRequest(
                visible: VisibleSignature(page: 1, x: 10, y: 10, width: 100, height: 50, appearancePDF: Array("not a pdf".utf8))))
        }
        await #expect(throws: PAdESError.invalidFieldName("a.b")) {
            _ = try await signer.sign(base, level: .bB, request: SignatureRequest(fieldName: "a.b"))
        }
    }

    @Test("An empty signature field made by pyHanko is filled, with a visible seal; pdfsig and pyHanko accept it")
    func fillsForeignEmptyField() async throws {
        let pki = try TestPKI()
        let dir = try TemporaryDirectory()
        let withField = dir.file("with-field.pdf")
        let made = try ExternalTool.run("pyhanko", ["sign", "addfields", "--field", "1/100,100,290,210/SignHere",
                                                    RepositoryPaths.fixtures.appendingPathComponent("pdf/ghostscript.pdf").path, withField.path])
        try #require(made.status == 0, "\(made.combinedOutput)")
        let base = try [UInt8](Data(contentsOf: withField))
        let seal = try BaseDocuments.fixture("cairo-pango.pdf")
        let signed = try await pki.padesSigner().sign(base, level: .bT, request: SignatureRequest(
            fieldName: "SignHere", visible: VisibleSignature(page: 1, x: 100, y: 100, width: 190, height: 110, appearancePDF: seal),
            metadata: request.metadata))
        let verdicts = try SignatureJudge(pki: pki).judge(signed, level: .bT, approvalSignatures: 1)
        #expect(verdicts.map(\.fieldName) == ["SignHere"])
    }
}
