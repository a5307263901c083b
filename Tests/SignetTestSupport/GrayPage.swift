public import Foundation

/// A page rendered to 8-bit grey by `pdftoppm -gray` (PGM), for checking where drawing
/// happened.
public struct GrayPage: Sendable {
    public let width: Int
    public let height: Int
    /// Resolution in pixels per inch.
    public let dpi: Double
    public let pixels: [UInt8]

    /// Renders page `page` (1-based) of `pdf` at `dpi`.
    public static func render(_ pdf: URL, page: Int, dpi: Int = 72) throws -> GrayPage {
        let dir = try TemporaryDirectory("signet-gray")
        let prefix = dir.file("page").path
        let result = try ExternalTool.run("pdftoppm", ["-gray", "-r", "\(dpi)", "-f", "\(page)", "-l", "\(page)", "-singlefile", pdf.path, prefix])
        guard result.status == 0 else { throw OracleSetupError(description: "pdftoppm: \(result.combinedOutput)") }
        return try parse([UInt8](Data(contentsOf: URL(fileURLWithPath: prefix + ".pgm"))), dpi: Double(dpi))
    }

    static func parse(_ bytes: [UInt8], dpi: Double) throws -> GrayPage {
        // P5\n<width> <height>\n<maxval>\n<pixels>
        var fields: [Int] = []
        var index = 2
        while fields.count < 3 {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D { index += 1 }
            var value = 0
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) { value = value * 10 + Int(bytes[index] - 0x30); index += 1 }
            fields.append(value)
        }
        index += 1
        guard bytes.starts(with: Array("P5".utf8)), bytes.count - index >= fields[0] * fields[1] else {
            throw OracleSetupError(description: "not a PGM file")
        }
        return GrayPage(width: fields[0], height: fields[1], dpi: dpi, pixels: Array(bytes[index..<(index + fields[0] * fields[1])]))
    }

    /// Pixels (x, y from the top-left) whose grey level differs by more than `threshold`.
    public func differingPixels(from other: GrayPage, threshold: UInt8 = 24) -> [(x: Int, y: Int)] {
        guard width == other.width, height == other.height else { return [(0, 0)] }
        var result: [(Int, Int)] = []
        for y in 0..<height {
            for x in 0..<width {
                let a = pixels[y * width + x], b = other.pixels[y * width + x]
                if (a > b ? a - b : b - a) > threshold { result.append((x, y)) }
            }
        }
        return result
    }
}
