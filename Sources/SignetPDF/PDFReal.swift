/// A PDF real number (ISO 32000-2 §7.3.3) that remembers how it was written.
///
/// Parsed reals keep their source text (`.5`, `-3.250`), so re-serialising a parsed object
/// reproduces the same bytes. Reals made in code are written in a fixed-point form without
/// exponent (PDF has none), trimmed of trailing zeros. Equality is numeric.
public struct PDFReal: Sendable, Hashable, CustomStringConvertible {
    /// The numeric value.
    public let value: Double
    /// The text to write: the source text for parsed reals, a normalised form otherwise.
    public let text: String

    /// A real with the given value, formatted with at most `fractionDigits` decimals.
    public init(_ value: Double, fractionDigits: Int = 6) {
        self.value = value.isFinite ? value : 0
        self.text = PDFReal.format(self.value, fractionDigits: fractionDigits)
    }

    /// A real parsed from `text`; the text is kept verbatim.
    init(parsedValue: Double, text: String) {
        self.value = parsedValue
        self.text = text
    }

    /// Numeric equality: `.5` and `0.50` are equal.
    public static func == (lhs: PDFReal, rhs: PDFReal) -> Bool { lhs.value == rhs.value }
    /// Hashes the numeric value, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(value) }

    /// The text written to a file (`text`).
    public var description: String { text }

    /// Fixed-point formatting without exponent: `1.5`, `-0.25`, `3`, `0.000001`.
    static func format(_ value: Double, fractionDigits: Int) -> String {
        let digits = max(0, min(fractionDigits, 10))
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9.0e15 else {
            // Beyond exact integer range for this many decimals: print the integer part.
            let whole = abs(value).rounded()
            return (value < 0 ? "-" : "") + String(UInt64(min(whole, 9.0e18)))
        }
        let units = UInt64(scaled)
        let factor = UInt64(scale)
        let whole = units / factor
        var fraction = factor == 1 ? "" : String(units % factor)
        if !fraction.isEmpty {
            fraction = String(repeating: "0", count: digits - fraction.count) + fraction
            while fraction.hasSuffix("0") { fraction.removeLast() }
        }
        let sign = (value < 0 && units != 0) ? "-" : ""
        return fraction.isEmpty ? sign + String(whole) : sign + String(whole) + "." + fraction
    }
}
