import Foundation
import SignetTemplates
import SignetTestSupport
import Testing

@Suite("Seal appearance")
struct SealAppearanceTests {
    static let signedAt = Date(timeIntervalSince1970: 1_740_794_400)  // 2025-03-01T10:00:00+08:00

    static let cases: [SealAppearance] = [
        SealAppearance(companyName: "杭州青禾餐饮管理有限公司", centerLine: "合同专用章", signerName: "林晓禾",
                       signedAt: signedAt, width: 190, height: 110),
        SealAppearance(companyName: "Harbourline Outdoor Supply Limited", signerName: "Daniel Wong Ka-ho",
                       signedAt: signedAt, captionLanguage: .english, width: 190, height: 110),
        SealAppearance(companyName: "星河支付有限公司", centerLine: "电子签章", signerName: "周明远",
                       signedAt: signedAt, width: 120, height: 170),
    ]

    @Test("one page of exactly the requested size; qpdf clean; fonts embedded subsets", arguments: cases)
    func pdfStructure(seal: SealAppearance) throws {
        let oracle = try PDFOracle(try seal.render(), name: "seal.pdf")
        let check = try oracle.qpdfCheck()
        #expect(check.status == 0, "\(check.combinedOutput)")
        let info = try oracle.info()
        #expect(info["Pages"] == "1")
        #expect(info["Page size"]?.hasPrefix("\(Int(seal.width)) x \(Int(seal.height)) pts") == true, "\(info["Page size"] ?? "")")
        #expect(info["CreationDate"] == "2025-03-01T10:00:00+08")
        let fonts = try oracle.fonts()
        #expect(!fonts.isEmpty && fonts.allSatisfy { $0.embedded && $0.subset })
        let text = try oracle.text().squeezed
        #expect(text.contains(seal.signerName.squeezed))
        #expect(text.contains("2025-03-0110:00:00+08:00"))
        // Every character of the company name is on the page (set along the arc, one by one).
        for character in seal.companyName where !character.isWhitespace {
            #expect(text.contains(character), "\(character)")
        }
    }

    @Test("deterministic; any change of input changes the bytes")
    func deterministic() throws {
        let seal = Self.cases[0]
        #expect(try seal.render() == seal.render())
        var other = seal
        other.signedAt = Self.signedAt.addingTimeInterval(1)
        #expect(try seal.render() != other.render())
    }

    @Test("draws a red double ring, a red star in the centre and dark caption text (checked on a raster)")
    func raster() throws {
        let seal = Self.cases[0]  // 190 × 110: seal on the left, caption on the right
        let oracle = try PDFOracle(try seal.render(), name: "seal.pdf")
        // 1 pt = 2 px at 144 dpi; pdftoppm writes binary PPM (P6).
        let result = try ExternalTool.run("pdftoppm", ["-r", "144", "-singlefile", oracle.url.path, oracle.directory.file("seal").path])
        #expect(result.status == 0, "\(result.errorOutput)")
        let image = try PPM(Data(contentsOf: oracle.directory.file("seal.ppm")))
        #expect(image.width == 380 && image.height == 220)
        func isRed(_ p: (Int, Int, Int)) -> Bool { p.0 > 170 && p.1 < 90 && p.2 < 90 }
        // Geometry used by the renderer: diameter min(110 − 6, 190 × 0.47) = 89.3 pt, centre (3 + r, 55).
        let radius = 89.3 / 2, cx = 3 + radius, cy = 55.0
        func pixel(_ x: Double, _ y: Double) -> (Int, Int, Int) { image.pixel(Int(x * 2), Int(y * 2)) }
        // Outer ring: red at 0.96 r in every direction.
        for angle in stride(from: 0.0, to: 360, by: 15) {
            let a = angle * .pi / 180
            let ringPoint = pixel(cx + radius * 0.962 * cos(a), cy + radius * 0.962 * sin(a))
            #expect(isRed(ringPoint), "ring at \(angle)°: \(ringPoint)")
        }
        #expect(isRed(pixel(cx, cy)), "star centre")
        #expect(isRed(pixel(cx, cy - radius * 0.2)), "upper star arm")
        #expect(!isRed(pixel(cx + radius * 0.5, cy + radius * 0.1)), "between star and ring is paper")
        #expect(pixel(1, 1) == (255, 255, 255), "corner is white")
        // Caption: some dark, non-red pixels right of the seal.
        var dark = 0
        for x in stride(from: 2 * (cx + radius + 4), to: 378.0, by: 1) {
            for y in stride(from: 20.0, to: 200, by: 1) {
                let p = image.pixel(Int(x), Int(y))
                if p.0 < 100 && p.1 < 100 && p.2 < 100 { dark += 1 }
            }
        }
        #expect(dark > 200)
    }

    @Test("bad parameters are listed together")
    func invalid() throws {
        let seal = SealAppearance(companyName: " ", centerLine: String(repeating: "章", count: 30), signerName: "x\u{202E}y",
                                  signedAt: Self.signedAt, utcOffsetSeconds: 7, width: 10, height: 2000)
        let error = try #require(throws: RenderError.self) { try seal.render() }
        guard case .invalidSeal(let problems) = error else { Issue.record("\(error)"); return }
        #expect(problems.count == 5, "\(problems)")
        let emoji = SealAppearance(companyName: "笑脸😀公司", signerName: "x", signedAt: Self.signedAt, width: 190, height: 110)
        #expect(throws: RenderError.self) { try emoji.render() }
    }
}

/// A binary PPM (P6) image as written by pdftoppm.
struct PPM {
    let width: Int
    let height: Int
    let pixels: [UInt8]

    init(_ data: Data) throws {
        let bytes = [UInt8](data)
        var fields: [String] = []
        var index = 0
        while fields.count < 4, index < bytes.count {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 { index += 1 }
            var token = ""
            while index < bytes.count, !(bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09) {
                token.append(Character(UnicodeScalar(bytes[index])))
                index += 1
            }
            fields.append(token)
        }
        index += 1
        try #require(fields.first == "P6" && fields.count == 4)
        width = try #require(Int(fields[1]))
        height = try #require(Int(fields[2]))
        pixels = Array(bytes[index...])
        try #require(pixels.count >= width * height * 3)
    }

    func pixel(_ x: Int, _ y: Int) -> (Int, Int, Int) {
        let offset = (y * width + x) * 3
        return (Int(pixels[offset]), Int(pixels[offset + 1]), Int(pixels[offset + 2]))
    }
}
