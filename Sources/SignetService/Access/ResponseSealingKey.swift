import FoundationEssentials
import SignetCrypto

/// The persistent key that seals stored idempotent responses: 32 random bytes in a 0600 file
/// beside the PKI (`keys/response-sealing.key`), so every instance that reads the key
/// directory can replay what another stored.
public enum ResponseSealingKey {
    /// The file name in the key directory.
    public static let fileName = "response-sealing.key"

    /// The key in `directory`, created (0600) when missing.
    public static func loadOrCreate(inDirectory directory: String) throws -> [UInt8] {
        let path = directory.hasSuffix("/") ? directory + fileName : directory + "/" + fileName
        if let data = FileManager.default.contents(atPath: path) {
            guard data.count == AESGCM.keyLength else { throw CryptoError.malformed("\(path) must hold \(AESGCM.keyLength) bytes") }
            return Array(data)
        }
        let key = SecureRandom.bytes(AESGCM.keyLength)
        do {
            try SecureFile.write(key, to: path, mode: 0o600)
        } catch {
            // Another instance sharing the directory created it first: use that one, so every
            // instance seals and opens stored responses with the same key.
            guard let data = FileManager.default.contents(atPath: path), data.count == AESGCM.keyLength else { throw error }
            return Array(data)
        }
        return key
    }
}
