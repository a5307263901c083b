// SignetCrypto: what a verifier (and a signer) needs, over OpenSSL — keys, certificates,
// names, digests, CMS building and verification, path validation, revocation checking,
// RFC 3161 timestamp verification and client, and the HTTP transport for TSA and OCSP posts.
// The issuing side (CAs, CRL issuing, the OCSP responder, the TSA, the key directory) is
// SignetPKI, which reaches OpenSSL through this target's package-level issuing helpers
// (`CertificateBuilder`, `CertificateRevocationList.sign`, `OCSPResponseSigning`).
// The only importer of OpenSSL (COpenSSL). Folders by area: docs/engineering.md, "Layers".
