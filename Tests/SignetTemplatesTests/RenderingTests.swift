import Foundation
import SignetTemplates
import SignetTestSupport
import Testing

@Suite("Rendering the sample contracts")
struct RenderingTests {
    func render(_ id: String, _ edit: (inout FieldValues) -> Void = { _ in }, number: String = "SN-2025-000123")
        throws -> (ContractTemplate, FieldValues, RenderedContract) {
        let template = try Fixtures.template(id)
        var values = try Fixtures.sample(template)
        edit(&values)
        let rendered = try ContractRenderer.render(template: template, fields: values, metadata: try Fixtures.metadata(number))
        return (template, values, rendered)
    }

    @Test("qpdf --check passes", arguments: Fixtures.templateIDs)
    func qpdf(id: String) throws {
        let (_, _, rendered) = try render(id)
        let result = try PDFOracle(rendered.pdf).qpdfCheck()
        #expect(result.status == 0, "\(result.combinedOutput)")
        #expect(result.output.contains("No syntax or stream encoding errors found"))
        #expect(!result.combinedOutput.localizedCaseInsensitiveContains("warning"))
    }

    @Test("only embedded subset Noto CJK fonts", arguments: Fixtures.templateIDs)
    func fonts(id: String) throws {
        let (_, _, rendered) = try render(id)
        let fonts = try PDFOracle(rendered.pdf).fonts()
        #expect(!fonts.isEmpty)
        for font in fonts {
            #expect(font.embedded && font.subset, "\(font)")
            #expect(font.name.range(of: #"^[A-Z]{6}\+NotoSerifCJKsc-(Regular|Bold)$"#, options: .regularExpression) != nil, "\(font.name)")
        }
    }

    @Test("the text contains every filled value, Chinese included", arguments: Fixtures.templateIDs)
    func filledValues(id: String) throws {
        let (template, values, rendered) = try render(id)
        let text = try PDFOracle(rendered.pdf).text().squeezed
        let filled = try template.validate(values)
        let language = template.manifest.locale.primaryLanguage
        for field in template.manifest.fields {
            let value = try #require(filled[field.name])
            if value == .empty { continue }
            let printed = value.display(in: language).squeezed
            #expect(text.contains(printed), "\(field.name): '\(printed)' not in the PDF text")
        }
        #expect(text.contains("SN-2025-000123"))
        #expect(text.contains(template.manifest.reference))
    }

    @Test("page headers and footers: title, contract number, page X of Y, template id@version", arguments: Fixtures.templateIDs)
    func margins(id: String) throws {
        let (template, _, rendered) = try render(id)
        let oracle = try PDFOracle(rendered.pdf)
        #expect(try oracle.info()["Pages"] == "\(rendered.pageCount)")
        for page in 1...rendered.pageCount {
            let text = try oracle.text(page: page).squeezed
            #expect(text.contains(template.manifest.reference))
            #expect(text.contains("SN-2025-000123"))
            let pageLabel = template.manifest.locale == .english ? "Page \(page) of \(rendered.pageCount)" : "第 \(page) 页 / 共 \(rendered.pageCount) 页"
            #expect(text.contains(pageLabel.squeezed), "page \(page)")
        }
    }

    @Test("rendering twice gives identical bytes; the PDF carries the issue time and template digest", arguments: Fixtures.templateIDs)
    func deterministic(id: String) throws {
        let (template, _, first) = try render(id)
        let (_, _, second) = try render(id)
        #expect(first.pdf == second.pdf)
        #expect(first.sha256 == second.sha256)
        #expect(first.templateDigest == template.digest)
        let info = try PDFOracle(first.pdf).info()
        #expect(info["CreationDate"] == "2025-03-01T10:00:00+08")
        #expect(info["ModDate"] == "2025-03-01T10:00:00+08")
        #expect(info["Keywords"]?.contains("template-sha256=\(template.digest)") == true)
        // No trace of the clock or of random ids in the bytes.
        let bytes = String(decoding: first.pdf, as: UTF8.self)
        #expect(!bytes.contains("/ID ["))
        #expect(bytes.contains("/CreationDate (D:20250301100000+08'00)"))
    }

    @Test("changing one field, the number or the issue time changes the hash", arguments: Fixtures.templateIDs)
    func sensitive(id: String) throws {
        let (_, _, original) = try render(id)
        let (_, _, renamed) = try render(id) { $0["merchant_name"] = .string("杭州青禾餐饮管理有限公司二") }
        let (_, _, renumbered) = try render(id, number: "SN-2025-000124")
        let template = try Fixtures.template(id)
        let later = try ContractRenderer.render(template: template, fields: try Fixtures.sample(template),
            metadata: try ContractMetadata(number: "SN-2025-000123", issuedAt: "2025-03-01T10:00:01+08:00"))
        #expect(Set([original.sha256, renamed.sha256, renumbered.sha256, later.sha256]).count == 4)
    }

