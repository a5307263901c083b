import Foundation
import NIOHTTP1
import SignetCrypto
import SignetPKI
import SignetTestSupport
import Testing

extension LiveService {
    /// The issuing CA's state in the database: a certificate revoked through one instance is
    /// revoked in every instance's OCSP answers and CRL at once.
    ///
    /// Needs the revocation route `POST /v1/certificates/{serial}/revoke` and the certificate
    /// registry in the database (issue 17's `pki-state` work): without them the revocation
    /// answers 404 and the other instances, each on its own copy of the key directory, do not
    /// know the certificate — this test fails until that work is merged.
    @Suite("Scale-out: revocation seen by every instance (live)", .serialized)
    struct ScaleOutRevocationTests {
        @Test("The merchant's event certificate: good via OCSP at instance C; revoked through instance A; OCSP via B and via nginx say revoked, C's CRL lists it; no instance wrote to its key directory",
              .timeLimit(.minutes(10)))
        func revokedThroughOneSeenByAll() async throws {
            let cluster = try ScaleOutCluster(instances: 3)
            defer { cluster.stop() }
            let snapshot = try cluster.ports.indices.map { try Self.digests(of: cluster.keys(of: $0)) }
            let (id, token, browser, form) = try await ScaleOutSigningTests.session(cluster)
            let signed = try await browser.post(cluster.instanceURL(0), "/s/\(token)/sign", form)
            #expect(signed.status == 303, "\(signed.status) \(signed.text.prefix(300))")
            let (events, _) = try await cluster.auditEvents(id)
            let merchant = try #require(events.first { $0["type"] as? String == "signer.signed" }?["data"] as? [String: Any])
            let serial = try #require(merchant["certificate_serial"] as? String)
            let keys = try KeyDirectory.load(from: cluster.keysDirectory.path)

            #expect(try Self.ocspStatus(serial, at: cluster.instanceURL(2), keys: keys) == "good")
            let revoked = try await cluster.call(.POST, "/v1/certificates/\(Self.canonical(serial))/revoke", json: ["reason": "keyCompromise"],
                                                 at: cluster.instanceURL(0))
            #expect(revoked.status == 200, "\(revoked.status) \(revoked.text)")
            #expect(try Self.ocspStatus(serial, at: cluster.instanceURL(1), keys: keys) == "revoked")
            #expect(try Self.ocspStatus(serial, at: cluster.baseURL, keys: keys) == "revoked")

            let crlFile = cluster.directory.file("issuing-ca.crl")
            try Curl.get(cluster.instanceURL(2) + "/pki/crl/issuing-ca.crl").write(to: crlFile)
            let crl = try ExternalTool.run("openssl", ["crl", "-inform", "DER", "-in", crlFile.path, "-noout", "-text",
                                                       "-CAfile", keys.path(KeyDirectory.File.chain)])
            #expect(crl.status == 0 && crl.combinedOutput.contains("verify OK"), "\(crl.combinedOutput)")
            let listed = crl.output.split(separator: "\n").compactMap { line -> String? in
                guard let range = line.range(of: "Serial Number: ") else { return nil }
                return Self.canonical(String(line[range.upperBound...]))
            }
            #expect(listed.contains(Self.canonical(serial)), "the CRL of instance C lists \(serial): \(listed)")

            #expect(try cluster.ports.indices.map { try Self.digests(of: cluster.keys(of: $0)) } == snapshot,
                    "a running instance writes nothing to its key directory: the state is in the database")
            #expect(cluster.serverErrors().isEmpty, "\(cluster.serverErrors())")
        }

        /// `openssl ocsp`'s verdict on `serial` (good, revoked or unknown) from the responder at `base`.
        static func ocspStatus(_ serial: String, at base: String, keys: KeyDirectory) throws -> String {
            let result = try ExternalTool.run("openssl", [
                "ocsp", "-issuer", keys.path(KeyDirectory.Role.issuingCA.certificateFile), "-serial", "0x" + canonical(serial),
                "-url", base + "/pki/ocsp", "-CAfile", keys.path(KeyDirectory.Role.rootCA.certificateFile)])
            guard result.status == 0, result.combinedOutput.contains("Response verify OK") else {
                return "failed: \(result.combinedOutput)"
            }
            let line = result.output.split(separator: "\n").first { $0.hasPrefix("0x") } ?? ""
            return line.split(separator: ":").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "none: \(result.output)"
        }

        /// A serial number as uppercase hex without leading zeros.
        static func canonical(_ serial: String) -> String {
            let hex = serial.uppercased().filter { $0.isHexDigit }
            let trimmed = hex.drop { $0 == "0" }
            return trimmed.isEmpty ? "0" : String(trimmed)
        }

        /// Every file under `directory`, by relative path, with its SHA-256.
        static func digests(of directory: URL) throws -> [String: String] {
            var result: [String: String] = [:]
            let enumerator = FileManager.default.enumerator(atPath: directory.path)
            while let name = enumerator?.nextObject() as? String {
                let url = directory.appendingPathComponent(name)
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
                result[name] = DigestAlgorithm.sha256.hash(Array(try Data(contentsOf: url))).hexString
            }
            return result
        }
    }
}
