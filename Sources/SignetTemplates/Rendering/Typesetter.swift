import CPangoCairo

/// Where a render gets its text layouts: its font environment's Pango context for the
/// contract's language, and that environment's cache of layouts, so text that recurs from
/// contract to contract (a template's clauses, headings, table headers, page margins) is
/// shaped and broken into lines once per environment, not once per render.
///
/// A layout depends only on its text, bold ranges, style, width and the context (fonts,
/// language, options fixed when the environment is made), which together are the cache key:
/// a cached layout is the layout a fresh one would be, so the PDF's bytes do not change.
///
/// Not thread-safe: used by the render that holds the environment.
struct Typesetter {
    let context: OpaquePointer
    let language: String
    let cache: LayoutCache

    /// The layout of `text` in `style` broken at `width` points.
    func layout(_ text: StyledText, style: TextStyle, width: Double) -> TextLayout {
        cache.layout(for: LayoutCache.Key(text: text, style: style, width: width, language: language)) {
            TextLayout(text, style: style, width: width, context: context)
        }
    }
}

/// The text layouts of one font environment, bounded: two generations of at most
/// `generationSize` layouts each. A lookup finds a layout in the current generation, or moves
/// it there from the previous one; when the current generation is full it becomes the
/// previous one (the older one is dropped). Layouts every contract uses therefore stay, and
/// the values of contracts long done go, so a service's memory does not grow with the number
/// of contracts it renders.
///
/// Not thread-safe: owned by a `FontEnvironment`, used by the render that holds it.
final class LayoutCache {
    struct Key: Hashable {
        let text: StyledText
        let style: TextStyle
        let width: Double
        let language: String
    }

    let generationSize: Int
    private var current: [Key: TextLayout] = [:]
    private var previous: [Key: TextLayout] = [:]

    init(generationSize: Int = 2048) {
        self.generationSize = generationSize
    }

    /// Layouts held now (both generations).
    var count: Int { current.count + previous.count }

    func layout(for key: Key, make: () -> TextLayout) -> TextLayout {
        if let layout = current[key] { return layout }
        let layout = previous.removeValue(forKey: key) ?? make()
        if current.count >= generationSize {
            previous = current
            current = [:]
        }
        current[key] = layout
        return layout
    }
}
