import COpenSSL

/// AES-256-GCM authenticated encryption (NIST SP 800-38D) over OpenSSL's EVP interface, for
/// secrets a service must keep at rest but never in the clear (e.g. replayable responses that
/// hold a one-time link). A sealed box is `nonce (12) ‖ ciphertext ‖ tag (16)`, the nonce
/// random per seal.
public enum AESGCM {
    /// Key length in bytes.
    public static let keyLength = 32
    /// Nonce length in bytes.
    public static let nonceLength = 12
    /// Tag length in bytes.
    public static let tagLength = 16

    /// `plaintext` sealed under `key` (32 bytes), authenticating `associatedData` too.
    public static func seal(_ plaintext: [UInt8], key: [UInt8], associatedData: [UInt8] = []) throws -> [UInt8] {
        guard key.count == keyLength else { throw CryptoError.malformed("an AES-256-GCM key is 32 bytes") }
        var nonce = [UInt8](repeating: 0, count: nonceLength)
        guard RAND_bytes(&nonce, Int32(nonceLength)) == 1 else { throw OpenSSLError.drain("RAND_bytes") }
        let context = try CipherContext()
        var output = [UInt8](repeating: 0, count: plaintext.count + 16)
        var length: Int32 = 0, total = 0
        guard EVP_EncryptInit_ex(context.handle, EVP_aes_256_gcm(), nil, key, nonce) == 1,
              associatedData.isEmpty || EVP_EncryptUpdate(context.handle, nil, &length, associatedData, Int32(associatedData.count)) == 1,
              EVP_EncryptUpdate(context.handle, &output, &length, plaintext, Int32(plaintext.count)) == 1 else {
            throw OpenSSLError.drain("AES-GCM encrypt")
        }
        total = Int(length)
        let finished = output.withUnsafeMutableBufferPointer { EVP_EncryptFinal_ex(context.handle, $0.baseAddress! + total, &length) }
        guard finished == 1 else { throw OpenSSLError.drain("AES-GCM encrypt") }
        total += Int(length)
        var tag = [UInt8](repeating: 0, count: tagLength)
        guard EVP_CIPHER_CTX_ctrl(context.handle, EVP_CTRL_GCM_GET_TAG, Int32(tagLength), &tag) == 1 else {
            throw OpenSSLError.drain("AES-GCM tag")
        }
        return nonce + output[..<total] + tag
    }

    /// The plaintext of a box sealed under `key` with `associatedData`; throws when the box was
    /// altered, truncated, or sealed under another key or other associated data.
    public static func open(_ box: [UInt8], key: [UInt8], associatedData: [UInt8] = []) throws -> [UInt8] {
        guard key.count == keyLength else { throw CryptoError.malformed("an AES-256-GCM key is 32 bytes") }
        guard box.count >= nonceLength + tagLength else { throw CryptoError.malformed("the sealed box is too short") }
        let nonce = Array(box[..<nonceLength])
        let ciphertext = Array(box[nonceLength..<(box.count - tagLength)])
        var tag = Array(box[(box.count - tagLength)...])
        let context = try CipherContext()
        var output = [UInt8](repeating: 0, count: ciphertext.count + 16)
        var length: Int32 = 0
        guard EVP_DecryptInit_ex(context.handle, EVP_aes_256_gcm(), nil, key, nonce) == 1,
              associatedData.isEmpty || EVP_DecryptUpdate(context.handle, nil, &length, associatedData, Int32(associatedData.count)) == 1,
              EVP_DecryptUpdate(context.handle, &output, &length, ciphertext, Int32(ciphertext.count)) == 1,
              EVP_CIPHER_CTX_ctrl(context.handle, EVP_CTRL_GCM_SET_TAG, Int32(tagLength), &tag) == 1 else {
            throw OpenSSLError.drain("AES-GCM decrypt")
        }
        let total = Int(length)
        let finished = output.withUnsafeMutableBufferPointer { EVP_DecryptFinal_ex(context.handle, $0.baseAddress! + total, &length) }
        OpenSSLError.clearQueue()
        guard finished == 1 else { throw CryptoError.malformed("the sealed box does not open (altered, or another key)") }
        return Array(output[..<(total + Int(length))])
    }
}

/// An `EVP_CIPHER_CTX`, freed in `deinit`.
final class CipherContext {
    let handle: OpaquePointer

    init() throws {
        guard let handle = EVP_CIPHER_CTX_new() else { throw OpenSSLError.drain("EVP_CIPHER_CTX_new") }
        self.handle = handle
    }

    deinit { EVP_CIPHER_CTX_free(handle) }
}
