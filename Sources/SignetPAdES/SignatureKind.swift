/// The two kinds of signature dictionaries Signet writes.
public enum SignatureKind: Sendable, Hashable {
    /// An approval signature: `/Type /Sig`, `/SubFilter /ETSI.CAdES.detached`, `/M`.
    case approval
    /// A document timestamp (B-LTA): `/Type /DocTimeStamp`, `/SubFilter /ETSI.RFC3161`.
    case documentTimestamp
}
