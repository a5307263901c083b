/// A problem with one value, before it is attached to a field name.
public struct FieldProblem: Sendable, Hashable {
    public let code: FieldErrorCode
    public let message: String

    public init(_ code: FieldErrorCode, _ message: String) {
        self.code = code
        self.message = message
    }
}

/// The problems one value has (a value can break several rules at once). Never empty when
/// thrown or returned as a failure.
public struct FieldProblems: Error, Sendable, Hashable, ExpressibleByArrayLiteral, Sequence {
    public private(set) var items: [FieldProblem]

    public init(arrayLiteral elements: FieldProblem...) { items = elements }
    public init(_ items: [FieldProblem] = []) { self.items = items }

    public var isEmpty: Bool { items.isEmpty }
    public mutating func append(_ problem: FieldProblem) { items.append(problem) }
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
