import COpenSSL

/// Process-wide OpenSSL set-up.
///
/// Nothing in SignetCrypto needs it: OpenSSL initialises itself on first use. A short-lived
/// process (the `signet` CLI) calls `prepare()` first thing, before any other OpenSSL call.
public enum CryptoLibrary {
    /// Initialises OpenSSL (reading its configuration file, as automatic initialisation
    /// would) and fetches the digests Signet uses. Idempotent and thread-safe.
    ///
    /// When this is the process's first OpenSSL call, OpenSSL's clean-up at exit is turned
    /// off: it only frees memory that the kernel reclaims anyway, and costs time on every
    /// exit of a process that verifies one PDF in a few milliseconds.
    public static func prepare() { _ = prepared }

    private static let prepared: Void = {
        OPENSSL_init_crypto(UInt64(OPENSSL_INIT_LOAD_CONFIG | OPENSSL_INIT_NO_ATEXIT), nil)
        for algorithm in DigestAlgorithm.allCases { _ = algorithm.evpMD }
    }()
}
