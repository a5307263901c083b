import Foundation
import SignetTestSupport
import Testing

/// The page images a review page shows (`<img src width height alt>`), and the page sizes
/// poppler's `pdfinfo` reads from the PDF they show: what the page tests check the images with.
struct ReviewImage: Equatable {
    let src: String
    let width: Int
    let height: Int
    let alt: String

    /// The `<img>` elements of `html`, in order (attributes as the review template writes them).
    static func all(in html: String) -> [ReviewImage] {
        let pattern = /<img src="([^"]+)" width="(\d+)" height="(\d+)" alt="([^"]*)"/
        return html.matches(of: pattern).map { match in
            ReviewImage(src: String(match.output.1), width: Int(match.output.2) ?? 0, height: Int(match.output.3) ?? 0,
                        alt: String(match.output.4))
        }
    }

    /// Each page's size in points (`pdfinfo -f 1 -l N`: "Page    1 size: 595.276 x 841.89 pts").
    static func pageSizes(of pdf: URL) throws -> [(width: Double, height: Double)] {
        let result = try ExternalTool.run("pdfinfo", ["-f", "1", "-l", "9999", pdf.path])
        guard result.status == 0 else { throw OracleSetupError(description: "pdfinfo: \(result.combinedOutput)") }
        let pattern = /Page\s+\d+\s+size:\s+([0-9.]+)\s+x\s+([0-9.]+)\s+pts/
        return String(decoding: result.stdout, as: UTF8.self).matches(of: pattern).map { match in
            (Double(match.output.1) ?? 0, Double(match.output.2) ?? 0)
        }
    }
}
