import FoundationEssentials
import SignetService

/// The console's histogram of link-opened-to-signed times as an inline SVG (server-drawn,
/// no script, presentation attributes only: the CSP forbids inline style): one bar per
/// bucket, its count above it, the bucket's label below, and a dashed line at one minute —
/// the seed's promise — between the 30–60 s and 1–2 min bars. `role="img"` with a title and
/// a description; the page adds the same figures as a table.
enum JourneyChart {
    static let width = 640
    static let height = 260
    private static let left = 40, right = 16, top = 24, bottom = 48

    /// The bucket's label: `< 30 s`, `30–60 s`, `1–2 min`, `2–5 min`, `5–30 min`, `≥ 30 min`.
    static func label(_ bucket: JourneyBucket) -> String {
        func text(_ seconds: Int) -> String { seconds >= 60 ? "\(seconds / 60)" : "\(seconds)" }
        func unit(_ seconds: Int) -> String { seconds >= 60 ? "min" : "s" }
        guard let upper = bucket.upperSeconds else { return "≥ \(text(bucket.lowerSeconds)) \(unit(bucket.lowerSeconds))" }
        if bucket.lowerSeconds == 0 { return "< \(text(upper)) \(unit(upper))" }
        let sameUnit = unit(bucket.lowerSeconds) == unit(upper)
        return sameUnit ? "\(text(bucket.lowerSeconds))–\(text(upper)) \(unit(upper))"
            : "\(bucket.lowerSeconds)–\(upper) s"
    }

    /// The SVG element.
    static func svg(_ buckets: [JourneyBucket], description: String) -> String {
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let maximum = max(buckets.map(\.count).max() ?? 0, 1)
        let slot = Double(plotWidth) / Double(max(buckets.count, 1))
        let barWidth = slot * 0.7
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" class="chart" width="\(width)" height="\(height)" \
            viewBox="0 0 \(width) \(height)" role="img" aria-labelledby="chart-title chart-desc">\
            <title id="chart-title">Time from link opened to signed</title>\
            <desc id="chart-desc">\(escape(description))</desc>\
            <line x1="\(left)" y1="\(top + plotHeight)" x2="\(left + plotWidth)" y2="\(top + plotHeight)" stroke="#5b6474" stroke-width="1"/>
            """
        for (index, bucket) in buckets.enumerated() {
            let barHeight = Double(plotHeight) * Double(bucket.count) / Double(maximum)
            let x = Double(left) + slot * Double(index) + (slot - barWidth) / 2
            let y = Double(top + plotHeight) - barHeight
            let fill = (bucket.upperSeconds ?? .max) <= 60 ? "#0b3d91" : "#7a8699"
            out += "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(barWidth))\" height=\"\(f(barHeight))\" fill=\"\(fill)\">"
                + "<title>\(escape(label(bucket))): \(bucket.count)</title></rect>"
            out += "<text x=\"\(f(x + barWidth / 2))\" y=\"\(f(y - 6))\" text-anchor=\"middle\" font-size=\"13\" fill=\"#1a1a1a\">\(bucket.count)</text>"
            out += "<text x=\"\(f(x + barWidth / 2))\" y=\"\(top + plotHeight + 20)\" text-anchor=\"middle\" font-size=\"13\" fill=\"#1a1a1a\">\(escape(label(bucket)))</text>"
        }
        if let minute = buckets.firstIndex(where: { $0.lowerSeconds == 60 }) {
            let x = Double(left) + slot * Double(minute)
            out += "<line class=\"one-minute\" x1=\"\(f(x))\" y1=\"\(top - 8)\" x2=\"\(f(x))\" y2=\"\(top + plotHeight + 4)\" "
                + "stroke=\"#a4000f\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>"
            out += "<text x=\"\(f(x))\" y=\"\(height - 8)\" text-anchor=\"middle\" font-size=\"13\" fill=\"#a4000f\">1 minute</text>"
        }
        return out + "</svg>"
    }

    private static func f(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    /// Text for XML character data and attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }
}
