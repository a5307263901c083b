/// Character-level rules for anything printed into a contract.
///
/// A contract must show exactly what was agreed. Characters that change how text is
/// displayed without being visible themselves are refused: bidirectional overrides and
/// isolates (they can reorder "100" into "001" on the page), zero-width characters,
/// control characters, private-use and unassigned code points.
public enum TextChecks {
    /// The forbidden characters of `text`, each described for people
    /// ("U+202E RIGHT-TO-LEFT OVERRIDE at character 12"). Line feeds are allowed when
    /// `allowNewlines`.
    public static func forbiddenCharacters(in text: String, allowNewlines: Bool) -> [String] {
        var found: [String] = []
        var position = 0
        for character in text {
            position += 1
            for scalar in character.unicodeScalars where isForbidden(scalar, allowNewlines: allowNewlines) {
                found.append("\(describe(scalar)) at character \(position)")
            }
        }
        return found
    }

    static func isForbidden(_ scalar: Unicode.Scalar, allowNewlines: Bool) -> Bool {
        let v = scalar.value
        if v == 0x0A { return !allowNewlines }
        switch v {
        case 0x00...0x1F, 0x7F...0x9F: return true  // C0 (incl. tab, CR) and C1 controls
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true  // bidi controls
        case 0x200B...0x200D, 0x2060...0x2064, 0xFEFF: return true  // zero-width and invisible operators
        case 0x2028, 0x2029: return true  // line/paragraph separators
        case 0xE000...0xF8FF, 0xF0000...0x10FFFF: return true  // private use
        case 0xFDD0...0xFDEF: return true  // noncharacters
        default: break
        }
        if v & 0xFFFE == 0xFFFE { return true }  // U+xxFFFE / U+xxFFFF noncharacters
        return scalar.properties.generalCategory == .unassigned
    }

    static func describe(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        if let name = scalar.properties.name ?? scalar.properties.nameAlias {
            return "\(code) \(name)"
        }
        return code
    }

    /// Length, characters and pattern rules of a text or multi-line field.
    static func validate(_ text: String, rules: TextRules, multiline: Bool) -> Result<String, FieldProblems> {
        var value = text.trimmingWhitespace()
        if multiline {
            value = value.replacingCRLF()
        }
        var problems = FieldProblems()
        let forbidden = forbiddenCharacters(in: value, allowNewlines: multiline)
        if !forbidden.isEmpty {
            problems.append(.init(.forbiddenCharacter, "contains characters not allowed in a contract: \(forbidden.joined(separator: ", "))"))
        }
        let length = value.count
        if length < rules.minLength {
            problems.append(.init(.tooShort, "must be at least \(rules.minLength) characters, got \(length)"))
        }
        if length > rules.maxLength {
            problems.append(.init(.tooLong, "must be at most \(rules.maxLength) characters, got \(length)"))
        }
        if let pattern = rules.pattern, let regex = try? Regex(pattern), (try? regex.wholeMatch(in: value)) == nil {
            problems.append(.init(.patternMismatch, "must be \(rules.patternHint ?? "of the form /\(pattern)/")"))
        }
        return problems.isEmpty ? .success(value) : .failure(problems)
    }
}

extension String {
    /// CR LF and lone CR turned into LF (CR itself is then refused as a control character
    /// only if it was alone in a single-line field).
    func replacingCRLF() -> String {
        var out = ""
        var previousCR = false
        for scalar in unicodeScalars {
            if scalar == "\r" {
                out.unicodeScalars.append("\n")
                previousCR = true
                continue
            }
            if scalar == "\n", previousCR {
                previousCR = false
                continue
            }
            previousCR = false
            out.unicodeScalars.append(scalar)
        }
        return out
    }
}
