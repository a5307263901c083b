public import FoundationEssentials

extension TemplateManifest {
    /// Parses `manifest.json`, reporting every problem at once.
    ///
    /// - Throws: `TemplateError.invalidManifest` listing each problem with its JSON path.
    public static func parse(_ data: Data, path: String) throws(TemplateError) -> TemplateManifest {
        let json: JSONValue
        do {
            json = try JSONValue.parse(data)
        } catch {
            throw .invalidManifest(path: path, problems: [error.description])
        }
        var problems: [String] = []
        let manifest = ManifestParser.manifest(json, problems: &problems)
        guard let manifest, problems.isEmpty else {
            throw .invalidManifest(path: path, problems: problems.isEmpty ? ["invalid manifest"] : problems)
        }
        return manifest
    }
}

/// The rules of `manifest.json` (documented in docs/templates.md).
enum ManifestParser {
    static func manifest(_ json: JSONValue, problems: inout [String]) -> TemplateManifest? {
        guard var root = JSONObjectReader(json, path: "manifest", problems: &problems) else { return nil }
        let id = root.string("id", required: true)
        if let id, !Identifier.isTemplateID(id) {
            root.problem("'\(id)' is not a template id (lower-case letters and digits in hyphen-separated words)", key: "id")
        }
        let versionText = root.string("version", required: true)
        let version = versionText.flatMap(TemplateVersion.init)
        if let versionText, version == nil {
            root.problem("'\(versionText)' is not a version (one to three dot-separated numbers, e.g. 1.0.0)", key: "version")
        }
        let title = root.localized("title", required: true)
        let localeText = root.string("locale", required: true)
        let locale = localeText.flatMap(ContractLocale.init(rawValue:))
        if let localeText, locale == nil {
            root.problem("unknown locale '\(localeText)' (use \(ContractLocale.allCases.map(\.rawValue).joined(separator: ", ")))", key: "locale")
        }
        var numbering = locale == .english ? NumberingStyle.decimal : .chinese
        if let text = root.string("numbering") {
            if let style = NumberingStyle(rawValue: text) { numbering = style } else {
                root.problem("unknown numbering '\(text)' (use chinese or decimal)", key: "numbering")
            }
        }
        let bodyFile = root.string("body") ?? "body.txt"
        if bodyFile.contains("/") || bodyFile.hasPrefix(".") || bodyFile.isEmpty {
            root.problem("must be a plain file name in the version directory", key: "body")
        }
        _ = root.string("description")

        var signers: [SignerRole] = []
        for (index, item) in (root.array("signers", required: true) ?? []).enumerated() {
            if let signer = signer(item, path: "manifest.signers[\(index)]", problems: &problems) { signers.append(signer) }
        }
        if signers.isEmpty { root.problem("at least one signer role is needed", key: "signers") }
        for role in Dictionary(grouping: signers, by: \.role).filter({ $0.value.count > 1 }).keys.sorted() {
            root.problem("role '\(role)' is declared more than once", key: "signers")
        }

        var fields: [FieldSpec] = []
        for (index, item) in (root.array("fields", required: true) ?? []).enumerated() {
            if let field = field(item, path: "manifest.fields[\(index)]", problems: &problems) { fields.append(field) }
        }
        for name in Dictionary(grouping: fields, by: \.name).filter({ $0.value.count > 1 }).keys.sorted() {
            root.problem("field '\(name)' is declared more than once", key: "fields")
        }
        problems = root.finish() + problems
        guard let id, let version, let title, let locale else { return nil }
        return TemplateManifest(id: id, version: version, title: title, locale: locale, numbering: numbering,
                                bodyFile: bodyFile, signers: signers, fields: fields)
    }

    static func signer(_ json: JSONValue, path: String, problems: inout [String]) -> SignerRole? {
        guard var reader = JSONObjectReader(json, path: path, problems: &problems) else { return nil }
        let role = reader.string("role", required: true)
        if let role, !Identifier.isName(role) {
            reader.problem("'\(role)' is not a role name (lower-case letters, digits, _)", key: "role")
        }
        let label = reader.localized("label", required: true)
        var width: Double?, height: Double?
        if let box = reader.value("signature") {
            var nested: [String] = []
            if var boxReader = JSONObjectReader(box, path: "\(path).signature", problems: &nested) {
                width = boxReader.double("width", in: 60...240)
                height = boxReader.double("height", in: 40...200)
                if width == nil || height == nil, boxReader.problems.isEmpty {
                    boxReader.problem("needs width (60–240 pt) and height (40–200 pt)")
                }
                nested += boxReader.finish()
            }
            problems += nested
        } else {
            reader.problem("is required (the size of the signature box: {\"width\": 180, \"height\": 100})", key: "signature")
        }
        problems += reader.finish()
        guard let role, let label, let width, let height else { return nil }
        return SignerRole(role: PartyRole(rawValue: role), label: label, signatureWidth: width, signatureHeight: height)
    }

