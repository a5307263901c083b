import Foundation
import SignetCrypto
import SignetTestSupport
import Testing

/// AES-256-GCM sealing, cross-checked with pyca/cryptography.
@Suite("AES-256-GCM")
struct AESGCMTests {
    let key = (0..<32).map { UInt8($0 * 7 & 0xFF) }

    @Test("A sealed box opens with its key and associated data; pyca/cryptography opens it too")
    func roundTripAndOracle() throws {
        let message = Array("签名链接 https://example.test/s/abc".utf8)
        let box = try AESGCM.seal(message, key: key, associatedData: Array("scope\u{0}k".utf8))
        #expect(box.count == message.count + 28)
        #expect(try AESGCM.open(box, key: key, associatedData: Array("scope\u{0}k".utf8)) == message)
        #expect(try AESGCM.seal(message, key: key) != AESGCM.seal(message, key: key), "a fresh nonce per seal")
        let script = """
        import sys
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
        key, box, ad = (bytes.fromhex(a) for a in sys.argv[1:4])
        sys.stdout.write(AESGCM(key).decrypt(box[:12], box[12:], ad).hex())
        """
        let python = RepositoryPaths.root.appendingPathComponent(".venv/bin/python").path
        let result = try ExternalTool.run(python, ["-c", script, key.hexString, box.hexString, Array("scope\u{0}k".utf8).hexString])
        #expect(result.status == 0, "\(result.combinedOutput)")
        #expect(result.output == message.hexString)
    }

    @Test("Altered boxes, other keys and other associated data do not open")
    func tampering() throws {
        let box = try AESGCM.seal(Array("secret".utf8), key: key, associatedData: [1])
        var flipped = box
        flipped[14] ^= 1
        #expect(throws: (any Error).self) { try AESGCM.open(flipped, key: key, associatedData: [1]) }
        #expect(throws: (any Error).self) { try AESGCM.open(box, key: key.reversed(), associatedData: [1]) }
        #expect(throws: (any Error).self) { try AESGCM.open(box, key: key, associatedData: [2]) }
        #expect(throws: (any Error).self) { try AESGCM.open(Array(box.prefix(20)), key: key, associatedData: [1]) }
        #expect(throws: (any Error).self) { try AESGCM.seal([1], key: [1, 2, 3]) }
    }
}
