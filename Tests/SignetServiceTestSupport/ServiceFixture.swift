package import Foundation
package import SignetCrypto
package import SignetPKI
package import SignetService
package import SignetStore
package import SignetTemplates
package import SignetTestSupport
import Synchronization

/// A whole service on real parts for tests: SQLite and blobs in a temp directory (or a
/// PostgreSQL database: `TestStorage`), a
/// development PKI for the templates' platform company, the repository's templates, and a
/// clock the test can move.
package struct ServiceFixture: Sendable {
    package let directory: TemporaryDirectory
    /// Where the storage is: SQLite in `directory`, or a PostgreSQL database (`TestStorage`).
    package let location: StorageLocation
    package let storage: any ServiceStore
    package let keys: KeyDirectory
    package let service: SignetService
    package let clock: TestClock

    /// The sample merchant of merchant-service-agreement's sample.json.
    package static let merchantInput = NewMerchant(
        externalID: "m-1001", name: "杭州青禾餐饮管理有限公司", registration: .init(creditCode: "91330102MA28GH6T7K"),
        legalRepresentative: "林晓禾", contact: MerchantContact(name: "陈思远", phone: "13857112468", email: "finance@qinghe-dining.cn"))

    package static let origin = RequestOrigin(actor: "api_key:key_test", ip: "127.0.0.1", userAgent: "ServiceTests")
    package static let evidence = SigningEvidence(origin: RequestOrigin(actor: "signer:merchant", ip: "127.0.0.1", userAgent: "ServiceTests"),
                                          authentication: "service")

    /// A fresh service (or one over `directory`/`keys` of an earlier fixture, to restart), with
    /// `configure`'s changes to the default configuration and reporting to `metrics`.
    /// With `keys` (e.g. a `PublishedKeyDirectory`'s, for validators that check revocation
    /// online), the service signs with them, and every platform entity of the templates gets a seal.
    /// With `location`, the storage is there whatever the tests' backend (e.g. PostgreSQL for a
    /// CLI test: `TestStorage.postgresLocation()`).
    package static func make(reusing earlier: ServiceFixture? = nil, keys givenKeys: KeyDirectory? = nil, timestamps: (any TimeStampProvider)? = nil,
                     metrics: ServiceMetrics = ServiceMetrics(), location givenLocation: StorageLocation? = nil,
                     configure: (inout ServiceConfiguration) -> Void = { _ in }) async throws -> ServiceFixture {
        let directory = try earlier?.directory ?? TemporaryDirectory()
        let location = try earlier?.location ?? givenLocation ?? TestStorage.location(in: directory.file("data"))
        let storage = try await TestStorage.open(location)
        let keys: KeyDirectory
        if let earlier {
            keys = earlier.keys
        } else if let givenKeys {
            keys = givenKeys
            try PlatformEntity.ensureSeals(for: try PlatformEntity.all(in: TemplateCatalog(root: RepositoryPaths.templates)), in: keys, passphrase: nil)
        } else {
            var options = KeyDirectory.CreationOptions()
            options.organization = "星河支付有限公司"
            options.creditCode = "91330106MA2KX7Q38P"
            keys = try KeyDirectory.create(at: directory.file("keys").path, options: options)
        }
        let clock = earlier?.clock ?? TestClock()
        let flow = try ContractSigningFlow(keys: keys, timestamps: timestamps)
        var configuration = ServiceConfiguration(baseURL: "http://127.0.0.1:8080")
        if let earlier { configuration.responseSealingKey = earlier.service.configuration.responseSealingKey }
        configure(&configuration)
        let service = SignetService(storage: storage.storage, templates: TemplateCatalog(root: RepositoryPaths.templates), keys: keys,
                                    signingFlow: flow, configuration: configuration, metrics: metrics, clock: { clock.now })
        return ServiceFixture(directory: directory, location: location, storage: storage, keys: keys, service: service, clock: clock)
    }

    /// The merchant fields the service takes from the merchant's record.
    package static let recordFields: Set<String> = ["merchant_name", "merchant_credit_code", "merchant_legal_rep", "merchant_contact",
                                            "merchant_phone", "merchant_email", "merchant_registration_no", "merchant_jurisdiction"]

    /// The sample's fields without those the service takes from the merchant's record.
    package static func sampleFields(_ templateID: String = "merchant-service-agreement") throws -> FieldValues {
        let template = try TemplateStore(root: RepositoryPaths.templates).load(id: templateID)
        guard let sample = template.sample else { throw FixtureError("no sample for \(templateID)") }
        return FieldValues(sample.values.filter { !recordFields.contains($0.key) })
    }

    /// A registered merchant and a sent contract with its links.
    package func merchantAndContract() async throws -> (Merchant, IssuedContract) {
        let merchant = try await service.createMerchant(Self.merchantInput)
        let issued = try await service.createContract(
            NewContract(merchantID: merchant.id, templateID: "merchant-service-agreement", fields: try Self.sampleFields()),
            origin: Self.origin)
        return (merchant, issued)
    }

    /// A Hong Kong merchant, for the en template (payment-processing-agreement).
    package static let englishMerchantInput = NewMerchant(
        externalID: "m-2002", name: "Harbourline Outdoor Supply Limited", registration: .init(number: "76543218", country: "HK"),
        legalRepresentative: "Daniel Wong Ka-ho",
        contact: MerchantContact(name: "Daniel Wong Ka-ho", phone: "+852 2816 4470", email: "finance@harbourline-outdoor.com"))

    /// A contract of `templateID` (its sample's fields) for `merchantID`, signed by the
    /// merchant so that it completes. A template naming another platform entity (the en
    /// templates name the English legal entity) signs with that entity's own seal, issued
    /// here when the key directory has none (`KeyDirectory.issueSeal`).
    package func completedContract(merchantID: String, templateID: String = "merchant-service-agreement") async throws -> Contract {
        let issued: IssuedContract
        do {
            issued = try await service.createContract(
                NewContract(merchantID: merchantID, templateID: templateID, fields: try Self.sampleFields(templateID)), origin: Self.origin)
        } catch {
            throw FixtureError("\(templateID) for \(merchantID): \(String(reflecting: error))")
        }
        if let entity = issued.contract.fields["platform_name"], try keys.seal(for: entity) == nil {
            _ = try keys.issueSeal(organization: entity, registrationNumber: issued.contract.fields["platform_credit_code"])
        }
        let completed = try await service.sign(contractID: issued.contract.id, role: .merchant, evidence: Self.evidence)
        guard completed.state == .completed else { throw FixtureError("\(completed.id) is \(completed.state), not completed") }
        return completed
    }

    /// Every blob file's name, to show that a refused request wrote none.
    package func blobNames() throws -> Set<String> {
        let root = directory.file("data/blobs")
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        return Set(enumerator.compactMap { ($0 as? URL)?.lastPathComponent }.filter { $0.count == 64 })
    }
}

/// A clock tests move by hand.
package final class TestClock: Sendable {
    private let current = Mutex(Date())
    package var now: Date { current.withLock { $0 } }
    package func advance(by seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

package struct FixtureError: Error, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}
