// SignetTemplates: contract template model, field validation and Pango/Cairo rendering.
// The only importer of Pango/Cairo (CPangoCairo).
