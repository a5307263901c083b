import Foundation
import SignetTestSupport
import Testing

/// The oracle wrappers must read the tools' real output correctly, or every signing test
/// built on them would be meaningless. Checked on third-party files with known verdicts.
@Suite("Oracle wrappers read pdfsig and pyHanko correctly")
struct OracleWrapperTests {
    let corpus = RepositoryPaths.corpus

    @Test("pdfsig: a trusted self-signed signer is Valid and Trusted; an untrusted one is not")
    func pdfsig() throws {
        let file = corpus.appendingPathComponent("pyhanko/minimal-two-fields-signed-twice.pdf")
        let trusted = try PDFSig.verify(file, trusting: [corpus.appendingPathComponent("trust/pyhanko-selfsigned-lord-testerino.cert.pem")])
        #expect(trusted.verdicts.count == 2)
        #expect(trusted.verdicts.allSatisfy { $0.isValid && $0.isTrusted }, "\(trusted.raw.combinedOutput)")
        let untrusted = try PDFSig.verify(file, trusting: [corpus.appendingPathComponent("trust/siwa-selfsigned-mladenov.cert.pem")])
        #expect(untrusted.verdicts.count == 2)
        #expect(untrusted.verdicts.allSatisfy { $0.isValid && !$0.isTrusted })
    }

    @Test("pyHanko: statuses per field; tampered coverage is flagged")
    func pyhanko() throws {
        let file = corpus.appendingPathComponent("pyhanko/coverage-anomalies/tail-uncovered.pdf")
        let result = try PyHanko.validate(file, trusting: [corpus.appendingPathComponent("trust/pyhanko-selfsigned-lord-testerino.cert.pem")])
        #expect(result.raw.status != 0)
        #expect(result.verdicts.count == 1)
        #expect(result.verdicts.first?.isIntactAndTrusted == true)
        #expect(result.verdicts.first?.has("NONSTANDARD_COVERAGE") == true, "\(result.raw.combinedOutput)")
    }
}
