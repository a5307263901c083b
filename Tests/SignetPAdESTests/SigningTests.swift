import Foundation
import SignetCrypto
import SignetPAdES
import SignetTestSupport
import Testing

@Suite("PAdES signing, judged by qpdf, pdfsig, pyHanko and openssl")
struct SigningTests {
    let metadata = SignatureMetadata(signerName: "张三", reason: "同意《商户服务协议》", location: "上海")

    @Test("Every level on a LibreOffice PDF", arguments: PAdESLevel.allCases)
    func everyLevel(level: PAdESLevel) async throws {
        let pki = try TestPKI()
        let base = try BaseDocuments.fixture("libreoffice-writer.pdf")
        let signed = try await pki.padesSigner().sign(base, level: level, request: SignatureRequest(metadata: metadata))
        #expect(Array(signed.prefix(base.count)) == base, "earlier bytes must never change")
        let judge = SignatureJudge(pki: pki)
        try judge.judge(signed, level: level, approvalSignatures: 1)
        if level >= .bLT { try judge.judgeOffline(signed) }
    }

    @Test("B-LTA on PDFs from other producers (object streams, xref streams, linearized, QDF)")
    func foreignProducers() async throws {
        for (name, base) in try BaseDocuments.all() {
            let pki = try TestPKI()
            let signed = try await pki.padesSigner().sign(base, level: .bLTA, request: SignatureRequest(metadata: metadata))
            #expect(Array(signed.prefix(base.count)) == base, "\(name): earlier bytes changed")
            try SignatureJudge(pki: pki).judge(signed, level: .bLTA, approvalSignatures: 1)
        }
    }

    @Test("Merchant, then platform, then LTV and a document timestamp: both signatures stay valid")
    func twoSignaturesInSequence() async throws {
        let pki = try TestPKI()
        let base = try BaseDocuments.fixture("cairo-pango.pdf")
        let merchant = try pki.padesSigner(organization: "示例商户有限公司", person: "张三")
        let platform = try pki.padesSigner(organization: "Signet Platform Ltd", person: "Signet Platform Seal")
        let once = try await merchant.sign(base, level: .bT, request: SignatureRequest(fieldName: "merchant", metadata: metadata))
        let twice = try await platform.sign(once, level: .bLTA, request: SignatureRequest(
            fieldName: "platform", metadata: SignatureMetadata(signerName: "Signet Platform Ltd", reason: "Countersigned")))
        let judge = SignatureJudge(pki: pki)
        let verdicts = try judge.judge(twice, level: .bLTA, approvalSignatures: 2)
        #expect(verdicts.map(\.fieldName) == ["merchant", "platform"])
        #expect(verdicts.first?.has("TIMESTAMP_TOKEN<INTACT:TRUSTED>") == true)
        try judge.judgeOffline(twice)
    }

    @Test("Signing a PDF that already carries third-party signatures keeps them valid")
    func thirdPartySignaturesStayValid() async throws {
        let pki = try TestPKI()
        let corpus = RepositoryPaths.corpus
        let base = try [UInt8](Data(contentsOf: corpus.appendingPathComponent("pyhanko/minimal-two-fields-signed-twice.pdf")))
        let signed = try await pki.padesSigner().sign(base, level: .bT, request: SignatureRequest(metadata: metadata))
        let theirRoot = corpus.appendingPathComponent("trust/pyhanko-selfsigned-lord-testerino.cert.pem")
        let dir = try TemporaryDirectory()
        let file = dir.file("signed.pdf")
        try Data(signed).write(to: file)
        #expect(try QPDF.check(file).passed)
        let pdfsig = try PDFSig.verify(file, trusting: [pki.rootFile, theirRoot])
        #expect(pdfsig.verdicts.count == 3)
        #expect(pdfsig.verdicts.allSatisfy { $0.isValid && $0.isTrusted }, "\(pdfsig.verdicts)")
        let pyhanko = try PyHanko.validate(file, trusting: [pki.rootFile, theirRoot])
        #expect(pyhanko.verdicts.count == 3)
        // Their signatures carry GlobalSign timestamps nobody here trusts; the signatures
        // themselves must remain intact and trusted with only form filling after them.
        #expect(pyhanko.verdicts.allSatisfy { $0.isIntactAndTrusted }, "\(pyhanko.verdicts)")
        #expect(pyhanko.verdicts.dropLast().allSatisfy { $0.has("ACCEPTABLE_MODIFICATIONS") }, "\(pyhanko.verdicts)")
        #expect(pyhanko.verdicts.last?.has("TIMESTAMP_TOKEN<INTACT:TRUSTED>") == true)
    }

