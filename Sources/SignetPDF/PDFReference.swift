/// An indirect reference `N G R` (ISO 32000-2 §7.3.10).
public struct PDFReference: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The object number (1 or more in a well-formed file).
    public var number: Int
    /// The generation number (0...65535).
    public var generation: Int

    /// A reference to object `number`, generation `generation`.
    public init(_ number: Int, _ generation: Int = 0) {
        self.number = number
        self.generation = generation
    }

    /// Orders by object number, then generation.
    public static func < (lhs: PDFReference, rhs: PDFReference) -> Bool {
        (lhs.number, lhs.generation) < (rhs.number, rhs.generation)
    }

    /// `N G R`.
    public var description: String { "\(number) \(generation) R" }
}
