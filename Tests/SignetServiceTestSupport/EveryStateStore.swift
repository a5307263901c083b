package import Foundation
package import SignetService
package import SignetStore
import SignetPKI
import SignetTemplates

/// A store holding a contract in every state of the lifecycle and a certified paper
/// document, made through the service only (what a clean store looks like).
package struct EveryStateStore: Sendable {
    /// The fixture (its clock moved past the expired contract's expiry at the end).
    package let fixture: ServiceFixture
    /// One contract id per state.
    package let contracts: [ContractState: String]
    /// The paper document's id.
    package let documentID: String

    /// Builds the store: draft, sent, viewed, signed (the countersignature's TSA was down),
    /// completed, declined, voided, expired, and a paper document.
    /// `location`: where the storage is (by default the tests' backend, `TestStorage`).
    package static func make(location: StorageLocation? = nil) async throws -> EveryStateStore {
        let fixture = try await ServiceFixture.make(location: location)
        let service = fixture.service
        let origin = ServiceFixture.origin
        let merchant = try await service.createMerchant(ServiceFixture.merchantInput)
        func create(draft: Bool = false, expiresAt: Date? = nil) async throws -> IssuedContract {
            try await service.createContract(NewContract(merchantID: merchant.id, templateID: "merchant-service-agreement",
                                                         fields: try ServiceFixture.sampleFields(), expiresAt: expiresAt, draft: draft),
                                             origin: origin)
        }
        func token(_ issued: IssuedContract) throws -> String {
            guard let url = issued.links[.merchant]?.url, let token = url.split(separator: "/").last else { throw FixtureError("no merchant link") }
            return String(token)
        }
        var ids: [ContractState: String] = [:]
        ids[.draft] = try await create(draft: true).contract.id
        ids[.sent] = try await create().contract.id
        let viewed = try await create()
        _ = try await service.openLink(token: try token(viewed), origin: origin)
        ids[.viewed] = viewed.contract.id
        ids[.completed] = try await fixture.completedContract(merchantID: merchant.id).id
        let declined = try await create()
        let embedded = try await service.issueEmbeddedLink(contractID: declined.contract.id, role: .merchant, origin: origin)
        let grant = try await service.enterEmbeddedLink(token: String(embedded.url.split(separator: "/").last ?? ""), origin: origin)
        let context = try await service.signerContext(token: String(embedded.url.split(separator: "/").last ?? ""), sessionSecret: grant.secret)
        _ = try await service.decline(context, reason: "not what we agreed", origin: origin)
        ids[.declined] = declined.contract.id
        let voided = try await create()
        _ = try await service.voidContract(id: voided.contract.id, reason: "merchant withdrew", origin: origin)
        ids[.voided] = voided.contract.id
        let signed = try await create()
        let flaky = try await ServiceFixture.make(reusing: fixture, timestamps: FailingAfterFirstTSA(real: try fixture.keys.makeTimeStampAuthority()))
        _ = try await flaky.service.sign(contractID: signed.contract.id, role: .merchant, evidence: ServiceFixture.evidence)
        try await flaky.storage.close()
        ids[.signed] = signed.contract.id
        let document = try await service.certifyPaperDocument(merchantID: merchant.id, pdf: try await service.originalPDF(contractID: ids[.sent]!).bytes,
                                                              title: "Paper agreement", origin: origin)
        let expiring = try await create(expiresAt: fixture.clock.now.addingTimeInterval(3600))
        fixture.clock.advance(by: 3601)
        _ = try await service.expireDueContracts()
        ids[.expired] = expiring.contract.id
        for (state, id) in ids {
            let stored = try await service.contract(id: id)
            guard stored.state == state else { throw FixtureError("\(id) is \(stored.state), not \(state)") }
        }
        return EveryStateStore(fixture: fixture, contracts: ids, documentID: document.id)
    }
}
