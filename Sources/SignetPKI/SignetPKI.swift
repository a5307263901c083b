// SignetPKI: everything that issues — certificate authorities and their database,
// one-time event certificates, CRLs, the OCSP responder, the RFC 3161 TSA, and the
// development key directory (`keys/`). Built on SignetCrypto; it never imports OpenSSL,
// but calls SignetCrypto's package-level issuing helpers where OpenSSL must act.
// Folders by area: docs/engineering.md, "Layers".
