import SignetCrypto

/// A `--trust` file that cannot be read as certificates (PEM or DER).
struct TrustAnchorFileError: Error, CustomStringConvertible {
    let path: String
    let reason: String

    var description: String { "cannot read the trust anchor \(path): \(reason)" }
}

/// The certificates of every `--trust` file in `paths`, in order (`verify`, `extend`).
func loadTrustAnchors(from paths: [String]) throws(TrustAnchorFileError) -> [Certificate] {
    var anchors: [Certificate] = []
    for path in paths {
        do {
            anchors += try Certificate.loadAll(contentsOfFile: path)
        } catch {
            throw TrustAnchorFileError(path: path, reason: "\(error)")
        }
    }
    return anchors
}
