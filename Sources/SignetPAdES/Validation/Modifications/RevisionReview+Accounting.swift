import SignetPDF

extension RevisionReview {
    /// Every object the revision writes must be explained (see the type's documentation).
    mutating func account() {
        var unclaimedNew = Set<Int>()
        for number in written.sorted() {
            if freed.contains(number) {
                accountFreed(number)
                continue
            }
            guard signed.isSigned(number) else {
                if claims[number] == nil { unclaimedNew.insert(number) }
                continue
            }
            // Rewritten as it already was: its change was judged with the revision that made it.
            guard isWritten(number) else { continue }
            accountRewritten(number)
        }
        if !unclaimedNew.isEmpty { findUsedUnclaimed(unclaimedNew) }
    }

    /// An object of the signed document that this revision gives a new value.
    private mutating func accountRewritten(_ number: Int) {
        guard !flagged.contains(number) else { return }
        let generation = (try? document.xrefEntry(for: number, asOf: revision))?.entry.generation ?? 0
        let reference = PDFReference(number, generation)
        guard let after = current(reference) else { return }
        // The signed revision may refer to it with another generation, or not have it at all
        // (a dangling reference now being defined): compare what the signed references saw.
        let signedGeneration = (try? document.xrefEntry(for: number, asOf: signed.revision))?.entry.generation ?? generation
        let before = original(PDFReference(number, signedGeneration)) ?? .null
        if generation == signedGeneration, sameAsSigned(before, after, at: ObjectPosition(number, "")) { return }
        let roles = claims[number] ?? []
        if roles.contains(where: { $0.role.isStructural }) { return }  // judged by its structural review
        let context = signed.context(of: number, fieldNames: fieldNames)
        if roles.isEmpty {
            emit(context.category, allowed: false, object: number, before.isNull
                 ? "\(context.description) (\(reference)), which the signed document referred to but did not contain, was defined after signing"
                 : "\(context.description) (\(reference)) was given new content after signing")
            return
        }
        // A content role: every place the signed document used it must be one the review
        // reached it from (and judged), or must no longer refer to it.
        let reached = Set(roles.map(\.position))
        let unexplained = (signed.usages[number] ?? []).filter { position in
            !reached.contains(position) && stillRefers(to: number, at: position)
        }
        let role = roles[0].role.label
        let verb = before.isNull ? "defined" : "rewritten"
        if let first = unexplained.first {
            emit(.objectRedefined, allowed: false, object: number,
                 "\(context.description) (\(reference)) was \(verb) after signing under cover of \(role);"
                    + " the signed document uses it at \(describe(first)), so signed content changed")
        } else if let (holder, place) = unexplainedPlace(above: number, roles: roles) {
            emit(.objectRedefined, allowed: false, object: number,
                 "\(context.description) (\(reference)) was \(verb) after signing under cover of \(role); it sits in \(describe(ObjectPosition(holder, "")))"
                    + " which the signed document also uses at \(describe(place)), so signed content changed")
        }
    }

    /// Where the new content of `number` (a signed object rewritten in a content role, each of
    /// whose signed places was reached) would still be seen without the review having
    /// reached it: every signed object holding one of those places must itself be used by
    /// the signed document only where the review reached it (an appearance dictionary that
    /// another widget, the catalog or the trailer also refers to; a Form XObject that a page
    /// also draws), and so on up to an object judged key by key (the widget of the field
    /// being signed, the catalog) or the trailer. An object reached both as content and as a
    /// structure of the signed document (an appearance dictionary that is itself another
    /// field's widget) shows the change in that structure too. Returns that holder and the
    /// place, or nil.
    private mutating func unexplainedPlace(above number: Int, roles: [Claim]) -> (holder: Int, place: ObjectPosition)? {
        let signedPlaces = Set(signed.usages[number] ?? [])
        var pending = roles.compactMap { claim in
            claim.position.parent.flatMap { signedPlaces.contains(claim.position) && signed.isSigned($0) ? $0 : nil }
        }
        var visited = Set<Int>()
        while let holder = pending.popLast(), visited.count < 100_000 {
            guard visited.insert(holder).inserted else { continue }
            let holderRoles = claims[holder] ?? []
            if let structure = holderRoles.first(where: { $0.role.isStructural }) {
                let asContent = holderRoles.contains { !$0.role.isStructural && $0.role != .equalValue }
                if asContent { return (holder, structure.position) }
                continue
            }
            let reached = Set(holderRoles.map(\.position))
            for place in signed.positions(of: holder) where stillRefers(to: holder, at: place) {
                guard reached.contains(place) else { return (holder, place) }
                if let parent = place.parent, signed.isSigned(parent) { pending.append(parent) }
            }
        }
        return nil
    }

