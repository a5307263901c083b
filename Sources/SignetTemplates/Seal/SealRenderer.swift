import CPangoCairo
import FoundationEssentials
import Glibc
import SignetCrypto

/// Draws a `SealAppearance` (inside `FontEnvironmentPool.withEnvironment`, with that environment).
struct SealRenderer {
    let appearance: SealAppearance
    let environment: FontEnvironment

    /// Seal red (close to the vermilion of Chinese seal ink).
    static let red = (r: 0.84, g: 0.09, b: 0.12)
    static let padding = 3.0

    func render() throws(RenderError) -> [UInt8] {
        let width = appearance.width, height = appearance.height
        let context = try environment.makeContext(language: appearance.captionLanguage == .english ? "en" : "zh-cn")
        defer { g_object_unref(UnsafeMutableRawPointer(context)) }
        let document = try CairoPDFSurface(width: width, height: height, metadata: .init(
            title: "\(appearance.companyName) — \(appearance.signerName)",
            subject: "Signature appearance",
            keywords: "signer=\(appearance.signerName); signed-at=\(TimeText.iso8601(appearance.signedAt, offsetFromUTC: appearance.utcOffsetSeconds))",
            date: TimeText.iso8601(appearance.signedAt, offsetFromUTC: appearance.utcOffsetSeconds)))
        let cairo = document.cairo
        // Seal beside the text when the box is wide, above it otherwise.
        let pad = Self.padding
        let side = width >= height * 1.45
        let diameter = side ? min(height - 2 * pad, width * 0.47) : min(width - 2 * pad, height * 0.66)
        let radius = diameter / 2
        let center = side ? (x: pad + radius, y: height / 2) : (x: width / 2, y: pad + radius)
        drawSeal(center: center, radius: radius, context: context, cairo: cairo)

        let textBox = side
            ? (x: pad + diameter + 6, y: pad, width: width - diameter - 6 - 2 * pad, height: height - 2 * pad)
            : (x: pad, y: pad + diameter + 3, width: width - 2 * pad, height: height - diameter - 3 - 2 * pad)
        try drawCaption(in: textBox, centered: !side, context: context, cairo: cairo)
        document.showPage()
        return try document.finish()
    }

    // MARK: The seal

    private func drawSeal(center: (x: Double, y: Double), radius: Double, context: OpaquePointer, cairo: OpaquePointer) {
        let (r, g, b) = Self.red
        cairo_set_source_rgb(cairo, r, g, b)
        // Outer ring, thick; inner ring, thin.
        let outerWidth = radius * 0.075
        cairo_set_line_width(cairo, outerWidth)
        cairo_new_path(cairo)
        cairo_arc(cairo, center.x, center.y, radius - outerWidth / 2, 0, 2 * .pi)
        cairo_stroke(cairo)
        let innerRadius = radius * 0.86
        cairo_set_line_width(cairo, max(0.4, radius * 0.018))
        cairo_new_path(cairo)
        cairo_arc(cairo, center.x, center.y, innerRadius, 0, 2 * .pi)
        cairo_stroke(cairo)

        drawStar(center: center, radius: radius * 0.27, cairo: cairo)
        drawRimText(center: center, innerRadius: innerRadius, context: context, cairo: cairo)
        if let line = appearance.centerLine?.trimmingWhitespace(), !line.isEmpty {
            let size = radius * 0.15
            let layout = TextLayout(StyledText(line, bold: true), style: sealStyle(size: size), width: radius * 1.3, context: context)
            let lineWidth = layout.naturalWidth
            if let first = layout.lines.first {
                layout.drawLine(0, x: center.x - radius * 0.65 + (radius * 1.3 - lineWidth) / 2 - first.x,
                                top: center.y + radius * 0.40, cairo: cairo)
            }
        }
    }

    private func drawStar(center: (x: Double, y: Double), radius: Double, cairo: OpaquePointer) {
        let innerRatio = 0.382  // sin 18° / sin 54°: the points of a regular pentagram
        cairo_new_path(cairo)
        for k in 0..<10 {
            let angle = -Double.pi / 2 + Double(k) * Double.pi / 5
            let r = k % 2 == 0 ? radius : radius * innerRatio
            let x = center.x + r * cos(angle), y = center.y + r * sin(angle)
            if k == 0 { cairo_move_to(cairo, x, y) } else { cairo_line_to(cairo, x, y) }
        }
        cairo_close_path(cairo)
        cairo_fill(cairo)
    }

