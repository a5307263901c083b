/// A problem with one value, before it is attached to a field name.
public struct FieldProblem: Sendable, Hashable {
    /// Why the value was refused.
    public let code: FieldErrorCode
    /// A sentence for people.
    public let message: String

    /// A problem with its code and message.
    public init(_ code: FieldErrorCode, _ message: String) {
        self.code = code
        self.message = message
    }
}

/// The problems one value has (a value can break several rules at once). Never empty when
/// thrown or returned as a failure.
public struct FieldProblems: Error, Sendable, Hashable, ExpressibleByArrayLiteral, Sequence {
    /// The problems, in the order found.
    public private(set) var items: [FieldProblem]

    /// A stable, machine-readable code, `fields.invalid_value` (docs/error-codes.md); each
    /// problem's own code is in `items`.
    public var code: String { "fields.invalid_value" }

    /// The listed problems.
    public init(arrayLiteral elements: FieldProblem...) { items = elements }
    /// The given problems (none by default).
    public init(_ items: [FieldProblem] = []) { self.items = items }

    /// Whether there is no problem.
    public var isEmpty: Bool { items.isEmpty }
    /// Adds a problem.
    public mutating func append(_ problem: FieldProblem) { items.append(problem) }
    /// Iterates the problems in order.
    public func makeIterator() -> IndexingIterator<[FieldProblem]> { items.makeIterator() }

    /// The problems as errors of `field`.
    public func errors(field: String) -> [FieldError] {
        items.map { FieldError(field: field, code: $0.code, message: $0.message) }
    }
}

extension StringProtocol {
    /// The string without leading and trailing white space and newlines.
    func trimmingWhitespace() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}
