import FoundationEssentials
import SignetService
import SignetTemplates

/// The API's request bodies, read strictly (`JSONRequestReader`): each returns the service's
/// input, or every structural problem at once.
enum RequestBodies {
    /// `POST /v1/merchants`.
    static func merchant(_ json: JSONValue) -> Result<NewMerchant, RequestIssues> {
        var reader = JSONRequestReader()
        guard let root = reader.root(json, allowed: ["external_id", "name", "registration", "legal_representative", "contact"]) else {
            return .failure(RequestIssues(issues: reader.issues))
        }
        let externalID = reader.string(root, "external_id", required: true, maxLength: 200)
        let name = reader.string(root, "name", required: true, maxLength: 1000)
        let legal = reader.string(root, "legal_representative", required: true, maxLength: 1000)
        let registration = reader.nestedObject(root, "registration", allowed: ["credit_code", "number", "country"], required: true)
        let contact = reader.nestedObject(root, "contact", allowed: ["name", "phone", "email"], required: true)
        let creditCode = registration.flatMap { reader.string($0, "credit_code", path: "registration", maxLength: 100) }
        let number = registration.flatMap { reader.string($0, "number", path: "registration", maxLength: 200) }
        let country = registration.flatMap { reader.string($0, "country", path: "registration", maxLength: 10) }
        let contactName = contact.flatMap { reader.string($0, "name", path: "contact", required: true, maxLength: 1000) }
        let phone = contact.flatMap { reader.string($0, "phone", path: "contact", maxLength: 100) }
        let email = contact.flatMap { reader.string($0, "email", path: "contact", maxLength: 1000) }
        guard reader.issues.isEmpty, let externalID, let name, let legal, let contactName else { return .failure(RequestIssues(issues: reader.issues)) }
        return .success(NewMerchant(
            externalID: externalID, name: name,
            registration: .init(creditCode: creditCode, number: number, country: country),
            legalRepresentative: legal, contact: MerchantContact(name: contactName, phone: phone, email: email)))
    }

    /// `POST /v1/contracts`.
    static func contract(_ json: JSONValue) -> Result<NewContract, RequestIssues> {
        var reader = JSONRequestReader()
        guard let root = reader.root(json, allowed: ["merchant_id", "template_id", "template_version", "fields", "signers",
                                                     "expires_at", "draft", "metadata"]) else { return .failure(RequestIssues(issues: reader.issues)) }
        let merchantID = reader.string(root, "merchant_id", required: true, maxLength: 100)
        let templateID = reader.string(root, "template_id", required: true, maxLength: 100)
        let version = reader.string(root, "template_version", maxLength: 40)
        let fields = reader.nestedObject(root, "fields", allowed: [], required: true).map { _ in root["fields"]! }
        let expiresAt = reader.time(root, "expires_at")
        let draft = reader.bool(root, "draft") ?? false
        let metadata = reader.stringMap(root, "metadata") ?? [:]
        var signers: [NewContract.SignerInput] = []
        for (index, item) in (reader.array(root, "signers", maxCount: 10) ?? []).enumerated() {
            let path = "signers[\(index)]"
            guard let members = reader.object(item, path: path, allowed: ["role", "name", "phone", "email"]) else { continue }
            let role = reader.string(members, "role", path: path, required: true, maxLength: 64)
            let name = reader.string(members, "name", path: path, required: true, maxLength: 1000)
            let phone = reader.string(members, "phone", path: path, maxLength: 100)
            let email = reader.string(members, "email", path: path, maxLength: 1000)
            if let role, let name { signers.append(.init(role: role, name: name, phone: phone, email: email)) }
        }
        // Field values: the template validator reports their types and values (422); only
        // the container's shape is checked here. (`nestedObject` with no allowed members
        // would flag every field as unknown, so those issues are dropped.)
        let issues = reader.issues.filter { !$0.field.hasPrefix("fields.") }
        guard issues.isEmpty, let merchantID, let templateID, case .object(let values)? = fields else { return .failure(RequestIssues(issues: issues)) }
        return .success(NewContract(merchantID: merchantID, templateID: templateID, templateVersion: version,
                                    fields: FieldValues(values), signers: signers, expiresAt: expiresAt, draft: draft, metadata: metadata))
    }

    /// `POST /v1/contracts/{id}/void`.
    static func voidReason(_ json: JSONValue) -> Result<String, RequestIssues> {
        var reader = JSONRequestReader()
        guard let root = reader.root(json, allowed: ["reason"]) else { return .failure(RequestIssues(issues: reader.issues)) }
        let reason = reader.string(root, "reason", required: true, maxLength: 2000)
        guard reader.issues.isEmpty, let reason else { return .failure(RequestIssues(issues: reader.issues)) }
        return .success(reason)
    }

    /// `POST …/embedded-link`: empty, `{}`, or `{"frame_ancestors": ["https://…", …]}` (the
    /// origins' values are the service's to check: 422).
    static func embeddedLink(_ json: JSONValue?) -> Result<[String], RequestIssues> {
        guard let json else { return .success([]) }
        var reader = JSONRequestReader()
        guard let root = reader.root(json, allowed: ["frame_ancestors"]) else { return .failure(RequestIssues(issues: reader.issues)) }
        let origins = reader.stringArray(root, "frame_ancestors") ?? []
        return reader.issues.isEmpty ? .success(origins) : .failure(RequestIssues(issues: reader.issues))
    }

    /// `POST /v1/exports`: `{"merchant_id"}` and/or `{"from", "to"}`, optional `state` (the
    /// values are the service's to check: `export_filter_invalid`).
    static func export(_ json: JSONValue) -> Result<ExportFilter, RequestIssues> {
        var reader = JSONRequestReader()
        guard let root = reader.root(json, allowed: ["merchant_id", "from", "to", "state"]) else {
            return .failure(RequestIssues(issues: reader.issues))
        }
        let merchantID = reader.string(root, "merchant_id", maxLength: 100)
        let from = reader.string(root, "from", maxLength: 10)
        let to = reader.string(root, "to", maxLength: 10)
        let state = reader.string(root, "state", maxLength: 20)
        var issues = reader.issues
        let contractState = state.map { ContractState(rawValue: $0) } ?? .completed
        if contractState == nil {
            issues.append(ValidationIssue(field: "state", code: "invalid_value", message: "not a contract state"))
        }
        guard issues.isEmpty, let contractState else { return .failure(RequestIssues(issues: issues)) }
        return .success(ExportFilter(merchantID: merchantID, from: from, to: to, state: contractState))
    }

    /// A revocation's body: empty, or `{"reason": "keyCompromise"}` (the reason is checked by the service).
    static func revocation(_ json: JSONValue?) -> Result<String?, RequestIssues> {
        guard let json else { return .success(nil) }
        var reader = JSONRequestReader()
        guard let root = reader.root(json, allowed: ["reason"]) else { return .failure(RequestIssues(issues: reader.issues)) }
        let reason = reader.string(root, "reason", maxLength: 40)
        return reader.issues.isEmpty ? .success(reason) : .failure(RequestIssues(issues: reader.issues))
    }

    /// A body that must be empty or `{}` (send, link).
    static func empty(_ json: JSONValue?) -> Result<Void, RequestIssues> {
        guard let json else { return .success(()) }
        var reader = JSONRequestReader()
        _ = reader.root(json, allowed: [])
        return reader.issues.isEmpty ? .success(()) : .failure(RequestIssues(issues: reader.issues))
    }
}

/// The structural problems of a request body (a 400 `invalid_request`).
struct RequestIssues: Error {
    let issues: [ValidationIssue]
}
