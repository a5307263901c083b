import ArgumentParser
import FoundationEssentials
import SignetPKI
import SignetService
import SignetStore
import SignetTemplates

/// `signet-bench populate`: a data and key directory as `signet serve` keeps them, holding
/// `--contracts` completed contracts of `--merchants` merchants, for the archive benchmark
/// (benchmarks/archive.sh: `signet export` and `signet verify-archive` over them). Contracts
/// cycle through the Chinese, English and bilingual templates; each is created, signed by
/// the merchant (one-time event certificate, B-T) and countersigned (B-LTA) through the
/// service in process, `--parallel` at a time. Completion times are spread one per minute
/// from `--start` (the service clock is the real one, so they are "now"; printed at the end).
struct PopulateBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "populate",
        abstract: "Make a data directory with N completed contracts (for benchmarks/archive.sh)."
    )

    @Option(help: "The directory to create (data/ and keys/ inside).") var directory: String
    @Option(help: "Template directory.") var templates = "contract-templates"
    @Option(help: "Completed contracts to make.") var contracts = 100
    @Option(help: "Merchants they are spread over.") var merchants = 10
    @Option(help: "Contracts signed at once.") var parallel = 2

    func run() async throws {
        guard contracts > 0, merchants > 0, parallel > 0 else { throw ValidationError("counts must be positive") }
        let catalog = TemplateCatalog(root: URL(fileURLWithPath: templates))
        let keys = try BenchKeyDirectory.create(at: directory + "/keys", catalog: catalog, templates: templates,
                                                baseURL: "http://127.0.0.1:8080")
        let storage = try await SQLiteStorage.open(directory: URL(fileURLWithPath: directory + "/data"))
        let service = SignetService(storage: storage.storage, templates: catalog, keys: keys,
                                    signingFlow: try await ContractSigningFlow.forService(keys: keys, storage: storage.storage),
                                    configuration: ServiceConfiguration(baseURL: "http://127.0.0.1:8080"))
        let kinds = try PopulationKind.all(catalog: catalog)
        var merchantIDs: [[String]] = Array(repeating: [], count: kinds.count)
        for index in 0..<merchants {
            for (k, kind) in kinds.enumerated() {
                merchantIDs[k].append(try await service.createMerchant(kind.merchant(index)).id)
            }
        }
        let clock = ContinuousClock()
        let started = clock.now
        let first = Date()
        var done = 0
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            func add() {
                let index = next
                next += 1
                let k = index % kinds.count
                let kind = kinds[k]
                let merchantID = merchantIDs[k][(index / kinds.count) % merchants]
                group.addTask {
                    let issued = try await service.createContract(
                        NewContract(merchantID: merchantID, templateID: kind.templateID, fields: kind.fields), origin: PopulationKind.origin)
                    let signed = try await service.sign(contractID: issued.contract.id, role: "merchant", evidence: PopulationKind.evidence)
                    guard signed.state == .completed else { throw BenchError("\(signed.number) is \(signed.state), not completed") }
                }
            }
            for _ in 0..<min(parallel, contracts) { add() }
            while try await group.next() != nil {
                done += 1
                if done % 100 == 0 { print("populate: \(done)/\(contracts)") }
                if next < contracts { add() }
            }
        }
        let elapsed = (clock.now - started)
        print("populate: \(contracts) completed contracts of \(merchants * kinds.count) merchants in \(BenchRate.fixed(elapsed.seconds, places: 1)) s")
        print("populate: completed between \(first.ISO8601Format()) and \(Date().ISO8601Format())")
    }
}

/// One kind of contract the population cycles through: a template and a merchant shaped
/// like its sample's merchant party.
struct PopulationKind: Sendable {
    let templateID: String
    let fields: FieldValues
    let sample: FieldValues

    static let origin = RequestOrigin(actor: "api_key:key_bench", ip: "127.0.0.1", userAgent: "signet-bench populate")
    static let evidence = SigningEvidence(origin: RequestOrigin(actor: "signer:merchant", ip: "127.0.0.1", userAgent: "signet-bench populate"),
                                          authentication: "sms_otp")
    /// The fields the service fills from the merchant's record.
    static let recordFields: Set<String> = ["merchant_name", "merchant_credit_code", "merchant_legal_rep", "merchant_contact",
                                            "merchant_phone", "merchant_email", "merchant_registration_no", "merchant_jurisdiction"]

    static func all(catalog: TemplateCatalog) throws -> [PopulationKind] {
        try ["merchant-service-agreement", "payment-processing-agreement", "settlement-account-authorization"].map { id in
            let template = try catalog.template(id: id, version: nil)
            guard let sample = template.sample else { throw BenchError("\(id) has no sample.json") }
            return PopulationKind(templateID: id, fields: FieldValues(sample.values.filter { !recordFields.contains($0.key) }), sample: sample)
        }
    }

    private func text(_ name: String) -> String? {
        if case .string(let value)? = sample[name] { return value }
        return nil
    }

    /// The `index`th merchant of this kind (its own external id, the sample's party otherwise).
    func merchant(_ index: Int) -> NewMerchant {
        let registration = text("merchant_credit_code").map { NewMerchant.RegistrationInput(creditCode: $0) }
            ?? NewMerchant.RegistrationInput(number: text("merchant_registration_no"), country: "HK")
        // The English sample's party is a Hong Kong company (`merchant_jurisdiction`).
        return NewMerchant(
            externalID: "bench-\(templateID)-\(index)", name: text("merchant_name") ?? "Bench merchant",
            registration: registration, legalRepresentative: text("merchant_legal_rep") ?? text("merchant_signatory") ?? "Bench",
            contact: MerchantContact(name: text("merchant_contact") ?? text("merchant_signatory") ?? "Bench",
                                     phone: text("merchant_phone"), email: text("merchant_email")))
    }
}
