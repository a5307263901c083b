import Foundation
import SignetTemplates
import Testing

@Suite("Manifests")
struct ManifestTests {
    func parse(_ json: String) throws(TemplateError) -> TemplateManifest {
        try TemplateManifest.parse(Data(json.utf8), path: "manifest.json")
    }

    @Test("every problem of a manifest is listed with its JSON path")
    func listsEveryProblem() throws {
        let json = """
        {
          "id": "Bad_Id", "version": "1.0.x", "title": "T", "locale": "fr",
          "signers": [{ "role": "merchant", "label": "甲方", "signature": { "width": 180, "height": 100 } },
                      { "role": "merchant", "label": "乙方", "signature": { "width": 180, "height": 100 } },
                      { "role": "platform", "label": "丙方", "signature": { "width": 10, "height": 100 } }],
          "fields": [
            { "name": "a", "label": "A", "type": "text", "maxLenght": 5 },
            { "name": "b", "label": "B", "type": "money" },
            { "name": "c", "label": "C", "type": "date", "default": "2025-02-30" },
            { "name": "d", "label": "D", "type": "colour" },
            { "name": "a", "label": "A again", "type": "email" },
            { "name": "e", "label": "E", "type": "text", "minLength": 9, "maxLength": 3, "pattern": "([" }
          ],
          "extra": true
        }
        """
        let error = try #require(throws: TemplateError.self) { try parse(json) }
        guard case .invalidManifest(_, let problems) = error else { Issue.record("\(error)"); return }
        let expected = [
            "manifest.id", "manifest.version", "manifest.locale", "unknown key 'extra'",
            "signers[2].signature.width", "role 'merchant' is declared more than once",
            "fields[0] (a): unknown key 'maxLenght'", "fields[1] (b): needs \"currency\"",
            "fields[2] (c).default", "unknown type 'colour'", "field 'a' is declared more than once",
            "minLength 9 is greater than maxLength 3", "not a valid regular expression",
        ]
        for fragment in expected {
            #expect(problems.contains { $0.contains(fragment) }, "missing: \(fragment)\n\(problems.joined(separator: "\n"))")
        }
    }

    @Test("not JSON at all")
    func notJSON() {
        #expect(throws: TemplateError.self) { try parse("{ \"id\": ") }
    }

    @Test("the shipped manifests parse", arguments: Fixtures.templateIDs)
    func shipped(id: String) throws {
        let template = try Fixtures.template(id)
        #expect(template.manifest.signers.map(\.role) == [.merchant, .platform])
        #expect(template.manifest.id == id)
    }

    @Test("a template may declare roles of its own; a role is written as its name")
    func templateDefinedRoles() throws {
        let json = """
        {
          "id": "guaranteed-loan", "version": "1.0.0", "title": "T", "locale": "zh-CN",
          "signers": [{ "role": "merchant", "label": "甲方", "signature": { "width": 180, "height": 100 } },
                      { "role": "guarantor_2", "label": "保证人", "signature": { "width": 180, "height": 100 } }],
          "fields": []
        }
        """
        let manifest = try parse(json)
        #expect(manifest.signers.map(\.role) == [.merchant, PartyRole(rawValue: "guarantor_2")])
        #expect(manifest.signers[1].role != .platform && manifest.signers[1].role.description == "guarantor_2")
        let box = SignatureBox(role: manifest.signers[1].role, page: 1, rect: PDFRect(x: 1, y: 2, width: 3, height: 4))
        let encoded = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(box)) as? [String: Any])
        #expect(encoded["role"] as? String == "guarantor_2")
        #expect(try JSONDecoder().decode(SignatureBox.self, from: JSONEncoder().encode(box)) == box)
        let bad = json.replacingOccurrences(of: "guarantor_2", with: "Guarantor")
        #expect(throws: TemplateError.self) { try parse(bad) }
    }
}