    /// The company name along the upper arc, characters upright to the rim, spread
    /// symmetrically about the top.
    private func drawRimText(center: (x: Double, y: Double), innerRadius: Double, context: OpaquePointer, cairo: OpaquePointer) {
        let name = appearance.companyName.trimmingWhitespace()
        let characters = name.map(String.init)
        guard !characters.isEmpty else { return }
        // Advance widths at size 1, from one layout per character (Latin letters have their
        // own widths, CJK are square).
        let unit = 10.0
        let advances = characters.map { character -> Double in
            let layout = TextLayout(StyledText(character, bold: true), style: sealStyle(size: unit), width: 1000, context: context)
            return max(layout.naturalWidth / unit, 0.25)
        }
        let total = advances.reduce(0, +)
        let cjk = characters.allSatisfy { $0.first?.isWide == true }
        // Target arc: CJK seals spread their characters over up to ~250°; Latin text runs tighter.
        let maxArc = 250.0 * .pi / 180
        let wantedArc = min(maxArc, (cjk ? 32.0 : 16.0) * Double(characters.count) * .pi / 180 + 40 * .pi / 180)
        // Font size: as large as the ring allows (≈ 0.3 of the radius), smaller when the name is long.
        var size = innerRadius * (cjk ? 0.33 : 0.27)
        var textRadius = innerRadius - size * 0.62
        let spacing = cjk ? 0.12 : 0.04
        while size > 2, (total + spacing * Double(characters.count)) * size / textRadius > maxArc {
            size *= 0.95
            textRadius = innerRadius - size * 0.62
        }
        let naturalArc = (total + spacing * Double(characters.count)) * size / textRadius
        let arc = max(naturalArc, wantedArc)
        // Extra space between characters to fill the arc (CJK evenly; Latin keeps its widths).
        let extra = (arc - naturalArc) * textRadius / Double(characters.count)
        var position = -arc / 2 * textRadius  // arc length from the top, left end
        for (index, character) in characters.enumerated() {
            let advance = advances[index] * size
            let cell = advance + spacing * size + extra
            let middle = position + cell / 2
            position += cell
            let theta = middle / textRadius  // angle from the top, clockwise
            let layout = TextLayout(StyledText(character, bold: true), style: sealStyle(size: size), width: 1000, context: context)
            guard let line = layout.lines.first else { continue }
            cairo_save(cairo)
            cairo_translate(cairo, center.x + textRadius * sin(theta), center.y - textRadius * cos(theta))
            cairo_rotate(cairo, theta)
            // Centre the glyph on the point: half the advance left, half the em box up.
            cairo_move_to(cairo, -advance / 2 - line.x, size * 0.38)
            pango_cairo_show_layout_line(cairo, line.handle)
            cairo_restore(cairo)
        }
    }

    private func sealStyle(size: Double) -> TextStyle {
        TextStyle(family: FontEnvironment.serifFamily, size: size, bold: true, leading: 1.0, alignment: .left)
    }

    // MARK: Caption

    /// Caption, signer name, caption, time — shrunk until they fit the box (the name may take
    /// two lines, the time one).
    private func drawCaption(in box: (x: Double, y: Double, width: Double, height: Double), centered: Bool,
                             context: OpaquePointer, cairo: OpaquePointer) throws(RenderError) {
        guard box.width > 8, box.height > 6 else {
            throw .invalidSeal(["\(appearance.width)×\(appearance.height) pt leaves no room for the signer name and time"])
        }
        let english = appearance.captionLanguage == .english
        let texts: [(text: StyledText, scale: Double, grey: Double, maxLines: Int)] = [
            (StyledText(english ? "Signed by" : "签署人"), 0.8, 0.4, 1),
            (StyledText(appearance.signerName.trimmingWhitespace(), bold: true), 1.0, 0.1, 2),
            (StyledText(english ? "Signed at" : "签署时间"), 0.8, 0.4, 1),
            (StyledText(appearance.signedAtText), 0.85, 0.2, 1),
        ]
        var size = min(10.5, box.height / 4.2)
        while size >= 3 {
            let layouts = texts.map { item in
                TextLayout(item.text, style: TextStyle(family: FontEnvironment.serifFamily, size: size * item.scale, leading: 1.3,
                                                       alignment: centered ? .center : .left),
                           width: box.width, context: context)
            }
            let total = layouts.map(\.height).reduce(0, +)
            let fits = total <= box.height && zip(layouts, texts).allSatisfy { $0.lines.count <= $1.maxLines }
            if fits {
                var top = box.y + (box.height - total) / 2
                for (layout, item) in zip(layouts, texts) {
                    cairo_set_source_rgb(cairo, item.grey, item.grey, item.grey)
                    for index in layout.lines.indices { layout.drawLine(index, x: box.x, top: top + layout.lines[index].top, cairo: cairo) }
                    top += layout.height
                }
                return
            }
            size *= 0.92
        }
        throw .invalidSeal(["the signer name and time do not fit in \(appearance.width)×\(appearance.height) pt"])
    }
}
