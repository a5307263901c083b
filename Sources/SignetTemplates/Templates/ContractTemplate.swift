public import FoundationEssentials

/// One version of a contract template, loaded and checked: manifest, parsed body, the
/// digest of its files, and its sample values.
public struct ContractTemplate: Sendable, Hashable {
    /// The parsed, checked manifest.
    public let manifest: TemplateManifest
    /// The parsed body, consistent with the manifest.
    public let body: TemplateBody
    /// SHA-256 (hex) of the version's files; see `TemplateDigest`. Contracts record it.
    public let digest: String
    /// `sample.json`, if the version has one: realistic values for demos and tests.
    public let sample: FieldValues?

    /// `id@version`.
    public var reference: String { manifest.reference }

    /// Loads a version directory on its own (no lock check), e.g. a template stored with an
    /// archived contract.
    ///
    /// - Parameter expectedDigest: if given, the files must hash to it.
    /// - Throws: `TemplateError` listing every manifest or body problem.
    public static func load(from directory: URL, expectedDigest: String? = nil) throws(TemplateError) -> ContractTemplate {
        try load(files: try TemplateDigest.readFiles(in: directory), directory: directory, expectedDigest: expectedDigest)
    }

    /// Loads a version from its files held in memory (e.g. read back from an archive's
    /// `template/` folder); problems name paths under `template/`.
    ///
    /// - Parameter expectedDigest: if given, the files (sorted by name bytes) must hash to it.
    public static func load(files: [TemplateDigest.File], expectedDigest: String? = nil) throws(TemplateError) -> ContractTemplate {
        let sorted = files.sorted { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }
        return try load(files: sorted, directory: URL(fileURLWithPath: "template"), expectedDigest: expectedDigest)
    }

    /// Loads a version from its already-read files.
    static func load(files: [TemplateDigest.File], directory: URL, expectedDigest: String?) throws(TemplateError) -> ContractTemplate {
        let digest = TemplateDigest.digest(of: files)
        let manifestPath = directory.appendingPathComponent("manifest.json").path
        guard let manifestFile = files.first(where: { $0.name == "manifest.json" }) else {
            throw .unreadable(path: manifestPath, reason: "no manifest.json in the version directory")
        }
        let manifest = try TemplateManifest.parse(manifestFile.contents, path: manifestPath)
        if let expectedDigest, expectedDigest != digest {
            throw .digestMismatch(reference: manifest.reference, expected: expectedDigest, actual: digest)
        }
        let bodyPath = directory.appendingPathComponent(manifest.bodyFile).path
        guard let bodyFile = files.first(where: { $0.name == manifest.bodyFile }) else {
            throw .unreadable(path: bodyPath, reason: "the manifest names body file '\(manifest.bodyFile)', which does not exist")
        }
        guard let source = String(validating: bodyFile.contents, as: UTF8.self) else {
            throw .invalidBody(path: bodyPath, problems: [BodyProblem(line: 1, message: "the body is not valid UTF-8")])
        }
        let parsed = BodyParser.parse(source)
        guard let body = parsed.body else { throw .invalidBody(path: bodyPath, problems: parsed.problems) }
        let problems = BodyChecker.check(body, against: manifest)
        guard problems.isEmpty else { throw .invalidBody(path: bodyPath, problems: problems) }

        var sample: FieldValues?
        if let sampleFile = files.first(where: { $0.name == "sample.json" }) {
            do {
                sample = try FieldValues(json: sampleFile.contents)
            } catch {
                throw .unreadable(path: directory.appendingPathComponent("sample.json").path, reason: error.description)
            }
        }
        return ContractTemplate(manifest: manifest, body: body, digest: digest, sample: sample)
    }

    /// Validates a fill against the template's fields.
    ///
    /// - Throws: `FieldValidationError` with every problem.
    public func validate(_ values: FieldValues) throws(FieldValidationError) -> FilledFields {
        try FieldValidator(fields: manifest.fields).validate(values)
    }
}

/// Consistency of a body with its manifest: placeholders name fields, formats suit the
/// field types, each signer role has exactly one signature party, every field is used.
enum BodyChecker {
    static func check(_ body: TemplateBody, against manifest: TemplateManifest) -> [BodyProblem] {
        var problems: [BodyProblem] = []
        let fields = Dictionary(manifest.fields.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var used = Set<String>()
        for placeholder in body.placeholders {
            used.insert(placeholder.name)
            if Placeholder.builtIns.contains(placeholder.name) {
                if placeholder.format == .upper {
                    problems.append(.init(line: placeholder.line, message: "{{\(placeholder.name):upper}}: upper is for CNY money fields"))
                }
                continue
            }
            guard let field = fields[placeholder.name] else {
                problems.append(.init(line: placeholder.line, message: "{{\(placeholder.name)}} names no field of the manifest"))
                continue
            }
            if placeholder.format == .upper, case .money(let currencies, _, _) = field.type, currencies == ["CNY"] {
                continue
            }
            if placeholder.format == .upper {
                problems.append(.init(line: placeholder.line,
                    message: "{{\(placeholder.name):upper}}: upper (Chinese capital amount) needs a money field whose only currency is CNY"))
            }
        }
        for field in manifest.fields where !used.contains(field.name) {
            problems.append(.init(line: 1, message: "field '\(field.name)' is declared in the manifest but never printed"))
        }
        var parties: [PartyRole: Int] = [:]
        for case .signatures(let list) in body.blocks {
            for party in list { parties[party.role, default: 0] += 1 }
        }
        let roles = Set(manifest.signers.map(\.role))
        for (role, count) in parties.sorted(by: { $0.key < $1.key }) {
            if !roles.contains(role) {
                problems.append(.init(line: 1, message: "@party \(role) is not a signer role of the manifest"))
            } else if count > 1 {
                problems.append(.init(line: 1, message: "@party \(role) appears \(count) times; each signer has one signature box"))
            }
        }
        for signer in manifest.signers where parties[signer.role] == nil {
            problems.append(.init(line: 1, message: "signer role '\(signer.role)' has no @party in a @signatures block"))
        }
        return problems
    }
}
