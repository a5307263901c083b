/// Reads one JSON object key by key, recording a problem for every missing, mistyped or
/// unknown key instead of stopping at the first.
struct JSONObjectReader {
    let object: [String: JSONValue]
    let path: String
    private(set) var used: Set<String> = []
    private(set) var problems: [String] = []

    /// `nil` (with a problem) when `value` is not an object.
    init?(_ value: JSONValue, path: String, problems: inout [String]) {
        guard case .object(let object) = value else {
            problems.append("\(path): expected an object, got \(value.typeName)")
            return nil
        }
        self.object = object
        self.path = path
    }

    mutating func problem(_ message: String, key: String? = nil) {
        problems.append("\(path)\(key.map { ".\($0)" } ?? ""): \(message)")
    }

    /// Records a problem that already names its full path.
    mutating func record(_ fullProblem: String) {
        problems.append(fullProblem)
    }

    mutating func value(_ key: String) -> JSONValue? {
        used.insert(key)
        if case .null? = object[key] { return nil }
        return object[key]
    }

    mutating func string(_ key: String, required: Bool = false) -> String? {
        guard let value = value(key) else {
            if required { problem("is required", key: key) }
            return nil
        }
        guard case .string(let text) = value else {
            problem("expected a string, got \(value.typeName)", key: key)
            return nil
        }
        return text
    }

    /// A number or a numeric string, as exact decimal text.
    mutating func decimal(_ key: String) -> DecimalText? {
        guard let value = value(key) else { return nil }
        switch value {
        case .number(let text), .string(let text):
            if let decimal = DecimalText(text) { return decimal }
            problem("'\(text)' is not a plain decimal number", key: key)
        default:
            problem("expected a number, got \(value.typeName)", key: key)
        }
        return nil
    }

    mutating func int(_ key: String, in range: ClosedRange<Int>) -> Int? {
        guard let value = value(key) else { return nil }
        guard case .number(let text) = value, let number = Int(text) else {
            problem("expected a whole number, got \(value.typeName == "a number" ? "a fraction" : value.typeName)", key: key)
            return nil
        }
        guard range.contains(number) else {
            problem("must be between \(range.lowerBound) and \(range.upperBound), got \(number)", key: key)
            return nil
        }
        return number
    }

    mutating func double(_ key: String, in range: ClosedRange<Double>) -> Double? {
        guard let value = value(key) else { return nil }
        guard case .number(let text) = value, let number = Double(text) else {
            problem("expected a number, got \(value.typeName)", key: key)
            return nil
        }
        guard range.contains(number) else {
            problem("must be between \(range.lowerBound) and \(range.upperBound), got \(text)", key: key)
            return nil
        }
        return number
    }

    mutating func bool(_ key: String) -> Bool? {
        guard let value = value(key) else { return nil }
        guard case .bool(let flag) = value else {
            problem("expected true or false, got \(value.typeName)", key: key)
            return nil
        }
        return flag
    }

    mutating func array(_ key: String, required: Bool = false) -> [JSONValue]? {
        guard let value = value(key) else {
            if required { problem("is required", key: key) }
            return nil
        }
        guard case .array(let items) = value else {
            problem("expected an array, got \(value.typeName)", key: key)
            return nil
        }
        return items
    }

    /// A string, or an object of language tag → string.
    mutating func localized(_ key: String, required: Bool = false) -> LocalizedText? {
        guard let value = value(key) else {
            if required { problem("is required", key: key) }
            return nil
        }
        switch value {
        case .string(let text) where !text.isEmpty:
            return LocalizedText(text)
        case .object(let texts):
            var out: [String: String] = [:]
            for (language, text) in texts {
                guard ContractLanguage(rawValue: language) != nil else {
                    problem("unknown language '\(language)' (use \(ContractLanguage.allCases.map(\.rawValue).joined(separator: ", ")))", key: key)
                    continue
                }
                guard case .string(let string) = text, !string.isEmpty else {
                    problem("the \(language) text must be a non-empty string", key: key)
                    continue
                }
                out[language] = string
            }
            if out.isEmpty { problem("needs at least one language", key: key) }
            return out.isEmpty ? nil : LocalizedText(byLanguage: out)
        default:
            problem("expected a non-empty string or an object of language → text", key: key)
            return nil
        }
    }

    /// Records a problem for every key that was never read (typos such as `maxLenght`).
    mutating func finish() -> [String] {
        for key in object.keys.sorted() where !used.contains(key) {
            problem("unknown key '\(key)'")
        }
        return problems
    }
}
