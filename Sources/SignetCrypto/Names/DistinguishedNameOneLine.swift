import COpenSSL

extension DistinguishedName {
    /// The name in OpenSSL's one-line form ("/C=CN/O=.../CN=..."), as `openssl ca` writes
    /// it into an `index.txt` (SignetPKI's `CertificateAuthorityDatabase`).
    package func openSSLOneLine() throws -> String {
        try withX509Name(self) { name -> String in
            guard let line = X509_NAME_oneline(name, nil, 0) else { throw OpenSSLError.drain("X509_NAME_oneline") }
            defer { signet_OPENSSL_free(line) }
            return String(cString: line)
        }
    }
}
