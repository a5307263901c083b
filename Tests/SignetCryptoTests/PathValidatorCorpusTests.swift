import Foundation
import SignetCrypto
import SignetTestSupport
import Testing

/// The DSS (certificates, CRLs, OCSP responses) of a third-party PAdES-LTA file, read with
/// qpdf: real-world material for path validation and revocation checking.
private struct CorpusDSS {
    let certificates: [Certificate]
    let crls: [[UInt8]]
    let ocspResponses: [[UInt8]]

    init(file: String) throws {
        let path = RepositoryPaths.corpus.appendingPathComponent(file).path
        let json = try ExternalTool.run("qpdf", ["--json=2", "--json-key=qpdf", path])
        #expect(json.status == 0, "\(json.errorOutput)")
        let root = try #require(try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any])
        let objects = try #require((root["qpdf"] as? [Any])?.last as? [String: Any])
        func value(_ reference: String) -> Any? { (objects["obj:\(reference)"] as? [String: Any])?["value"] }
        let trailer = try #require(objects["trailer"] as? [String: Any])
        let rootRef = try #require((trailer["value"] as? [String: Any])?["/Root"] as? String)
        let catalog = try #require(value(rootRef) as? [String: Any])
        let dssReference = try #require(catalog["/DSS"] as? String)
        let dss = try #require(value(dssReference) as? [String: Any])
        func streams(_ key: String) throws -> [[UInt8]] {
            guard let entry = dss[key] else { return [] }
            let references = (entry as? [String]) ?? (value(entry as? String ?? "") as? [String]) ?? []
            return try references.map { reference in
                let number = String(reference.split(separator: " ")[0])
                let result = try ExternalTool.run("qpdf", ["--show-object=\(number)", "--filtered-stream-data", path])
                #expect(result.status == 0, "\(result.errorOutput)")
                return [UInt8](result.stdout)
            }
        }
        certificates = try streams("/Certs").map { try Certificate(der: $0) }
        crls = try streams("/CRLs")
        ocspResponses = try streams("/OCSPs")
    }
}

@Suite("Path validation and revocation on third-party material (pyHanko PAdES-LTA DSS)")
struct PathValidatorCorpusTests {
    @Test("Alice chains to the supplied pyHanko root through the DSS (re-issued root copy inside); CRL and OCSP say good")
    func pyHankoDSS() throws {
        let dss = try CorpusDSS(file: "pyhanko/pades-lta-dss-indirect-arrs-test.pdf")
        let anchor = try Certificate(contentsOfFile: RepositoryPaths.corpus.appendingPathComponent("trust/pyhanko-testing-ca-root.cert.pem").path)
        let alice = try #require(dss.certificates.first { $0.subject.commonName == "Alice" })
        let embeddedRoot = try #require(dss.certificates.first { $0.subject.commonName == "Root CA" })
        #expect(embeddedRoot.der != anchor.der && embeddedRoot.hasSameSubjectAndKey(as: anchor))

        let validator = PathValidator(anchors: [anchor], intermediates: dss.certificates)
        let signingTime = try #require(ISO8601DateFormatter().date(from: "2020-11-01T00:00:00Z"))
        let path = try validator.validate(alice, policy: .signing(at: .at(signingTime)))
        #expect(path.certificates.map { $0.subject.commonName } == ["Alice", "Intermediate CA", "Root CA"])
        #expect(path.anchor.certificate == anchor)

        // Today Alice has expired (2022): the error names her and the date.
        #expect {
            try validator.validate(alice, policy: .signing(at: .at(Date())))
        } throws: { error in
            guard case PathValidationError.expired(let cert, _, _) = error else { return false }
            return cert == alice
        }
        // Nothing but the anchor given: no chain.
        #expect(throws: PathValidationError.self) { try PathValidator(anchors: [anchor]).validate(alice, policy: .signing(at: .at(signingTime))) }

        let checker = RevocationChecker(crlDER: dss.crls, ocspDER: dss.ocspResponses, certificates: dss.certificates)
        #expect(checker.unreadableInputs.isEmpty)
        let results = checker.check(path)
        #expect(results.count == 2)
        guard case .good(let aliceEvidence) = results[0].status, case .ocsp(_, let signer) = aliceEvidence.source else {
            Issue.record("Alice: \(results[0].status) \(results[0].notes)")
            return
        }
        #expect(signer.certificate.subject.commonName == "OCSP responder")
        guard case .good(let intermediateEvidence) = results[1].status, case .crl = intermediateEvidence.source else {
            Issue.record("Intermediate CA: \(results[1].status) \(results[1].notes)")
            return
        }
        // The OCSP response is keyed by the responder's key hash and names its delegated responder.
        let response = try OCSPResponse(der: dss.ocspResponses[0])
        guard case .byKeyHash = response.responderID else {
            Issue.record("expected a key-hash responder ID, got \(String(describing: response.responderID))")
            return
        }
        #expect(response.singleResponse(for: alice, issuer: path.certificates[1])?.status == .good)
    }
}
