@testable import SignetTemplates
import Testing

/// The layout cache a font environment keeps across renders: bounded, and what every render
/// uses stays in it.
@Suite("Layout cache")
struct LayoutCacheTests {
    @Test("holds at most two generations; a layout in use every round is never made again")
    func boundedAndKeepsHotLayouts() throws {
        let environment = try FontEnvironment()
        let typesetter = try environment.typesetter(language: "zh-cn")
        let cache = LayoutCache(generationSize: 4)
        var made: [String] = []
        func layout(_ text: String) -> TextLayout {
            let key = LayoutCache.Key(text: StyledText(text), style: ContractStyles.body(), width: 200, language: typesetter.language)
            return cache.layout(for: key) {
                made.append(text)
                return TextLayout(StyledText(text), style: ContractStyles.body(), width: 200, context: typesetter.context)
            }
        }
        let clause = layout("甲方应按本协议约定结算。")
        for round in 0..<20 {
            #expect(layout("甲方应按本协议约定结算。") === clause, "round \(round): the recurring clause was laid out again")
            _ = layout("合同编号：SN-2025-\(round)")
            #expect(cache.count <= 2 * cache.generationSize)
        }
        #expect(made.filter { $0 == "甲方应按本协议约定结算。" }.count == 1)
        // The one-off texts of early rounds are gone: asking again lays them out anew.
        _ = layout("合同编号：SN-2025-0")
        #expect(made.filter { $0 == "合同编号：SN-2025-0" }.count == 2)
    }
}
