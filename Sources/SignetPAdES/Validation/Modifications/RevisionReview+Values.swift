import SignetPDF

extension RevisionReview {
    /// Whether `old`, a value as of revision `oldRevision` (the signed one or the previous
    /// one), and `new`, a value of this revision sitting at `position`, show the same thing:
    /// compared by value (`PDFValueComparison`: `612` is `612.0`, `<4142>` is `(AB)`, a
    /// direct value moved into an object is unchanged), not by spelling.
    ///
    /// When they are equal, the objects of this revision whose content was compared in the
    /// process (a new object holding what was written directly before) are claimed where
    /// they sit, in the `equalValue` role: they are accounted for as the same content, and
    /// if such an object is a signed one given new content, every place the signed document
    /// used it must still be explained.
    mutating func same(_ old: PDFObject?, asOf oldRevision: Int, _ new: PDFObject?, at position: ObjectPosition) -> Bool {
        let comparison = oldRevision == signed.revision ? toSigned : toPrevious
        var followed: [PDFValueComparison.FollowedReference] = []
        guard comparison.equal(old, new, followed: &followed) else { return false }
        for item in followed {
            let at = item.holder.map { ObjectPosition($0.number, item.path) } ?? ObjectPosition(position.parent, position.path + item.path)
            claim(.reference(item.reference), at: at, .equalValue)
        }
        return true
    }

    /// `same` against the value the signed revision had.
    mutating func sameAsSigned(_ old: PDFObject?, _ new: PDFObject?, at position: ObjectPosition) -> Bool {
        same(old, asOf: signed.revision, new, at: position)
    }

    /// `same` against the value the previous revision had.
    mutating func sameAsPrevious(_ old: PDFObject?, _ new: PDFObject?, at position: ObjectPosition) -> Bool {
        same(old, asOf: revision - 1, new, at: position)
    }

    /// The keys of `new` (a dictionary of this revision whose entries sit at `holder`) whose
    /// values differ from the signed dictionary `old` and that this revision changed (they
    /// also differ from the previous revision's `previous`), sorted.
    mutating func recentChanges(
        old: PDFDictionary?, previous: PDFDictionary?, new: PDFDictionary?, at holder: ObjectPosition, ignoring: Set<PDFName> = []
    ) -> [PDFName] {
        var keys = Set<PDFName>()
        for (key, value) in (old?.entries ?? []) + (new?.entries ?? []) where !value.isNull { keys.insert(key) }
        return keys.subtracting(ignoring).filter { key in
            let position = holder.appending(key)
            return !sameAsSigned(old?[key], new?[key], at: position) && !sameAsPrevious(previous?[key], new?[key], at: position)
        }.sorted()
    }

    /// The keys whose values differ between a signed dictionary and one of this revision,
    /// for messages (nothing is claimed).
    func differingKeys(_ old: PDFDictionary?, _ new: PDFDictionary?) -> [PDFName] {
        toSigned.differingKeys(old, new)
    }
}
