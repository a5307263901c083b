/// A4 pages and the contract's typography, in points.
enum PageGeometry {
    static let width = 595.2756  // 210 mm
    static let height = 841.8898  // 297 mm
    static let marginLeft = 68.0
    static let marginRight = 68.0
    static let bodyTop = 78.0
    static let bodyBottom = height - 74.0
    static let headerBaseline = 46.0
    static let headerRule = 54.0
    static let footerRule = height - 56.0
    static let footerBaseline = height - 40.0

    static var contentWidth: Double { width - marginLeft - marginRight }
    static var bodyHeight: Double { bodyBottom - bodyTop }
}

/// The text styles of the contract: one family (Noto Serif CJK SC, regular and bold) in three
/// sizes — body text, headings and tables at 10.5 pt (五号), the title at 17 pt, page headers
/// and footers at 8 pt. Every extra size costs glyph metrics and outlines per glyph, so sizes
/// are kept few on purpose.
enum ContractStyles {
    static let bodySize = 10.5  // 五号
    static func body(_ alignment: BodyBlock.Alignment = .justified) -> TextStyle {
        TextStyle(family: FontEnvironment.serifFamily, size: bodySize, leading: 1.7, alignment: alignment)
    }
    static let title = TextStyle(family: FontEnvironment.serifFamily, size: 17, bold: true, leading: 1.5, alignment: .center)
    static let heading = TextStyle(family: FontEnvironment.serifFamily, size: bodySize, bold: true, leading: 1.8, alignment: .justified)
    static let subheading = TextStyle(family: FontEnvironment.serifFamily, size: bodySize, bold: true, leading: 1.7)
    static let tableCell = TextStyle(family: FontEnvironment.serifFamily, size: bodySize, leading: 1.5)
    static let tableHeader = TextStyle(family: FontEnvironment.serifFamily, size: bodySize, bold: true, leading: 1.5)
    static let signature = TextStyle(family: FontEnvironment.serifFamily, size: bodySize, leading: 1.8, alignment: .justified)
    static let pageMargin = TextStyle(family: FontEnvironment.serifFamily, size: 8, leading: 1.2, alignment: .justified, grey: 0.35)

    static let paragraphSpacing = 5.0
    static let clauseSpacing = 3.0
    static let headingSpacing = 12.0
    static let titleSpacingAfter = 10.0
    static let tableSpacing = 8.0
    static let tablePadding = 4.0
    static let signatureSpacing = 22.0
}
