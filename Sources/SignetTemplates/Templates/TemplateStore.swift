public import FoundationEssentials

/// The template directory (`contract-templates/`): `<id>/<version>/` directories and the
/// `templates.lock` that freezes every published version.
public struct TemplateStore: Sendable {
    /// The directory holding the templates and `templates.lock`.
    public let root: URL

    /// The store rooted at `root` (usually `contract-templates/`).
    public init(root: URL) { self.root = root }

    /// `root/templates.lock`.
    public var lockURL: URL { root.appendingPathComponent("templates.lock") }

    /// A template id with its versions, oldest first.
    public struct Listing: Sendable, Hashable {
        /// The template id.
        public let id: String
        /// Its versions, oldest first.
        public let versions: [TemplateVersion]
        /// The newest version's manifest (title, locale, signers).
        public let latest: TemplateManifest?
    }

    /// Template ids (sorted) and their versions.
    public func templateIDs() throws(TemplateError) -> [String] {
        try subdirectories(of: root).filter(Identifier.isTemplateID)
    }

    /// The versions of `id`, oldest first.
    public func versions(of id: String) throws(TemplateError) -> [TemplateVersion] {
        let ids = try templateIDs()
        guard ids.contains(id) else { throw .templateNotFound(id: id, available: ids) }
        return try subdirectories(of: root.appendingPathComponent(id)).compactMap(TemplateVersion.init).sorted()
    }

    /// Every template with its versions and latest manifest.
    public func list() throws(TemplateError) -> [Listing] {
        var listings: [Listing] = []
        for id in try templateIDs() {
            let versions = try versions(of: id)
            var latest: TemplateManifest?
            if let newest = versions.last {
                let url = root.appendingPathComponent(id).appendingPathComponent(newest.description)
                    .appendingPathComponent("manifest.json")
                if let data = try? Data(contentsOf: url) { latest = try? TemplateManifest.parse(data, path: url.path) }
            }
            listings.append(Listing(id: id, versions: versions, latest: latest))
        }
        return listings
    }

    /// Loads `id` at `version` (default: the newest) and checks it against the lock.
    ///
    /// - Throws: `TemplateError.notLocked` for an unpublished version,
    ///   `.changedWithoutVersionBump` when its files no longer match the lock, and any
    ///   manifest or body problem.
    public func load(id: String, version: String? = nil) throws(TemplateError) -> ContractTemplate {
        let available = try versions(of: id)
        let chosen: TemplateVersion
        if let version {
            guard let match = available.first(where: { $0.description == version }) else {
                throw .versionNotFound(id: id, version: version, available: available.map(\.description))
            }
            chosen = match
        } else {
            guard let newest = available.last else {
                throw .versionNotFound(id: id, version: "(newest)", available: [])
            }
            chosen = newest
        }
        let reference = "\(id)@\(chosen)"
        let lock = try TemplateLock.read(lockURL)
        guard let locked = lock[reference] else { throw .notLocked(reference: reference) }
        let directory = root.appendingPathComponent(id).appendingPathComponent(chosen.description)
        let files = try TemplateDigest.readFiles(in: directory)
        let actual = TemplateDigest.digest(of: files)
        guard actual == locked else {
            throw .changedWithoutVersionBump(reference: reference, locked: locked, actual: actual)
        }
        let template = try ContractTemplate.load(files: files, directory: directory, expectedDigest: locked)
        try checkIdentity(template.manifest, id: id, version: chosen, directory: directory)
        return template
    }

    /// The outcome of `lock()`.
    public struct LockResult: Sendable, Hashable {
        /// Versions recorded by this run, `id@version` → digest.
        public let added: [String: String]
        /// Versions already locked whose files still match.
        public let unchanged: [String]
    }

    /// Records every version not yet in `templates.lock` (after checking it loads cleanly);
    /// never rewrites an existing entry.
    ///
    /// - Parameter write: false to only check (`--check` in CI).
    /// - Throws: `TemplateError.multiple` listing every locked version whose files changed,
    ///   every missing locked version and every new version that does not load. The lock file
    ///   is left untouched when anything is wrong.
    @discardableResult
    public func lock(write: Bool = true) throws(TemplateError) -> LockResult {
        var lock = try TemplateLock.read(lockURL)
        var failures: [TemplateError] = []
        var added: [String: String] = [:]
        var unchanged: [String] = []
        var present = Set<String>()
        for id in try templateIDs() {
            for version in try versions(of: id) {
                let reference = "\(id)@\(version)"
                present.insert(reference)
                let directory = root.appendingPathComponent(id).appendingPathComponent(version.description)
                do {
                    let template = try ContractTemplate.load(from: directory)
                    try checkIdentity(template.manifest, id: id, version: version, directory: directory)
                    if let locked = lock[reference] {
                        if locked == template.digest {
                            unchanged.append(reference)
                        } else {
                            failures.append(.changedWithoutVersionBump(reference: reference, locked: locked, actual: template.digest))
                        }
                    } else {
                        added[reference] = template.digest
                    }
                } catch {
                    failures.append(error)
                }
            }
        }
        let missing = lock.entries.keys.filter { !present.contains($0) }.sorted()
        if !missing.isEmpty { failures.append(.lockedVersionsMissing(missing)) }
        guard failures.isEmpty else { throw failures.count == 1 ? failures[0] : .multiple(failures) }
        if write, !added.isEmpty {
            for (reference, digest) in added { _ = lock.add(reference, digest: digest) }
            do {
                try Data(lock.text.utf8).write(to: lockURL, options: .atomic)
            } catch {
                throw .unreadable(path: lockURL.path, reason: "cannot write: \(fileErrorDescription(error))")
            }
        }
        return LockResult(added: added, unchanged: unchanged)
    }

    private func checkIdentity(_ manifest: TemplateManifest, id: String, version: TemplateVersion, directory: URL) throws(TemplateError) {
        var problems: [String] = []
        if manifest.id != id { problems.append("id is '\(manifest.id)' but the template directory is '\(id)'") }
        if manifest.version.description != version.description {
            problems.append("version is '\(manifest.version)' but the version directory is '\(version)'")
        }
        if !problems.isEmpty {
            throw .invalidManifest(path: directory.appendingPathComponent("manifest.json").path, problems: problems)
        }
    }

    private func subdirectories(of url: URL) throws(TemplateError) -> [String] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: url.path)
        } catch {
            throw .unreadable(path: url.path, reason: fileErrorDescription(error))
        }
        return names.filter { name in
            var isDirectory = false
            return !name.hasPrefix(".")
                && FileManager.default.fileExists(atPath: url.appendingPathComponent(name).path, isDirectory: &isDirectory)
                && isDirectory
        }.sorted()
    }
}
