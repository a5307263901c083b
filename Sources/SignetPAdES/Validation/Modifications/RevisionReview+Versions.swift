import SignetPDF

extension RevisionReview {
    /// A version or extension change, allowed only next to an allowed DSS, signature or
    /// document timestamp of the same revision (decided once the whole revision is read).
    struct Bookkeeping {
        let category: ModificationFinding.Category
        let object: Int?
        let message: String
    }

    /// Findings that justify version and extension bookkeeping in the same revision.
    static let bookkeepingReasons: Set<ModificationFinding.Category> = [.dss, .signature, .documentTimestamp]

    /// Emits the deferred `/Version` and `/Extensions` changes: allowed when this revision
    /// also makes an allowed DSS, signature or document timestamp update (the tools that
    /// write those raise the version and declare extensions: ESIC for PAdES, ADBE level 5
    /// for Acrobat's "enable LTV", `/Version /2.0` and ISO 32002 for an EdDSA or ECDSA
    /// signature), never on their own.
    mutating func settleBookkeeping() {
        guard !bookkeeping.isEmpty else { return }
        let reason = findings.first { $0.allowed && Self.bookkeepingReasons.contains($0.category) }
        for item in bookkeeping {
            if let reason {
                emit(item.category, allowed: true, object: item.object, "\(item.message), with the \(Self.reasonWords(reason.category)) of this revision")
            } else {
                emit(item.category, allowed: false, object: item.object,
                     "\(item.message) after signing, without a DSS, signature or document timestamp in the same revision (the only updates that need it)")
            }
        }
        bookkeeping = []
    }

    private static func reasonWords(_ category: ModificationFinding.Category) -> String {
        switch category {
        case .dss: return "validation data (DSS)"
        case .documentTimestamp: return "document timestamp"
        default: return "further signature"
        }
    }

    // MARK: Version

    /// The catalog's `/Version`: it may be raised (or written equal to the version already
    /// in force); lowered, removed when it was above the header's, or not a version, it is not allowed.
    mutating func reviewVersion(_ catalog: (reference: PDFReference, dictionary: PDFDictionary)) {
        let key = PDFName("Version")
        guard catalogEntryChanged(key, catalog) else { return }
        let header = Self.pdfVersion(document.headerVersion)
        let oldValue = resolveOriginal(signed.catalog?[key])
        let old = oldValue?.nameValue.flatMap { Self.pdfVersion($0.string) }
        let inForce = [header, old].compactMap { $0 }.max { $0 < $1 }
        let number = catalog.reference.number
        guard let newValue = catalog.dictionary[key] else {
            if let old, let header, old > header {
                emit(.version, allowed: false, object: number,
                     "the catalog's /Version \(Self.text(old)) was removed after signing, which lowers the document's PDF version to the header's \(Self.text(header))")
            } else {
                bookkeeping.append(Bookkeeping(category: .version, object: number, message: "the catalog's /Version was removed (the header's version applies, as when signed)"))
            }
            return
        }
        guard let name = resolveCurrent(newValue)?.nameValue, let new = Self.pdfVersion(name.string) else {
            emit(.version, allowed: false, object: number, "the catalog's /Version is now \(Self.describe(resolveCurrent(newValue))), not a PDF version")
            return
        }
        if let inForce, new < inForce {
            emit(.version, allowed: false, object: number,
                 "the catalog's /Version was lowered after signing, to \(Self.text(new)) from \(Self.text(inForce))")
            return
        }
        let from = inForce.map { " from \(Self.text($0))" } ?? ""
        bookkeeping.append(Bookkeeping(category: .version, object: number, message: "the document's PDF version (/Version) was set to \(Self.text(new))\(from)"))
    }