    /// An object freed by this revision: harmless only if nothing signed still refers to it.
    private mutating func accountFreed(_ number: Int) {
        guard signed.isSigned(number), !flagged.contains(number) else { return }
        let still = (signed.usages[number] ?? []).filter { stillRefers(to: number, at: $0) }
        guard let first = still.first else { return }
        let context = signed.context(of: number, fieldNames: fieldNames)
        let generation = (try? document.xrefEntry(for: number, asOf: signed.revision))?.entry.generation ?? 0
        emit(.objectRedefined, allowed: false, object: number, generation: generation,
             "\(context.description) (\(number) \(generation) R) was deleted after signing although the document still uses it at \(describe(first))")
    }

    /// Whether the place `position` (of the signed document) still refers to `number` in this revision.
    private mutating func stillRefers(to number: Int, at position: ObjectPosition) -> Bool {
        guard let parent = position.parent else {
            return PDFObject.dictionary(view.trailer).references(number, at: position.path)
        }
        let generation = (try? document.xrefEntry(for: parent, asOf: revision))?.entry.generation ?? 0
        guard let value = try? document.object(PDFReference(parent, generation), asOf: revision) else { return true }
        return value.references(number, at: position.path)
    }

    /// A place in plain words.
    func describe(_ position: ObjectPosition) -> String {
        guard let parent = position.parent else { return "the trailer entry \(position.path)" }
        guard signed.isSigned(parent) else { return "\(position.path.isEmpty ? "" : position.path + " of ")object \(parent) 0 R (added after signing)" }
        let context = signed.context(of: parent, fieldNames: fieldNames)
        return "\(position.path.isEmpty ? "" : position.path + " of ")\(context.description) (\(parent) 0 R)"
    }

    /// New objects that no structure claimed: fine if unused; otherwise something refers to
    /// them from outside the allowed structures. Walks from the trailer through objects
    /// changed since signing only (an unchanged object cannot refer to a new number, unless
    /// it referred to a missing object, which the accounting treats as signed), skipping
    /// objects already reported.
    private mutating func findUsedUnclaimed(_ candidates: Set<Int>) {
        var queue: [(holder: Int?, value: PDFObject)] = [(nil, .dictionary(view.trailer))]
        var visited = Set<Int>()
        for number in written where signed.isSigned(number) && !freed.contains(number) {
            let generation = (try? document.xrefEntry(for: number, asOf: revision))?.entry.generation ?? 0
            if let value = try? document.object(PDFReference(number, generation), asOf: revision) { queue.append((number, value)) }
            visited.insert(number)
        }
        var head = 0
        while head < queue.count, head < 1_000_000 {
            let (holder, value) = queue[head]
            head += 1
            if let holder, flagged.contains(holder) { continue }
            var found: [(PDFReference, String)] = []
            value.forEachReference { ref, path in found.append((ref, path)) }
            for (ref, path) in found {
                if candidates.contains(ref.number), claims[ref.number] == nil, !flagged.contains(ref.number) {
                    emit(.other, allowed: false, object: ref.number,
                         "\(ref) was added after signing and is used at \(describe(ObjectPosition(holder, path))), outside anything a signature, timestamp or DSS may add")
                }
                guard visited.insert(ref.number).inserted, changedSinceSigning(ref.number),
                      let object = try? document.object(ref, asOf: revision) else { continue }
                queue.append((ref.number, object))
            }
        }
    }
}
