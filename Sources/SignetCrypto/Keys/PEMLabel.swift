/// The label of the first PEM block in a text ("CERTIFICATE", "X509 CRL", ...), read from
/// its `-----BEGIN <label>-----` line; nil when the text has no such line.
func pemLabel(of text: Substring) -> Substring? {
    guard let begin = text.firstRange(of: "-----BEGIN ") else { return nil }
    let rest = text[begin.upperBound...]
    guard let end = rest.firstRange(of: "-----") else { return nil }
    let label = rest[..<end.lowerBound]
    return label.contains("\n") ? nil : label
}

/// True when the first PEM block is a passphrase-protected private key: encrypted PKCS#8
/// (RFC 5958 label "ENCRYPTED PRIVATE KEY") or a traditional EC/RSA key with an
/// RFC 1421 `Proc-Type: 4,ENCRYPTED` header.
package func isPassphraseProtectedKey(pem text: Substring) -> Bool {
    pemLabel(of: text) == "ENCRYPTED PRIVATE KEY" || text.contains("Proc-Type: 4,ENCRYPTED")
}
