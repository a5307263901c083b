public import FoundationEssentials
import SignetCrypto

/// The visible appearance of a signature: a Chinese-business-style red round seal (double
/// ring, the company name along the upper rim, a five-pointed star, optionally a line such as
/// 合同专用章 under it) with the signer's name and the signing time beside or under it.
///
/// `render()` returns a one-page PDF of exactly `width` × `height` points with everything
/// drawn inside the page and the fonts embedded, meant to be imported as the Form XObject
/// of a PAdES signature widget of the same size (a `SignatureBox`). The output is
/// deterministic: the same values give the same bytes.
public struct SealAppearance: Sendable, Hashable {
    /// Set along the upper rim, each character turned to follow the arc (Chinese or Latin).
    public var companyName: String
    /// A short line under the star (e.g. `合同专用章`), or nil.
    public var centerLine: String?
    /// The person who signed, printed next to the seal.
    public var signerName: String
    /// When the signature was made, printed with its UTC offset.
    public var signedAt: Date
    /// Offset from UTC of the printed time, in seconds (28800 = +08:00).
    public var utcOffsetSeconds: Int
    /// Language of the small captions ("签署人" / "Signed by").
    public var captionLanguage: ContractLanguage
    /// Page size in points: the size of the signature widget.
    public var width: Double
    /// Page height in points.
    public var height: Double

    /// A seal appearance of `width` × `height` points.
    public init(companyName: String, centerLine: String? = nil, signerName: String, signedAt: Date,
                utcOffsetSeconds: Int = 8 * 3600, captionLanguage: ContractLanguage = .chinese,
                width: Double, height: Double) {
        self.companyName = companyName
        self.centerLine = centerLine
        self.signerName = signerName
        self.signedAt = signedAt
        self.utcOffsetSeconds = utcOffsetSeconds
        self.captionLanguage = captionLanguage
        self.width = width
        self.height = height
    }

    /// A seal that fills `box` (e.g. the signature box a rendered contract reported).
    public init(companyName: String, centerLine: String? = nil, signerName: String, signedAt: Date,
                utcOffsetSeconds: Int = 8 * 3600, captionLanguage: ContractLanguage = .chinese, box: SignatureBox) {
        self.init(companyName: companyName, centerLine: centerLine, signerName: signerName, signedAt: signedAt,
                  utcOffsetSeconds: utcOffsetSeconds, captionLanguage: captionLanguage,
                  width: box.rect.width, height: box.rect.height)
    }

    /// The signing time as printed: `2025-03-01 10:00:00 +08:00`.
    public var signedAtText: String {
        let iso = TimeText.iso8601(signedAt, offsetFromUTC: utcOffsetSeconds)
        return iso.prefix(10) + " " + iso.dropFirst(11).prefix(8) + " " + iso.suffix(6)
    }

    /// Every problem with the parameters (empty when valid).
    public var problems: [String] {
        var problems: [String] = []
        if !(40...800).contains(width) || !(30...800).contains(height) {
            problems.append("size \(width)×\(height) pt is outside 40–800 × 30–800 pt")
        }
        for (name, text, limit) in [("company name", companyName, 60), ("signer name", signerName, 60), ("centre line", centerLine ?? "x", 20)] {
            let trimmed = text.trimmingWhitespace()
            if trimmed.isEmpty || trimmed.count > limit {
                problems.append("\(name) must be 1–\(limit) characters")
            }
            let forbidden = TextChecks.forbiddenCharacters(in: text, allowNewlines: false)
            if !forbidden.isEmpty { problems.append("\(name) contains \(forbidden.joined(separator: ", "))") }
        }
        if utcOffsetSeconds % 60 != 0 || abs(utcOffsetSeconds) > 14 * 3600 {
            problems.append("UTC offset must be whole minutes within ±14:00")
        }
        let seconds = signedAt.timeIntervalSince1970
        if seconds < 0 || seconds > 253_402_300_799 {
            problems.append("signing time must be between 1970 and 9999")
        }
        return problems
    }

    /// The one-page PDF.
    ///
    /// - Throws: `RenderError.invalidSeal` listing every problem (including characters the
    ///   fonts cannot draw), `.fontsUnavailable` or `.cairo`.
    public func render() throws(RenderError) -> [UInt8] {
        let problems = self.problems
        guard problems.isEmpty else { throw .invalidSeal(problems) }
        return try FontEnvironmentPool.withEnvironment { environment throws(RenderError) -> [UInt8] in
            let missing = environment.unsupportedCharacters(in: companyName + signerName + (centerLine ?? ""))
            guard missing.isEmpty else {
                throw .invalidSeal(["contains characters the fonts cannot draw: \(missing.joined(separator: ", "))"])
            }
            return try SealRenderer(appearance: self, environment: environment).render()
        }
    }
}
