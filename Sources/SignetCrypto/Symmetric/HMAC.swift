import COpenSSL

/// HMAC-SHA256 (RFC 2104, FIPS 198-1) over OpenSSL's one-shot `HMAC()`: the MAC of
/// Standard Webhooks signatures.
public enum HMACSHA256 {
    /// The MAC length in bytes.
    public static let length = 32

    /// The HMAC-SHA256 of `message` under `key` (any length; longer than 64 bytes is hashed
    /// first, as RFC 2104 says).
    public static func authenticationCode(_ message: [UInt8], key: [UInt8]) throws -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        // An empty array may have no storage: give OpenSSL a valid pointer with length 0.
        let result = key.withUnsafeBufferPointer { keyBytes in
            message.withUnsafeBufferPointer { messageBytes in
                HMAC(EVP_sha256(), keyBytes.baseAddress ?? UnsafePointer(output), Int32(keyBytes.count),
                     messageBytes.baseAddress ?? UnsafePointer(output), messageBytes.count, &output, &length)
            }
        }
        guard result != nil, Int(length) == Self.length else { throw OpenSSLError.drain("HMAC") }
        return Array(output[..<Self.length])
    }

    /// Whether `code` is the HMAC-SHA256 of `message` under `key`, compared in constant time.
    public static func isValid(_ code: [UInt8], for message: [UInt8], key: [UInt8]) throws -> Bool {
        let expected = try authenticationCode(message, key: key)
        guard code.count == expected.count else { return false }
        var difference: UInt8 = 0
        for index in expected.indices { difference |= expected[index] ^ code[index] }
        return difference == 0
    }
}
