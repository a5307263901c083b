/// The API's OpenAPI 3.1 document, `Resources/openapi.json` of this target, served at
/// `/openapi.json`.
///
/// SwiftPM embeds the file into the binary (`.embedInCode`): nothing to find at run time, and
/// no `Bundle.module`, whose accessor would link full Foundation into `signet`
/// (docs/engineering.md).
public enum OpenAPIDocument {
    /// The document's bytes.
    public static var bytes: [UInt8] { PackageResources.openapi_json }
}
