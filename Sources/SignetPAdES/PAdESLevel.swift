/// The PAdES baseline levels (ETSI EN 319 142-1).
public enum PAdESLevel: String, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
    /// Basic: CAdES-detached CMS with signing-certificate-v2.
    case bB = "B-B"
    /// With a signature timestamp.
    case bT = "B-T"
    /// With the validation data (chains, CRLs, OCSP) in a DSS.
    case bLT = "B-LT"
    /// With a document timestamp over the DSS.
    case bLTA = "B-LTA"

    /// The level as ETSI writes it: `B-B`, `B-T`, `B-LT`, `B-LTA`.
    public var description: String { rawValue }

    /// Orders by what a level adds: `B-B` < `B-T` < `B-LT` < `B-LTA`.
    public static func < (lhs: PAdESLevel, rhs: PAdESLevel) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
