import CPangoCairo

/// A Pango layout of one block of text broken into lines at a given width, with the
/// geometry of each line so pagination can place (and split between) lines.
///
/// Not thread-safe: created, measured and drawn inside `FontEnvironmentPool.withEnvironment`, with that environment.
final class TextLayout {
    /// One line's box: `top` from the block's top, `height` of the box, the baseline below
    /// `top`, and the line's horizontal offset (alignment, indentation).
    struct Line {
        let handle: UnsafeMutablePointer<PangoLayoutLine>
        let top: Double
        let height: Double
        let baseline: Double
        let x: Double
    }

    private let layout: OpaquePointer
    let lines: [Line]
    let width: Double
    /// Sum of line heights.
    var height: Double { lines.last.map { $0.top + $0.height } ?? 0 }

    /// Lays out `text` in `style` at `width` points using `context`.
    init(_ text: StyledText, style: TextStyle, width: Double, context: OpaquePointer) {
        layout = pango_layout_new(context)
        self.width = width
        let description = pango_font_description_new()
        pango_font_description_set_family(description, style.family)
        pango_font_description_set_absolute_size(description, style.size * Double(PANGO_SCALE))
        pango_font_description_set_weight(description, style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL)
        pango_layout_set_font_description(layout, description)
        pango_font_description_free(description)

        pango_layout_set_width(layout, Self.units(width))
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
        switch style.alignment {
        case .justified:
            pango_layout_set_alignment(layout, PANGO_ALIGN_LEFT)
            pango_layout_set_justify(layout, 1)
        case .left: pango_layout_set_alignment(layout, PANGO_ALIGN_LEFT)
        case .right: pango_layout_set_alignment(layout, PANGO_ALIGN_RIGHT)
        case .center: pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER)
        }
        if style.firstLineIndent > 0 {
            pango_layout_set_indent(layout, Self.units(style.firstLineIndent))
        }
        let attributes = pango_attr_list_new()
        for range in text.boldRanges {
            let bold = pango_attr_weight_new(PANGO_WEIGHT_BOLD)!
            bold.pointee.start_index = UInt32(range.lowerBound)
            bold.pointee.end_index = UInt32(range.upperBound)
            pango_attr_list_insert(attributes, bold)
        }
        pango_layout_set_attributes(layout, attributes)
        pango_attr_list_unref(attributes)
        pango_layout_set_text(layout, text.text, Int32(text.text.utf8.count))

        // Line boxes of `leading × size`, baseline placed so the natural line is centred.
        let box = style.size * style.leading
        var lines: [Line] = []
        let iterator = pango_layout_get_iter(layout)
        var top = 0.0
        repeat {
            // Logical extents only: ink extents would need every glyph's outline.
            var logical = PangoRectangle()
            pango_layout_iter_get_line_extents(iterator, nil, &logical)
            let naturalHeight = Self.points(logical.height)
            let ascent = Self.points(pango_layout_iter_get_baseline(iterator) - logical.y)
            let height = max(box, naturalHeight)
            if let handle = pango_layout_iter_get_line_readonly(iterator) {
                lines.append(Line(handle: handle, top: top, height: height,
                                  baseline: (height - naturalHeight) / 2 + ascent, x: Self.points(logical.x)))
            }
            top += height
        } while pango_layout_iter_next_line(iterator) != 0
        pango_layout_iter_free(iterator)
        self.lines = lines
    }

    deinit { g_object_unref(UnsafeMutableRawPointer(layout)) }

    /// Glyphs Pango could not find in any font (drawn as boxes).
    var unknownGlyphs: Int { Int(pango_layout_get_unknown_glyphs_count(layout)) }

    /// Draws line `index` with its box's top at (`x`, `y`) in page coordinates (y down).
    func drawLine(_ index: Int, x: Double, top y: Double, cairo: OpaquePointer) {
        let line = lines[index]
        cairo_move_to(cairo, x + line.x, y + line.baseline)
        pango_cairo_show_layout_line(cairo, line.handle)
    }

    /// Width of the widest line's logical extent.
    var naturalWidth: Double {
        var logical = PangoRectangle()
        pango_layout_get_extents(layout, nil, &logical)
        return Self.points(logical.width)
    }

    static func units(_ points: Double) -> Int32 { Int32((points * Double(PANGO_SCALE)).rounded()) }
    static func points(_ units: Int32) -> Double { Double(units) / Double(PANGO_SCALE) }
}
