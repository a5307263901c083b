import Foundation
import SignetCrypto
import SignetTestSupport
import Testing
import SignetPKI

/// pyHanko as a second signer and as a judge, with this PKI.
extension TestPKI {
    /// pyHanko's verdict (`pyhanko sign validate`, trusting this PKI's root) on the signature
    /// in field `field` of `pdf`.
    func pyhankoVerdict(_ pdf: [UInt8], field: String = "merchant") throws -> PyHankoVerdict {
        let directory = try TemporaryDirectory("signet-pyhanko-verdict")
        let file = directory.file("file.pdf")
        try Data(pdf).write(to: file)
        let result = try PyHanko.validate(file, trusting: [rootFile])
        return try #require(result.verdicts.first { $0.fieldName == field }, "pyHanko: \(result.raw.combinedOutput)")
    }

    /// A fresh signer of this PKI as PEM files for pyHanko (key 0600, in this PKI's
    /// temporary directory, removed with it).
    func pyhankoSigner(person: String = "Signet Platform Seal") throws -> PyHankoSigning.Signer {
        let (key, certificate) = try signer(organization: "Signet Platform Ltd", person: person)
        let name = UUID().uuidString
        let keyFile = directory.file("\(name).key"), certificateFile = directory.file("\(name).pem"), chainFile = directory.file("\(name)-chain.pem")
        try key.write(toFile: keyFile.path)
        try certificate.pem.write(to: certificateFile, atomically: true, encoding: .utf8)
        try (issuing.certificate.pem + root.certificate.pem).write(to: chainFile, atomically: true, encoding: .utf8)
        return .files(key: keyFile, certificate: certificateFile, chain: [chainFile])
    }
}
