/// Pragmatic e-mail address validation (RFC 5321 limits, RFC 5322 dot-atom local part,
/// an ASCII DNS domain with at least two labels). Quoted local parts and address literals
/// are refused: they are legal but no contract contact uses them, and they hide typos.
public enum EmailAddress {
    private static let localSpecials = Set("!#$%&'*+/=?^_`{|}~-.")

    /// Checks `raw`. - Returns: the address trimmed, with the domain in lower case.
    public static func validate(_ raw: String) -> Result<String, FieldProblems> {
        let address = raw.trimmingWhitespace()
        func fail(_ why: String) -> Result<String, FieldProblems> {
            .failure([.init(.invalidEmail, why)])
        }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return fail("must contain exactly one '@'") }
        let local = parts[0], domain = parts[1].lowercased()
        guard !local.isEmpty, local.utf8.count <= 64 else { return fail("the part before '@' must be 1 to 64 characters") }
        guard local.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || localSpecials.contains($0)) }) else {
            return fail("the part before '@' may only contain letters, digits and ! # $ % & ' * + / = ? ^ _ ` { | } ~ - .")
        }
        guard !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..") else {
            return fail("the part before '@' must not start or end with a dot or contain two dots in a row")
        }
        guard address.utf8.count <= 254 else { return fail("must be at most 254 characters") }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return fail("the domain must have at least two parts, e.g. example.com") }
        for label in labels {
            guard !label.isEmpty, label.count <= 63,
                  label.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }),
                  !label.hasPrefix("-"), !label.hasSuffix("-")
            else {
                return fail("domain part '\(label)' is not a valid host name label (ASCII letters, digits, inner hyphens; use punycode for non-ASCII domains)")
            }
        }
        guard let tld = labels.last, tld.count >= 2, tld.allSatisfy(\.isLetter) || tld.hasPrefix("xn--") else {
            return fail("the domain must end in a top-level domain such as .com or .cn")
        }
        return .success("\(local)@\(domain)")
    }
}
