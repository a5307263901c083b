import Foundation
import SignetTemplates
import SignetTestSupport
import Testing

@Suite("Body markup")
struct BodyParserTests {
    func load(_ body: String, fields: String? = nil) throws -> ContractTemplate {
        try AdHocTemplate(body: body, fields: fields).load()
    }

    let signatures = "\n@signatures\n@party merchant\n甲方：{{name}}\n@end\n"

    @Test("blocks: title, headings, clauses, paragraphs, tables, signatures, page breaks")
    func blocks() throws {
        let body = """
        # 标题
        ## 第一节
        + 条款一，金额{{amount}}，
        续行中文直接相连
        and English
        ++ 子项
        ### 小标题

        普通段落\\
        换行后
        >> 靠右
        :: 居中
        @pagebreak
        | 甲 | 乙 |
        |--|:----:|
        | {{name}} | **粗** |
        """ + signatures
        let template = try load(body)
        let blocks = template.body.blocks
        #expect(blocks.count == 11)
        guard case .clause(let clause) = blocks[2] else { Issue.record("not a clause: \(blocks[2])"); return }
        #expect(clause.runs == [
            .text("条款一，金额", bold: false),
            .placeholder(Placeholder(name: "amount", format: nil, line: 3), bold: false),
            .text("，续行中文直接相连 and English", bold: false),
        ])
        guard case .paragraph(let paragraph, .justified) = blocks[5] else { Issue.record("\(blocks[5])"); return }
        #expect(paragraph.runs == [.text("普通段落", bold: false), .lineBreak, .text("换行后", bold: false)])
        guard case .table(let table) = blocks[9] else { Issue.record("\(blocks[9])"); return }
        #expect(table.columnWeights == [2, 4])
        #expect(table.alignments == [.left, .center])
        #expect(table.header?.count == 2 && table.rows.count == 1)
        #expect(table.rows[0][1].runs == [.text("粗", bold: true)])
        guard case .signatures(let parties) = blocks[10] else { Issue.record("\(blocks[10])"); return }
        #expect(parties.map(\.role) == ["merchant"] && parties[0].boxAfterLine == 1)
    }

    @Test("escapes: literal braces, stars, pipes and markers")
    func escapes() throws {
        let template = try load("\\# 不是标题 \\{{name\\}} \\*\\* \\| \\\\ {{name}}{{amount}}" + signatures)
        guard case .paragraph(let inline, _) = template.body.blocks[0] else { Issue.record("\(template.body.blocks)"); return }
        #expect(inline.runs.first == .text("# 不是标题 {{name}} ** | \\ ", bold: false))
    }

    @Test("every markup problem is reported with its line")
    func errors() throws {
        let body = """
        # 标题

        {{unknown}} and {{name:upper}} and {{amount:fancy}}

        **never closed

        | a | b |
        | c |

        \\q bad escape
        @frobnicate
        #no space

        {{name
        """ + signatures + "\n@signatures\n@party nobody\n@end\n"
        let error = try #require(throws: TemplateError.self) { try load(body) }
        guard case .invalidBody(_, let problems) = error else { Issue.record("\(error)"); return }
        let text = problems.map(\.description)
        for fragment in ["line 3: unknown placeholder format 'fancy'", "line 5: '**' opens bold", "line 8: this row has 1 cells",
                         "line 10: a backslash", "line 11: unknown directive '@frobnicate'", "line 12: a line starting with '#'",
                         "line 14: '{{' without a closing"] {
            #expect(text.contains { $0.contains(fragment) }, "missing: \(fragment)\n\(text.joined(separator: "\n"))")
        }
    }

    @Test("placeholders must name fields, formats must suit them, every field and signer must appear")
    func consistency() throws {
        let body = "{{unknown}} {{name:upper}}\n\n@signatures\n@party platform\nx\n@end\n"
        let error = try #require(throws: TemplateError.self) { try load(body) }
        guard case .invalidBody(_, let problems) = error else { Issue.record("\(error)"); return }
        let text = problems.map(\.message).joined(separator: "\n")
        #expect(text.contains("{{unknown}} names no field"))
        #expect(text.contains("{{name:upper}}: upper"))
        #expect(text.contains("field 'amount' is declared in the manifest but never printed"))
        #expect(text.contains("@party platform is not a signer role"))
        #expect(text.contains("signer role 'merchant' has no @party"))
    }
}
