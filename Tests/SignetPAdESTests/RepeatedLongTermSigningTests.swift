import Foundation
import SignetCrypto
import SignetPAdES
import SignetTestSupport
import Testing
import SignetService
import SignetPKI

/// A contract whose signatures come in several B-LT/B-LTA steps: each DSS update only adds,
/// so every earlier signature stays valid for qpdf, pdfsig, pyHanko (`sign validate` and its
/// AdES engine) and Signet (issue 12, §3).
@Suite("Repeated B-LT/B-LTA signing keeps every signature valid")
struct RepeatedLongTermSigningTests {
    /// A PAdES signer with a seal of the development PKI for `organization` (its own
    /// certificate: poppler 22.12's pdfsig reports "Unknown issue" for the second of two
    /// signatures by one certificate in some files, DSS or not), its TSA and local
    /// revocation data.
    static func sealSigner(_ published: PublishedKeyDirectory, organization: String) throws -> PAdESSigner {
        let keys = published.keys
        let seal = try keys.seal(for: organization) ?? keys.issueSeal(organization: organization)
        return PAdESSigner(
            cms: try CMSSigner(key: seal.privateKey, certificate: seal.certificate, chain: seal.chain),
            timestampProvider: try keys.makeTimeStampAuthority(), revocationSource: KeyDirectoryRevocationSource(keys: keys))
    }

    static func request(_ field: String) -> SignatureRequest {
        SignatureRequest(fieldName: field, metadata: SignatureMetadata(signerName: "星河支付有限公司", reason: "Signed (\(field))"))
    }

    @Test("Signed to B-LTA three times: after each step every signature passes everywhere")
    func threeTimesLTA() async throws {
        let published = try PublishedKeyDirectory()
        let judge = SignatureJudge(published: published)
        var pdf = try BaseDocuments.fixture("ghostscript.pdf")
        var fields: [String] = []
        for field in ["first", "second", "third"] {
            let before = pdf
            let signer = try Self.sealSigner(published, organization: "\(field) party Ltd")
            pdf = try await signer.sign(pdf, level: .bLTA, request: Self.request(field))
            #expect(Array(pdf.prefix(before.count)) == before, "earlier bytes must never change")
            fields.append(field)
            try judge.judgeLongTerm(pdf, approvals: fields, documentTimestamps: fields.count)
        }
    }

    @Test("A B-LT file signed again to B-LTA: both signatures pass everywhere")
    func longTermThenArchival() async throws {
        let published = try PublishedKeyDirectory()
        let merchant = try Self.sealSigner(published, organization: "示例商户有限公司")
        let platform = try Self.sealSigner(published, organization: "星河支付有限公司")
        let once = try await merchant.sign(try BaseDocuments.fixture("cairo-pango.pdf"), level: .bLT, request: Self.request("merchant"))
        let twice = try await platform.sign(once, level: .bLTA, request: Self.request("platform"))
        try SignatureJudge(published: published).judgeLongTerm(twice, approvals: ["merchant", "platform"], documentTimestamps: 1)
    }
}