    @Test("openssl verifies the embedded CMS over the signed byte ranges; no signing-time attribute")
    func opensslVerifiesEmbeddedCMS() async throws {
        let pki = try TestPKI()
        let base = try BaseDocuments.fixture("ghostscript.pdf")
        let signed = try await pki.padesSigner().sign(base, level: .bT, request: SignatureRequest(metadata: metadata))
        let text = String(decoding: signed, as: UTF8.self)
        let byteRange = try #require(text.range(of: #"/ByteRange\s*\[([0-9 ]+)\]"#, options: .regularExpression))
        let numbers = text[byteRange].split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        try #require(numbers.count == 4)
        let content = Array(signed[numbers[0]..<numbers[1]]) + Array(signed[numbers[2]..<(numbers[2] + numbers[3])])
        let hex = signed[(numbers[1] + 1)..<(numbers[2] - 1)]
        let cms = try hexDecode(hex)
        let dir = try TemporaryDirectory()
        try Data(content).write(to: dir.file("content.bin"))
        try Data(cms).write(to: dir.file("sig.der"))
        let verify = try ExternalTool.run("openssl", ["cms", "-verify", "-binary", "-inform", "DER", "-in", dir.file("sig.der").path,
                                                      "-content", dir.file("content.bin").path, "-CAfile", pki.rootFile.path,
                                                      "-purpose", "any", "-out", "/dev/null"])
        #expect(verify.status == 0, "\(verify.combinedOutput)")
        let printed = try ExternalTool.run("openssl", ["cms", "-cmsout", "-print", "-inform", "DER", "-in", dir.file("sig.der").path]).output
        #expect(printed.contains("messageDigest") && printed.contains("contentType"))
        #expect(printed.contains("id-smime-aa-signingCertificateV2"))
        #expect(!printed.contains("signingTime"))
        #expect(printed.contains("id-smime-aa-timeStampToken"))
    }

    @Test("Negative control: the same oracles reject a signed file with one byte changed")
    func oraclesRejectTampering() async throws {
        let pki = try TestPKI()
        let base = try BaseDocuments.fixture("libreoffice-writer.pdf")
        var signed = try await pki.padesSigner().sign(base, level: .bB, request: SignatureRequest(metadata: metadata))
        // Change one byte of page content inside the first signed range.
        let index = try #require(signed.indices.first { signed[$0] == UInt8(ascii: "B") && $0 > 200 })
        signed[index] = UInt8(ascii: "C")
        let dir = try TemporaryDirectory()
        let file = dir.file("tampered.pdf")
        try Data(signed).write(to: file)
        let pdfsig = try PDFSig.verify(file, trusting: [pki.rootFile])
        #expect(pdfsig.verdicts.count == 1)
        #expect(pdfsig.verdicts.allSatisfy { !$0.isValid }, "\(pdfsig.verdicts)")
        let pyhanko = try PyHanko.validate(file, trusting: [pki.rootFile])
        #expect(pyhanko.raw.status != 0)
        #expect(!pyhanko.verdicts.contains { $0.isIntactAndTrusted }, "\(pyhanko.raw.combinedOutput)")
    }

    private func hexDecode(_ hex: ArraySlice<UInt8>) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var iterator = hex.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            guard let h = Int(String(UnicodeScalar(high)), radix: 16), let l = Int(String(UnicodeScalar(low)), radix: 16) else {
                throw OracleSetupError(description: "bad hex in /Contents")
            }
            bytes.append(UInt8(h << 4 | l))
        }
        // Strip the zero padding after the DER structure: its length is in the header.
        let length: Int
        if bytes[1] & 0x80 == 0 { length = Int(bytes[1]) + 2 } else {
            let count = Int(bytes[1] & 0x7F)
            length = bytes[2..<(2 + count)].reduce(0) { $0 << 8 | Int($1) } + 2 + count
        }
        return Array(bytes.prefix(length))
    }
}
