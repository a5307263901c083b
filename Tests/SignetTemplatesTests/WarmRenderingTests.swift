import Foundation
@testable import SignetTemplates
import SignetTestSupport
import Testing

/// A long-running service renders many contracts in one process, several at once: a render's
/// bytes must not depend on what the process rendered before, on how many renders run at the
/// same time, or on which font environment of the pool a render gets.
@Suite("Warm and concurrent rendering give the bytes of a fresh process")
struct WarmRenderingTests {
    /// A Chinese and an English template.
    static let templates = ["merchant-service-agreement", "payment-processing-agreement"]

    /// `signet render` in a fresh process: the cold render.
    func coldRender(_ id: String, fields: FieldValues, number: String) throws -> [UInt8] {
        let directory = try TemporaryDirectory("signet-warm")
        let fieldsFile = directory.file("fields.json")
        try JSONEncoder().encode(fields.values).write(to: fieldsFile)
        let out = directory.file("contract.pdf")
        let result = try ExternalTool.run(try RepositoryPaths.signetExecutable().path, [
            "render", "--templates", RepositoryPaths.templates.path, "--template", id, "--fields", fieldsFile.path,
            "--out", out.path, "--number", number, "--issued-at", "2025-03-01T10:00:00+08:00",
        ])
        #expect(result.status == 0, "\(result.combinedOutput)")
        return [UInt8](try Data(contentsOf: out))
    }

    /// The sample with one text field changed, so each contract has other glyphs too.
    func variant(_ template: ContractTemplate, _ index: Int) throws -> FieldValues {
        try Fixtures.sample(template).setting(try Fixtures.longField(of: template), to: template.manifest.locale == .english
            ? "Variant \(index): settlement by wire transfer, quarterly review."
            : "第\(index)版：按月结算，资金通过银行转账划付，争议提交仲裁委员会。")
    }

    /// A template in the locale of `template` whose body is each of `template`'s tables turned
    /// over: its first body row as the header, its header as a body row. The same texts in the
    /// same columns, in the other style (bold, centred or not), which a cache of layouts must
    /// not hand to `template`'s tables.
    func sameTextsOtherStyle(as template: ContractTemplate) throws -> AdHocTemplate {
        let source = try String(contentsOf: RepositoryPaths.templates.appendingPathComponent(
            "\(template.manifest.id)/\(template.manifest.version)/body.txt"), encoding: .utf8)
        var tables: [[String]] = [[]]
        for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("|") {
                tables[tables.count - 1].append(String(line).replacing(/\{\{[a-z_.]+\}\}/, with: "{{name}}"))
            } else if !tables[tables.count - 1].isEmpty {
                tables.append([])
            }
        }
        let turned = tables.filter { $0.count >= 3 }.map { [$0[2], $0[1], $0[0]].joined(separator: "\n") }
        #expect(!turned.isEmpty, "\(template.reference) has no table to test with")
        let body = turned.joined(separator: "\n\n") + "\n\n{{name}}{{amount}}\n\n@signatures\n@party merchant\n甲方\n@end\n"
        return try AdHocTemplate(body: body, locale: template.manifest.locale == .english ? "en" : "zh-CN")
    }

    @Test("after other renders in this process, a contract has the bytes of `signet render` in a fresh process",
          arguments: templates)
    func warmEqualsCold(id: String) throws {
        let template = try Fixtures.template(id)
        let fields = try Fixtures.sample(template)
        let metadata = try Fixtures.metadata("SN-2025-000777")
        // Other tests render at the same time, so the pool may give consecutive renders other
        // environments: warm one environment of this test's own, then render in it.
        let environment = try FontEnvironment()
        func warmUp(_ render: (ContractTemplate, FieldValues, ContractMetadata) throws -> Void) throws {
            // The same texts in other styles, other templates, other fields, other numbers.
            try render(try sameTextsOtherStyle(as: template).load(), ["name": "预热", "amount": "100.00"], try Fixtures.metadata("SN-2025-900000"))
            for other in Fixtures.templateIDs {
                let otherTemplate = try Fixtures.template(other)
                for index in 0..<3 {
                    try render(otherTemplate, try variant(otherTemplate, index), try Fixtures.metadata("SN-2025-9\(index)0001"))
                }
            }
        }
        try warmUp { _ = try ContractRenderer.render(template: $0, fields: $1, metadata: $2, in: environment) }
        let warm = try ContractRenderer.render(template: template, fields: fields, metadata: metadata, in: environment)
        #expect(environment.layouts.count > 0)
        // And through the public API, in whichever environments of the pool.
        try warmUp { _ = try ContractRenderer.render(template: $0, fields: $1, metadata: $2) }
        let pooled = try ContractRenderer.render(template: template, fields: fields, metadata: metadata)

        let cold = try coldRender(id, fields: fields, number: metadata.number)
        #expect(warm.pdf == cold, "warm render (\(warm.pdf.count) bytes) differs from a fresh process's (\(cold.count) bytes)")
        #expect(pooled.pdf == cold, "warm render in the pool (\(pooled.pdf.count) bytes) differs from a fresh process's (\(cold.count) bytes)")
    }

    @Test("8 concurrent renders of different contracts: each has the bytes of its serial render", arguments: templates)
    func concurrentEqualsSerial(id: String) async throws {
        let template = try Fixtures.template(id)
        let contracts = try (0..<8).map { index in
            (fields: try variant(template, index), metadata: try Fixtures.metadata("SN-2025-00080\(index)"))
        }
        let serial = try contracts.map { try ContractRenderer.render(template: template, fields: $0.fields, metadata: $0.metadata).pdf }
        #expect(Set(serial).count == contracts.count, "the contracts must differ for the test to mean anything")
        // Off the cooperative pool, on threads of their own, as the service renders.
        let concurrent = try await withThrowingTaskGroup(of: (Int, [UInt8]).self) { group in
            for (index, contract) in contracts.enumerated() {
                group.addTask {
                    try await Self.onThread {
                        (index, try ContractRenderer.render(template: template, fields: contract.fields, metadata: contract.metadata).pdf)
                    }
                }
            }
            var results = [[UInt8]](repeating: [], count: contracts.count)
            for try await (index, pdf) in group { results[index] = pdf }
            return results
        }
        for index in contracts.indices {
            #expect(concurrent[index] == serial[index], "contract \(index): concurrent render differs from its serial render")
        }
    }

    /// Runs `body` on a new thread (renders block; the cooperative pool is not for that).
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }
}
