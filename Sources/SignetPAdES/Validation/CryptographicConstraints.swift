import FoundationEssentials
import SignetCrypto

/// Signet's cryptographic constraints (ETSI EN 319 102-1 §5.2.8), after NIST SP 800-131A
/// Rev. 2: SHA-1 is disallowed for digital signature generation after 2013, and RSA and DSA
/// keys shorter than 2048 bits after 2013. Everything else Signet can verify (SHA-2, SHA-3,
/// SHAKE256 with Ed448, RSA PKCS#1 v1.5 and PSS, ECDSA on any curve OpenSSL knows, EdDSA)
/// is acceptable; algorithms it cannot verify never get here (the CMS check reports them). A signature that uses them is acceptable only when
/// something proves it existed before the cut-off; otherwise it is
/// INDETERMINATE / CRYPTO_CONSTRAINTS_FAILURE_NO_POE.
enum CryptographicConstraints {
    /// Algorithms not acceptable for signatures made on or after this time.
    static let weakAlgorithmCutoff = Date(timeIntervalSince1970: 1_388_534_400)  // 2014-01-01T00:00:00Z

    /// The constraint check for a signature (or token) with `digest`, `scheme` and the
    /// signer's `key`, proven to exist at `time`.
    static func check(digest: DigestAlgorithm?, scheme: SignatureScheme?, key: PublicKey?, time: TimeContext,
                      what: String) -> ValidationCheck {
        var weak: [String] = []
        if digest == .sha1 { weak.append("the SHA-1 digest of the signed data") }
        if let schemeDigest = scheme?.digest, schemeDigest == .sha1, digest != .sha1 { weak.append("SHA-1 in the signature algorithm") }
        if let key, let (family, bits) = finiteFieldKey(key), bits < 2048 { weak.append("a \(bits)-bit \(family) key") }
        let used = [digest.map(\.rawValue), scheme.map(\.description), key?.algorithmDescription].compactMap { $0 }.joined(separator: ", ")
        guard !weak.isEmpty else {
            return .passed(.cryptographicConstraints, "The \(what) uses acceptable algorithms (\(used)).")
        }
        let list = weak.joined(separator: " and ")
        if time.bestTime < weakAlgorithmCutoff {
            return .passed(.cryptographicConstraints,
                           "The \(what) uses \(list), acceptable because it is proven to exist at \(TimeText.sentence(time.bestTime)), before \(TimeText.sentence(weakAlgorithmCutoff)).")
        }
        return .problem(.cryptographicConstraints, .cryptoConstraintsFailureNoPOE,
                        "The \(what) uses \(list), which is no longer secure (not acceptable after \(TimeText.sentence(weakAlgorithmCutoff))), and nothing proves it existed before then.")
    }

    /// "RSA" or "DSA" and the key's size, for the keys whose strength is their modulus size.
    private static func finiteFieldKey(_ key: PublicKey) -> (String, Int)? {
        let parts = key.algorithmDescription.split(separator: " ")
        guard parts.count == 2, let bits = Int(parts[1]) else { return nil }
        switch parts[0] {
        case "RSA", "RSA-PSS": return ("RSA", bits)
        case "DSA": return ("DSA", bits)
        default: return nil
        }
    }
}
