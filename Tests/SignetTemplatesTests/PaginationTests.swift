import Foundation
import SignetTemplates
import SignetTestSupport
import Testing

@Suite("Pagination")
struct PaginationTests {
    /// A long table (repeated header), a row taller than a page, then the signature block.
    @Test("tables break between rows, repeat their header, and split only rows taller than a page")
    func tables() throws {
        var body = "# 明细表\n\n| 序号 | 内容 |\n|--|------|\n"
        for n in 1...90 { body += "| R\(n) | 第\(n)行的内容 |\n" }
        body += "| 附注 | {{long}} |\n\n说明段落。\n\n@signatures\n@party merchant\n甲方：{{name}}\n@end\n"
        let fields = #"[{ "name": "name", "label": "N", "type": "text" }, { "name": "long", "label": "L", "type": "multiline", "maxLength": 6000 }]"#
        let adHoc = try AdHocTemplate(body: body, fields: fields)
        let template = try adHoc.load()
        let long = (1...160).map { "第\($0)条附注：本行用于验证超过一页的表格行在行间拆分。" }.joined(separator: "\n")
        let rendered = try ContractRenderer.render(template: template, fields: ["name": "甲公司", "long": long], metadata: try Fixtures.metadata())
        #expect(rendered.pageCount >= 4)
        let oracle = try PDFOracle(rendered.pdf)
        #expect(try oracle.qpdfCheck().status == 0)

        var pagesWithRows: [Int: Int] = [:]  // row number → page
        var pageTexts: [String] = []
        for page in 1...rendered.pageCount {
            let text = try oracle.text(page: page, bodyOnly: true).squeezed
            pageTexts.append(text)
            for n in 1...90 where text.contains("R\(n)第\(n)行的内容") { pagesWithRows[n] = page }
        }
        // Every row is whole on one page (both cells next to each other), in order.
        #expect(pagesWithRows.count == 90)
        #expect((1..<90).allSatisfy { pagesWithRows[$0]! <= pagesWithRows[$0 + 1]! })
        // Every page with table rows starts with the table's header row.
        for page in Set(pagesWithRows.values) {
            let text = pageTexts[page - 1]
            #expect(text.hasPrefix("序号内容") || text.hasPrefix("明细表序号内容"), "page \(page): \(text.prefix(40))")
        }
        // The oversized row is cut between lines; every line arrives, in order.
        let all = pageTexts.joined()
        var position = all.startIndex
        for n in 1...160 {
            let line = "第\(n)条附注：本行用于验证超过一页的表格行在行间拆分。"
            let range = try #require(all.range(of: line, range: position..<all.endIndex), "line \(n) lost")
            position = range.upperBound
        }
        #expect(rendered.signatureBoxes.count == 1 && rendered.signatureBoxes[0].page == rendered.pageCount)
    }

    @Test("headings stay with the text that follows; explicit page breaks")
    func keepTogether() throws {
        var body = "# 标题\n\n"
        for n in 1...40 {
            body += "## 第\(n)节\n+ 本节第一条，内容较长，用于填充页面，使标题落在页面底部附近时必须与正文一起移到下一页。\n"
        }
        body += "@pagebreak\n\n{{name}}{{amount}}\n\n@signatures\n@party merchant\n甲方\n@end\n"
        let template = try AdHocTemplate(body: body).load()
        let rendered = try ContractRenderer.render(template: template, fields: ["name": "末页", "amount": "1"], metadata: try Fixtures.metadata())
        let pages = try PDFOracle(rendered.pdf).words()
        for (index, words) in pages.enumerated() {
            // The last body line of a page is never a section heading.
            let body = words.filter { $0.yMin > 60 && $0.yMax < 770 }
            guard let last = body.max(by: { $0.yMax < $1.yMax }) else { continue }
            let lastLine = body.filter { abs($0.yMax - last.yMax) < 1 }.map(\.text).joined()
            #expect(!lastLine.hasPrefix("第") || !lastLine.contains("节") || lastLine.count > 8, "page \(index + 1) ends with heading \(lastLine)")
        }
        // @pagebreak: the field value starts the last page.
        let lastPage = pages[pages.count - 1].filter { $0.yMin > 60 && $0.yMax < 770 }
        #expect(lastPage.min(by: { $0.yMin < $1.yMin })?.text.hasPrefix("末页") == true)
    }
}
