public import SignetPDF

/// Finds and judges everything that changed after a signed revision: the post-signing
/// check of a PDF signature verifier (corpus README §6, strict).
///
/// The analysis compares objects, not bytes: for each revision after the signed one, the
/// value every object has in that revision is compared with the value it had when signed
/// (and with the previous revision's, so that each change is reported once, by the
/// revision that made it). Values compare by what a reader sees (`PDFValueComparison`):
/// numbers by value (`612` = `612.0`), names by decoded bytes, strings literal or hex alike,
/// a direct value moved into an object (or an object renumbered) by its content, a stream by
/// its dictionary and decoded data; so a signed value written again in another spelling is
/// no change.
///
/// **Allowed**, each reported as an allowed finding:
/// - the DSS (`/DSS` of the catalog, its `/Certs`, `/CRLs`, `/OCSPs` arrays of streams and
///   `/VRI` dictionaries) added or updated, its structure checked strictly (`.dss`);
/// - a new signature field (at the top of `/Fields` or under a signature field) with its
///   widget and new appearance, or an empty signature field of the signed revision being
///   signed (`/V` set where it was absent, plus `/AP`, `/AS`, `/F`, `/DA`, `/MK`, `/P`),
///   with a new signature dictionary (`.signatureField`, `.signature`,
///   `.documentTimestamp` for `/Type /DocTimeStamp` or `ETSI.RFC3161`);
/// - the bookkeeping of those: the AcroForm created if absent (a signature field needs
///   one, and it can only hold what is checked here), its `/Fields` gaining the new fields,
///   `/SigFlags`, new `/DR` resources and a new `/DA` (`.acroForm`); a page's `/Annots`
///   gaining the widgets of those fields (`.pageAnnotations`);
/// - the catalog's XMP `/Metadata` refreshed with well-formed XMP (`.metadata`), the
///   trailer's `/Info` refreshed (`.info`);
/// - the catalog's `/Version` raised (`.version`) and its developer `/Extensions` added to or
///   raised (`.extensions`: ESIC, ADBE, ISO 32002 ...), but only in a revision that also
///   makes an allowed DSS, signature or document timestamp update, as the tools writing
///   those do; on their own, lowered, removed, or an existing extension changed into
///   another, they are not allowed;
/// - an update that changes nothing, rewrites objects identically or adds unused objects
///   (`.emptyUpdate`); trailer entries that readers do not use (`.other`, allowed).
///
/// **Disallowed**, everything else, in particular: any other catalog entry (`/OpenAction`,
/// `/Names`, `/AA`, `/Perms` ...) or another catalog (`.catalog`); pages added, removed,
/// reordered, or the page tree reshaped (`.pages`); any other change to a page
/// (`.pageContent`); annotations added, removed or changed other than signature widgets
/// (`.annotation`); form fields added, filled or changed other than signature fields being
/// signed (`.formField`); a signed signature field changed, its appearance replaced, or a
/// new one carrying actions (`.signatureField`, `.signatureWidget`); a signed signature
/// dictionary rewritten, replaced or copied into another field (`.signatureDictionaryReplaced`);
/// `/NeedAppearances` set, `/XFA`, changed `/DR` entries (`.acroForm`); `/Annots` that is not
/// an array (`.annotation`); `/Encrypt` changed,
/// new objects used outside the structures above (`.other`); and any object of the signed
/// revision given new content, defined where the signed revision referred to a missing
/// object, or freed while still used (`.objectRedefined`, `.pageContent` for a page's
/// content stream). What cannot be read is disallowed (`.unreadableRevision`).
///
/// **How shadow attacks and object reuse are caught.** The signed revision is indexed once:
/// every object reachable from its trailer, and for every object a later revision writes,
/// every place (object and key path) that referred to it. A later revision is reviewed by
/// walking the structures above; every object reached is *claimed* in a role, from a
/// place. An object of the signed revision given new content passes only if (a) a
/// structural review judged it key by key (catalog, page, page-tree node, AcroForm, form
/// field, widget, annotation) or (b) it was claimed in a content role (DSS, XMP, `/Info`,
/// the appearance of the field being signed ...) and *every* place the signed revision
/// used it was a place it was claimed from, or no longer refers to it; and so on upwards:
/// each signed object holding such a place must itself be used only where it was claimed
/// from, up to an object judged key by key or the trailer. So a stream shared by a page and
/// a signature appearance (pyHanko's "sneaky" files), an appearance stream rewritten "in
/// place" whose appearance dictionary another widget, the catalog or the trailer also
/// refers to (or is itself another field's widget), or which sits in a Form XObject a page
/// also draws, an image XObject
/// re-pointed to other data (the "hide" attack), or a DSS "certificate" that is a page's
/// content stream are all refused, whatever allowed path leads to them. Content roles
/// never extend to signed objects reached through new ones. The old appearance dictionary
/// of a signature field being signed must not have been shared with other content.
/// (Array slots are not told apart: two direct dictionaries in one array count as one
/// place. Widgets and annotations are indirect wherever a viewer shows them.)
///
/// Robust by construction: object streams (including an object stream being rewritten,
/// which changes every object stored in it), cross-reference streams and hybrid files are
/// read through SignetPDF's per-revision view; an unreadable object or revision is a
/// disallowed finding with the reader's error, never a thrown error or a crash; a value of
/// an unexpected type (a `/DR` category that is an array, a `/Version` that is a number) is
/// judged as what it is; cycles and sizes are bounded.
///
/// ```swift
/// let analyzer = ModificationAnalyzer(document: document)
/// let signedRevision = document.revision(endingAt: byteRange[2] + byteRange[3])!.index
/// let analysis = analyzer.analyze(after: signedRevision)
/// if analysis.verdict == .disallowed { ... analysis.disallowedFindings ... }
/// ```
public struct ModificationAnalyzer: Sendable {
    /// The document analysed.
    public let document: PDFDocument

    /// An analyzer for `document`.
    public init(document: PDFDocument) {
        self.document = document
    }

    /// Every change made by revisions after `revision` (0-based index into `document.revisions`).
    public func analyze(after revision: Int) -> ModificationAnalysis {
        let revisions = document.revisions
        guard revision >= 0 && revision < revisions.count else {
            return ModificationAnalysis(verdict: .disallowed, findings: [ModificationFinding(
                revision: revision, object: nil, category: .other, allowed: false,
                message: "the document has no revision \(revision) (it has \(revisions.count))")])
        }
        guard revision < revisions.count - 1 else { return ModificationAnalysis(verdict: .untouched, findings: []) }

        var watched = Set<Int>()
        for later in (revision + 1)..<revisions.count {
            watched.formUnion(revisions[later].entries.keys)
            watched.formUnion(RevisionReview.storedInRewrittenStreams(document: document, revision: later))
        }
        let signed = SignedRevisionIndex(document: document, revision: revision, watched: watched)
        var findings: [ModificationFinding] = []
        if !signed.problems.isEmpty {
            findings.append(ModificationFinding(
                revision: revision + 1, object: nil, category: .unreadableRevision, allowed: false,
                message: "the signed revision cannot be read completely, so later changes cannot all be checked: "
                    + signed.problems.prefix(3).joined(separator: "; ")))
        }
        for later in (revision + 1)..<revisions.count {
            var review = RevisionReview(document: document, signed: signed, revision: later)
            findings += review.run()
        }
        let verdict: ModificationAnalysis.Verdict = findings.allSatisfy(\.allowed) ? .allowed : .disallowed
        return ModificationAnalysis(verdict: verdict, findings: findings)
    }
}