    static func field(_ json: JSONValue, path: String, problems: inout [String]) -> FieldSpec? {
        var fieldPath = path
        if case .object(let object) = json, case .string(let given)? = object["name"] { fieldPath = "\(path) (\(given))" }
        guard var reader = JSONObjectReader(json, path: fieldPath, problems: &problems) else { return nil }
        let name = reader.string("name", required: true)
        if let name, !Identifier.isName(name) {
            reader.problem("'\(name)' is not a field name (lower-case letter, then lower-case letters, digits, _)", key: "name")
        }
        let label = reader.localized("label", required: true)
        let help = reader.localized("help")
        let isRequired = reader.bool("required") ?? true
        let defaultValue = reader.string("default")
        let typeName = reader.string("type", required: true)
        var type: FieldType?
        if let typeName {
            type = fieldType(typeName, reader: &reader)
        }
        if let type, let defaultValue, case .failure(let failure) = FieldValidator.validate(defaultValue, type: type) {
            reader.problem("default '\(defaultValue)' is not a valid value: \(failure.map(\.message).joined(separator: "; "))", key: "default")
        }
        problems += reader.finish()
        guard let name, let label, let type else { return nil }
        return FieldSpec(name: name, label: label, type: type, isRequired: isRequired, defaultValue: defaultValue, help: help)
    }

    static func fieldType(_ name: String, reader: inout JSONObjectReader) -> FieldType? {
        switch name {
        case "text", "multiline":
            let multiline = name == "multiline"
            let minLength = reader.int("minLength", in: 0...100_000) ?? 0
            let maxLength = reader.int("maxLength", in: 1...100_000) ?? (multiline ? 2000 : 200)
            if minLength > maxLength { reader.problem("minLength \(minLength) is greater than maxLength \(maxLength)") }
            let pattern = reader.string("pattern")
            let hint = reader.localized("patternHint")
            if let pattern, (try? Regex(pattern)) == nil {
                reader.problem("'\(pattern)' is not a valid regular expression", key: "pattern")
            }
            let rules = TextRules(minLength: minLength, maxLength: maxLength, pattern: pattern, patternHint: hint?.description)
            return multiline ? .multilineText(rules) : .text(rules)
        case "date":
            let minimum = date(reader.string("min"), key: "min", reader: &reader)
            let maximum = date(reader.string("max"), key: "max", reader: &reader)
            if let minimum, let maximum, minimum > maximum { reader.problem("min \(minimum) is after max \(maximum)") }
            return .date(minimum: minimum, maximum: maximum)
        case "money":
            var currencies: [String] = []
            if let single = reader.string("currency") { currencies = [single] }
            if let list = reader.array("currencies") {
                for item in list {
                    if case .string(let code) = item { currencies.append(code) } else {
                        reader.problem("must be currency codes such as \"CNY\"", key: "currencies")
                    }
                }
            }
            if currencies.isEmpty { reader.problem("needs \"currency\" (e.g. \"CNY\") or \"currencies\"") }
            for code in currencies where !(code.count == 3 && code.allSatisfy { $0.isASCII && $0.isUppercase }) {
                reader.problem("'\(code)' is not an ISO 4217 currency code", key: "currency")
            }
            let minimum = reader.decimal("min"), maximum = reader.decimal("max")
            if let minimum, let maximum, minimum > maximum { reader.problem("min \(minimum) is greater than max \(maximum)") }
            return .money(currencies: currencies.uniqued(), minimum: minimum, maximum: maximum)
        case "percentage":
            let minimum = reader.decimal("min") ?? DecimalText("0")!
            let maximum = reader.decimal("max") ?? DecimalText("100")!
            let decimals = reader.int("decimals", in: 0...6) ?? 2
            if minimum > maximum { reader.problem("min \(minimum) is greater than max \(maximum)") }
            return .percentage(minimum: minimum, maximum: maximum, decimals: decimals)
        case "enum":
            var options: [EnumOption] = []
            for (index, item) in (reader.array("options", required: true) ?? []).enumerated() {
                var nested: [String] = []
                guard var option = JSONObjectReader(item, path: "\(reader.path).options[\(index)]", problems: &nested) else {
                    nested.forEach { reader.record($0) }
                    continue
                }
                let value = option.string("value", required: true)
                let label = option.localized("label")
                for problem in option.finish() { reader.record(problem) }
                if let value { options.append(EnumOption(value: value, label: label ?? LocalizedText(value))) }
            }
            if options.isEmpty { reader.problem("needs at least one option", key: "options") }
            for value in Dictionary(grouping: options, by: \.value).filter({ $0.value.count > 1 }).keys.sorted() {
                reader.problem("option '\(value)' appears more than once", key: "options")
            }
            return .enumeration(options)
        case "phone":
            var formats: [PhoneFormat] = PhoneFormat.allCases
            if let list = reader.array("formats") {
                formats = list.compactMap { item in
                    if case .string(let text) = item, let format = PhoneFormat(rawValue: text) { return format }
                    reader.problem("unknown phone format (use cn-mobile, e164)", key: "formats")
                    return nil
                }
                if formats.isEmpty { reader.problem("needs at least one format", key: "formats") }
            }
            return .phone(formats)
        case "email": return .email
        case "credit-code": return .creditCode
        case "bank-card": return .bankCard
        case "bank-account":
            let minLength = reader.int("minLength", in: 1...40) ?? 6
            let maxLength = reader.int("maxLength", in: 1...40) ?? 32
            if minLength > maxLength { reader.problem("minLength \(minLength) is greater than maxLength \(maxLength)") }
            return .bankAccount(lengths: minLength...max(minLength, maxLength))
        default:
            reader.problem("unknown type '\(name)' (use \(FieldType.names.joined(separator: ", ")))", key: "type")
            return nil
        }
    }

    static func date(_ text: String?, key: String, reader: inout JSONObjectReader) -> CalendarDate? {
        guard let text else { return nil }
        guard let date = CalendarDate(iso: text) else {
            reader.problem("'\(text)' is not a date YYYY-MM-DD", key: key)
            return nil
        }
        return date
    }
}
