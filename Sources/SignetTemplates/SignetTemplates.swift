// SignetTemplates: contract template model, field validation and Pango/Cairo rendering.
// The only importer of Pango/Cairo (CPangoCairo).
//
// Layout of this target:
//   Fields/      field types, typed validation of one fill (all errors at once)
//   Templates/   manifest, body markup, version directories, the immutability lock
//   Rendering/   Pango/Cairo: fonts, layout, pagination, PDF output (ContractRenderer)
//   Seal/        the seal-style signature appearance (SealAppearance)
