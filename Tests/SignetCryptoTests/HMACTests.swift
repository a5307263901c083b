import Foundation
import SignetCrypto
import SignetTestSupport
import Testing

/// HMAC-SHA256 against RFC 4231's test vectors and the `openssl mac` command.
@Suite("HMAC-SHA256")
struct HMACTests {
    /// RFC 4231 section 4: test cases 1, 2, 3, 4, 6 and 7 (5 is a truncated MAC).
    static let vectors: [(key: [UInt8], data: [UInt8], mac: String)] = [
        ([UInt8](repeating: 0x0B, count: 20), Array("Hi There".utf8),
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        (Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        ([UInt8](repeating: 0xAA, count: 20), [UInt8](repeating: 0xDD, count: 50),
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        ((1...25).map { UInt8($0) }, [UInt8](repeating: 0xCD, count: 50),
         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        ([UInt8](repeating: 0xAA, count: 131), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        ([UInt8](repeating: 0xAA, count: 131),
         Array(("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be "
                + "hashed before being used by the HMAC algorithm.").utf8),
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ]

    @Test("RFC 4231 test vectors", arguments: 0..<vectors.count)
    func rfc4231(index: Int) throws {
        let vector = Self.vectors[index]
        let mac = try HMACSHA256.authenticationCode(vector.data, key: vector.key)
        #expect(mac.hexString == vector.mac)
        #expect(try HMACSHA256.isValid(mac, for: vector.data, key: vector.key))
        var altered = mac
        altered[31] ^= 1
        #expect(try !HMACSHA256.isValid(altered, for: vector.data, key: vector.key))
        #expect(try !HMACSHA256.isValid(Array(mac.prefix(16)), for: vector.data, key: vector.key))
    }

    @Test("Agrees with `openssl mac`, also for an empty key and an empty message")
    func openSSLOracle() throws {
        let cases: [([UInt8], [UInt8])] = [([], []), ([1, 2, 3], []), ([], Array("body".utf8)),
                                           ((0..<32).map { UInt8($0) }, Array("msg_1.1700000000.{\"a\":1}".utf8))]
        for (key, message) in cases {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hmac-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let input = directory.appendingPathComponent("in")
            try Data(message).write(to: input)
            let keyOption = key.isEmpty ? "hexkey:" : "hexkey:\(key.hexString)"
            let result = try ExternalTool.run("openssl", ["mac", "-digest", "SHA256", "-macopt", keyOption, "-in", input.path, "HMAC"])
            #expect(result.status == 0, "\(result.combinedOutput)")
            #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
                    == (try HMACSHA256.authenticationCode(message, key: key)).hexString)
        }
    }
}