    /// `1.7` → (1, 7); nil unless it is `digits.digits`.
    static func pdfVersion(_ text: String) -> PDFVersion? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let major = Int(parts[0]), let minor = Int(parts[1]),
              parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { (0x30...0x39).contains($0) } }) else { return nil }
        return PDFVersion(major: major, minor: minor)
    }

    static func text(_ version: PDFVersion) -> String { "\(version.major).\(version.minor)" }

    // MARK: Extensions

    /// The catalog's `/Extensions` (ISO 32000-2 §7.12): developer extension dictionaries of
    /// simple values by prefix, one or (ISO's `/ISO_`) an array of several. Entries may be
    /// added, and an extension kept or raised (same or higher `/BaseVersion` and
    /// `/ExtensionLevel`); an extension removed or changed into another, or anything that is
    /// not developer extensions, is not allowed.
    mutating func reviewExtensions(_ catalog: (reference: PDFReference, dictionary: PDFDictionary)) {
        let key = PDFName("Extensions")
        let new = catalog.dictionary[key]
        let holder = ObjectPosition(catalog.reference.number, "/Extensions")
        claim(new, at: holder, .extensions)
        claimContent(new, holder: holder, .extensions, expandingTop: true)
        let current = readExtensions(new, asOf: revision)
        guard catalogEntryChanged(key, catalog) || current.references.contains(where: { isWritten($0) }) else { return }
        let number = catalog.reference.number
        if !current.problems.isEmpty {
            emit(.extensions, allowed: false, object: number,
                 "the catalog's /Extensions were changed into something other than developer extension entries: \(current.problems.joined(separator: "; "))")
            return
        }
        let old = readExtensions(signed.catalog?[key], asOf: signed.revision)
        var lost: [String] = []
        for (prefix, extensions) in old.entries.sorted(by: { $0.key < $1.key }) {
            let now = current.entries[prefix] ?? []
            // One extension under its prefix (not an array, as ISO's are) may be raised to a
            // higher level; otherwise a level is another extension.
            let raisable = prefix != PDFName("ISO_") && !old.arrays.contains(prefix) && !current.arrays.contains(prefix)
            for item in extensions where !Self.keeps(now, item, raisable: raisable) {
                lost.append("\(prefix) \(Self.describe(item))")
            }
        }
        if !lost.isEmpty {
            emit(.extensions, allowed: false, object: number,
                 "developer extensions the signed document declared were removed or changed into others after signing: \(lost.joined(separator: ", "))")
            return
        }
        let declared = current.entries.sorted { $0.key < $1.key }.map { prefix, items in
            "\(prefix) " + items.map(Self.describe).joined(separator: ", ")
        }
        bookkeeping.append(Bookkeeping(category: .extensions, object: number,
                                       message: "the developer extensions (/Extensions) of the catalog were updated (now \(declared.joined(separator: "; ")))"))
    }

    /// One developer extension: its version and level, when they are readable.
    struct DeveloperExtension {
        let baseVersion: PDFVersion?
        let level: Int?
    }

    /// The developer extensions of a catalog value as of `revision`.
    private func readExtensions(_ value: PDFObject?, asOf revision: Int) -> ExtensionsRead {
        var entries: [PDFName: [DeveloperExtension]] = [:], problems: [String] = [], references: [Int] = [], arrays = Set<PDFName>()
        func resolve(_ object: PDFObject) -> PDFObject? {
            if let ref = object.referenceValue { references.append(ref.number) }
            return try? document.resolve(object, asOf: revision)
        }
        guard let value else { return ExtensionsRead(entries: [:], arrays: [], problems: [], references: []) }
        guard case .dictionary(let extensions)? = resolve(value) else {
            return ExtensionsRead(entries: [:], arrays: [], problems: ["it is not a dictionary"], references: references)
        }
        for (prefix, entry) in extensions.entries where !entry.isNull {
            let resolved = resolve(entry)
            if resolved?.arrayValue != nil { arrays.insert(prefix) }
            let items: [PDFObject] = resolved?.arrayValue ?? [resolved ?? .null]
            for item in items {
                guard case .dictionary(let dict)? = resolve(item) else {
                    problems.append("\(prefix) is not a dictionary")
                    continue
                }
                for (name, field) in dict.entries {
                    switch resolve(field) {
                    case .name?, .integer?, .real?, .string?, .boolean?, .null?: break
                    default: problems.append("\(prefix) \(name) is not a simple value")
                    }
                }
                let base = dict[PDFName("BaseVersion")].flatMap { resolve($0)?.nameValue }.flatMap { Self.pdfVersion($0.string) }
                let level = dict[PDFName("ExtensionLevel")].flatMap { resolve($0)?.numberValue }.flatMap { Int(exactly: $0) }
                entries[prefix, default: []].append(DeveloperExtension(baseVersion: base, level: level))
            }
        }
        return ExtensionsRead(entries: entries, arrays: arrays, problems: problems, references: references)
    }

    /// The developer extensions of a catalog: by prefix, the prefixes written as arrays,
    /// what is not a developer extension, and the objects they are made of.
    struct ExtensionsRead {
        let entries: [PDFName: [DeveloperExtension]]
        let arrays: Set<PDFName>
        let problems: [String]
        let references: [Int]
    }

    /// Whether the extensions `now` still declare `old`: the same level at the same or a
    /// higher base version, or, when `raisable`, one raised extension in its place.
    private static func keeps(_ now: [DeveloperExtension], _ old: DeveloperExtension, raisable: Bool) -> Bool {
        func notLower(_ new: PDFVersion?, _ old: PDFVersion?) -> Bool {
            guard let old else { return true }
            guard let new else { return false }
            return new >= old
        }
        if now.contains(where: { $0.level == old.level && notLower($0.baseVersion, old.baseVersion) }) { return true }
        guard raisable, now.count == 1, let item = now.first, let newLevel = item.level, let oldLevel = old.level else { return false }
        return newLevel >= oldLevel && notLower(item.baseVersion, old.baseVersion)
    }

    private static func describe(_ item: DeveloperExtension) -> String {
        let level = item.level.map { "level \($0)" } ?? "no level"
        return item.baseVersion.map { "\(level) on \(text($0))" } ?? level
    }
}

/// A PDF version number, `major.minor`.
struct PDFVersion: Comparable {
    let major: Int
    let minor: Int

    static func < (lhs: PDFVersion, rhs: PDFVersion) -> Bool { (lhs.major, lhs.minor) < (rhs.major, rhs.minor) }
}
