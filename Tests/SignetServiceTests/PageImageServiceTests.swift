import SignetServiceTestSupport
import Foundation
import SignetService
import SignetTemplates
import SignetTestSupport
import Synchronization
import Testing

/// `SignetService.pageImage`: the pages of a contract's original as PNG, drawn once per
/// document and scale, refused for pages and scales it does not have, and never drawn from a
/// render that is not the stored original. (That the images match the PDF is
/// `PageImageTests` in SignetTemplatesTests, against `pdftoppm`.)
@Suite("Page images of the document being signed")
struct PageImageServiceTests {
    /// Counts the service's page-image renders.
    final class RenderCounter: Sendable {
        private let count = Mutex(0)
        var value: Int { count.withLock { $0 } }
        var metrics: ServiceMetrics {
            ServiceMetrics(recordDuration: { [self] operation, _ in
                if operation == "render_page_images" { count.withLock { $0 += 1 } }
            })
        }
    }

    @Test("every page of a service-made contract as PNG at 2×: one render for all of them, then the cache")
    func pagesOfAContract() async throws {
        let renders = RenderCounter()
        let fixture = try await ServiceFixture.make(metrics: renders.metrics)
        let (_, issued) = try await fixture.merchantAndContract()
        let contract = issued.contract
        let pageCount = try #require(contract.original.pageCount)
        #expect(pageCount >= 2)

        // A review page asks for every page at once: they wait for one drawing.
        let images = try await withThrowingTaskGroup(of: (Int, [UInt8]).self) { group in
            for page in 1...pageCount {
                group.addTask { (page, try await fixture.service.pageImage(contractID: contract.id, page: page, scale: 2)) }
            }
            return try await group.reduce(into: [Int: [UInt8]]()) { $0[$1.0] = $1.1 }
        }
        #expect(renders.value == 1)
        #expect(Set(images.values).count == pageCount, "every page is its own image")
        for page in 1...pageCount {
            let png = try #require(images[page])
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
            let pixels = try PNGPixels(png: png)
            #expect(pixels.width == 1191 && pixels.height == 1684, "A4 at 144 dpi")
        }

        // Asked again: the same bytes, from the cache.
        let again = try await fixture.service.pageImage(contractID: contract.id, page: 1, scale: 2)
        #expect(again == images[1])
        #expect(renders.value == 1)

        // Another scale is another drawing.
        let small = try PNGPixels(png: try await fixture.service.pageImage(contractID: contract.id, page: 1, scale: 1))
        #expect(small.width == 596 && small.height == 842)
        #expect(renders.value == 2)
    }

    @Test("pages the document does not have, scales outside 1…3 and unknown contracts are refused")
    func refusals() async throws {
        let fixture = try await ServiceFixture.make()
        let (_, issued) = try await fixture.merchantAndContract()
        let id = issued.contract.id
        let pageCount = try #require(issued.contract.original.pageCount)
        for page in [0, -1, pageCount + 1] {
            await #expect(throws: ServiceError.notFound("page")) { try await fixture.service.pageImage(contractID: id, page: page, scale: 2) }
        }
        for scale in [0, 4, -2] {
            let error = await #expect(throws: ServiceError.self) { try await fixture.service.pageImage(contractID: id, page: 1, scale: scale) }
            #expect(error?.code == "validation_failed")
            #expect(error?.fieldErrors.map(\.field) == ["scale"])
        }
        await #expect(throws: ServiceError.notFound("contract")) {
            try await fixture.service.pageImage(contractID: "ctr_doesnotexist", page: 1, scale: 2)
        }
    }

    @Test("a render that does not give the stored original's bytes draws no image")
    func onlyTheOriginal() async throws {
        let first = try await ServiceFixture.make()
        let (_, issued) = try await first.merchantAndContract()
        // The same storage under another UTC offset: contracts print their issue time in it, so
        // a render now is another PDF than the one stored, and its pages must not be shown.
        let moved = try await ServiceFixture.make(reusing: first) { $0.utcOffsetSeconds = 0 }
        let error = await #expect(throws: ServiceError.self) {
            try await moved.service.pageImage(contractID: issued.contract.id, page: 1, scale: 2)
        }
        #expect(error?.code == "internal_error")
        #expect("\(String(reflecting: try #require(error)))".contains("not the original"))
        // The service the contract was made with draws it.
        _ = try await first.service.pageImage(contractID: issued.contract.id, page: 1, scale: 2)
    }
}
