import FoundationEssentials
import SignetCrypto
import SignetService
import SignetTemplates

/// Reads a JSON request body strictly, collecting every problem at once: a member of the
/// wrong type (`invalid_type`), a required member missing (`required`), a member the route
/// does not know (`unknown_field`). The controllers turn the issues into one 400
/// `invalid_request` problem; semantic checks (422) are the service's.
struct JSONRequestReader {
    /// Problems found so far.
    private(set) var issues: [ValidationIssue] = []

    /// The body's top-level object with only `allowed` members, or nil (issue recorded).
    mutating func root(_ value: JSONValue, allowed: Set<String>) -> [String: JSONValue]? {
        object(value, path: "", allowed: allowed)
    }

    /// `value` as an object with only `allowed` members.
    mutating func object(_ value: JSONValue, path: String, allowed: Set<String>) -> [String: JSONValue]? {
        guard case .object(let members) = value else {
            issues.append(.init(field: path.isEmpty ? "body" : path, code: "invalid_type", message: "must be an object, got \(value.typeName)"))
            return nil
        }
        for key in members.keys.sorted() where !allowed.contains(key) {
            issues.append(.init(field: join(path, key), code: "unknown_field", message: "is not a member of this request"))
        }
        return members
    }

    /// A string member (`null` counts as absent).
    mutating func string(_ members: [String: JSONValue], _ key: String, path: String = "", required: Bool = false, maxLength: Int = 10_000) -> String? {
        switch members[key] {
        case nil, .null?:
            if required { issues.append(.init(field: join(path, key), code: "required", message: "is required")) }
            return nil
        case .string(let text)?:
            if text.count > maxLength {
                issues.append(.init(field: join(path, key), code: "too_long", message: "at most \(maxLength) characters"))
                return nil
            }
            return text
        case let other?:
            issues.append(.init(field: join(path, key), code: "invalid_type", message: "must be a string, got \(other.typeName)"))
            return nil
        }
    }

    /// A boolean member.
    mutating func bool(_ members: [String: JSONValue], _ key: String, path: String = "") -> Bool? {
        switch members[key] {
        case nil, .null?: return nil
        case .bool(let value)?: return value
        case let other?:
            issues.append(.init(field: join(path, key), code: "invalid_type", message: "must be a boolean, got \(other.typeName)"))
            return nil
        }
    }

    /// An RFC 3339 time member.
    mutating func time(_ members: [String: JSONValue], _ key: String, path: String = "") -> Date? {
        guard let text = string(members, key, path: path, maxLength: 64) else { return nil }
        guard let date = TimeText.parse(text) else {
            issues.append(.init(field: join(path, key), code: "invalid_format", message: "must be an RFC 3339 time such as 2026-12-31T16:00:00Z"))
            return nil
        }
        return date
    }

    /// An object member whose values are all strings.
    mutating func stringMap(_ members: [String: JSONValue], _ key: String, path: String = "") -> [String: String]? {
        switch members[key] {
        case nil, .null?: return nil
        case .object(let entries)?:
            var map: [String: String] = [:]
            for (name, value) in entries {
                guard case .string(let text) = value else {
                    issues.append(.init(field: join(join(path, key), name), code: "invalid_type", message: "must be a string, got \(value.typeName)"))
                    continue
                }
                map[name] = text
            }
            return map
        case let other?:
            issues.append(.init(field: join(path, key), code: "invalid_type", message: "must be an object, got \(other.typeName)"))
            return nil
        }
    }

    /// An object member, checked for unknown members.
    mutating func nestedObject(_ members: [String: JSONValue], _ key: String, path: String = "", allowed: Set<String>,
                               required: Bool = false) -> [String: JSONValue]? {
        switch members[key] {
        case nil, .null?:
            if required { issues.append(.init(field: join(path, key), code: "required", message: "is required")) }
            return nil
        case let value?:
            return object(value, path: join(path, key), allowed: allowed)
        }
    }

    /// An array member.
    mutating func array(_ members: [String: JSONValue], _ key: String, path: String = "", maxCount: Int = 100) -> [JSONValue]? {
        switch members[key] {
        case nil, .null?: return nil
        case .array(let items)?:
            if items.count > maxCount {
                issues.append(.init(field: join(path, key), code: "too_many_items", message: "at most \(maxCount) items"))
                return nil
            }
            return items
        case let other?:
            issues.append(.init(field: join(path, key), code: "invalid_type", message: "must be an array, got \(other.typeName)"))
            return nil
        }
    }

    /// An array member of strings (each other item is an `invalid_type` issue at `key[i]`).
    mutating func stringArray(_ members: [String: JSONValue], _ key: String, path: String = "", maxCount: Int = 100) -> [String]? {
        guard let items = array(members, key, path: path, maxCount: maxCount) else { return nil }
        var strings: [String] = []
        for (index, item) in items.enumerated() {
            guard case .string(let text) = item else {
                issues.append(.init(field: "\(join(path, key))[\(index)]", code: "invalid_type", message: "must be a string"))
                continue
            }
            strings.append(text)
        }
        return strings
    }

    private func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
}