    @Test("a very long value flows onto further pages without losing text", arguments: Fixtures.templateIDs)
    func overflow(id: String) throws {
        let template = try Fixtures.template(id)
        let field = try Fixtures.longField(of: template)
        let english = template.manifest.locale == .english
        // Numbered sentences, so any lost or duplicated line shows.
        var sentences: [String] = []
        var total = 0
        for n in 1... {
            let sentence = english
                ? "Condition \(n): the Merchant shall keep evidence of delivery for every order numbered \(n * 7919) and produce it on request."
                : "第\(n)项：甲方应妥善保管编号为\(n * 7919)的订单交付凭证，并在乙方要求时及时提供。"
            if total + sentence.count + 1 > 5800 { break }
            sentences.append(sentence)
            total += sentence.count + 1
        }
        let (_, _, short) = try render(id)
        let (_, _, long) = try render(id) { $0[field] = .string(sentences.joined(separator: "\n")) }
        #expect(long.pageCount >= short.pageCount + 2, "\(short.pageCount) → \(long.pageCount) pages")
        let oracle = try PDFOracle(long.pdf)
        let text = try oracle.text(bodyOnly: true).squeezed
        var position = text.startIndex
        for sentence in sentences {
            let range = try #require(text.range(of: sentence.squeezed, range: position..<text.endIndex), "lost or out of order: \(sentence)")
            position = range.upperBound
        }
        // Nothing is drawn outside the header band, the body area and the footer band: no line
        // is cut at a page break.
        for (index, words) in try oracle.words().enumerated() {
            for word in words {
                let inHeader = word.yMax <= 56, inFooter = word.yMin >= 841.89 - 56
                let inBody = word.yMin >= 74 && word.yMax <= 841.89 - 70
                #expect(inHeader || inFooter || inBody, "page \(index + 1): '\(word.text)' at y \(word.yMin)–\(word.yMax)")
            }
        }
    }

    @Test("signature boxes: one per signer in order, inside the page, on the page of their block, clear of text",
          arguments: Fixtures.templateIDs)
    func signatureBoxes(id: String) throws {
        let (template, values, rendered) = try render(id)
        #expect(rendered.signatureBoxes.map(\.role) == template.manifest.signers.map(\.role))
        let pages = try PDFOracle(rendered.pdf).words()
        let filled = try template.validate(values)
        for (box, signer) in zip(rendered.signatureBoxes, template.manifest.signers) {
            #expect((1...rendered.pageCount).contains(box.page))
            let r = box.rect
            #expect(r.x >= 0 && r.y >= 0 && r.x + r.width <= 595.28 && r.y + r.height <= 841.89, "\(r)")
            #expect(r.width == signer.signatureWidth && r.height == signer.signatureHeight)
            // Top-down coordinates of the box, as pdftotext reports words.
            let top = 841.8898 - r.y - r.height, bottom = 841.8898 - r.y
            let words = pages[box.page - 1]
            for word in words {
                let overlaps = word.xMax > r.x && word.xMin < r.x + r.width && word.yMax > top && word.yMin < bottom
                #expect(!overlaps, "'\(word.text)' overlaps the \(box.role) box")
            }
            // The party's name is printed just above the box, in its column.
            let name = try #require(filled[box.role == "merchant" ? "merchant_name" : "platform_name"]).display(in: .chinese)
            let pageText = words.map(\.text).joined()
            #expect(pageText.contains(name.squeezed), "\(name) not on page \(box.page)")
            #expect(words.contains { $0.yMax <= top + 0.5 && $0.yMax > top - 80 && $0.xMin >= r.x - 1 && $0.xMin < r.x + r.width })
        }
        // Both boxes side by side on the last page, not overlapping each other.
        let (a, b) = (rendered.signatureBoxes[0].rect, rendered.signatureBoxes[1].rect)
        #expect(a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y)
    }

    @Test("section headings become PDF bookmarks pointing at their pages")
    func bookmarks() throws {
        let template = try Fixtures.store.load(id: "merchant-service-agreement", version: "1.0.0")
        let rendered = try ContractRenderer.render(template: template, fields: try Fixtures.sample(template), metadata: try Fixtures.metadata())
        let oracle = try PDFOracle(rendered.pdf)
        let result = try withExtendedLifetime(oracle) { try ExternalTool.run("qpdf", ["--json", "--json-key=outlines", oracle.url.path]) }
        let json = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        let outlines = try #require(json["outlines"] as? [[String: Any]])
        let headings = template.body.blocks.filter { if case .heading = $0 { true } else { false } }
        #expect(outlines.count == headings.count)
        #expect(outlines.first?["title"] as? String == "第一条\u{3000}定义")
        let pages = outlines.compactMap { $0["destpageposfrom1"] as? Int }
        #expect(pages == pages.sorted() && pages.allSatisfy { (1...rendered.pageCount).contains($0) })
    }

    @Test("characters the fonts cannot draw are field errors; invalid metadata is refused")
    func unsupportedCharacters() throws {
        let template = try Fixtures.template("merchant-service-agreement")
        var values = try Fixtures.sample(template)
        values["merchant_contact"] = .string("陈思远😀")
        let error = try #require(throws: RenderError.self) {
            try ContractRenderer.render(template: template, fields: values, metadata: try Fixtures.metadata())
        }
        guard case .invalidFields(let invalid) = error else { Issue.record("\(error)"); return }
        #expect(invalid.errors.map(\.field) == ["merchant_contact"])
        #expect(invalid.errors[0].code == .unsupportedCharacter && invalid.errors[0].message.contains("U+1F600"))

        let bad = ContractMetadata(number: "SN 2025 ✗", issuedAt: Date(timeIntervalSince1970: 1.5), utcOffsetSeconds: 99)
        let metadataError = try #require(throws: RenderError.self) {
            try ContractRenderer.render(template: template, fields: try Fixtures.sample(template), metadata: bad)
        }
        guard case .invalidMetadata(let problems) = metadataError else { Issue.record("\(metadataError)"); return }
        #expect(problems.count == 3)
        #expect(throws: RenderError.self) { try ContractMetadata(number: "X", issuedAt: "2025-03-01 10:00") }
    }

    @Test("concurrent renders are serialised and give the same bytes")
    func concurrent() async throws {
        let template = try Fixtures.template("settlement-account-authorization")
        let values = try Fixtures.sample(template)
        let metadata = try Fixtures.metadata()
        let hashes = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<6 {
                group.addTask { try ContractRenderer.render(template: template, fields: values, metadata: metadata).sha256 }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(hashes.count == 1)
    }
}
