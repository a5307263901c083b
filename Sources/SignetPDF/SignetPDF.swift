// SignetPDF: PDF objects, parser, cross-reference handling and the incremental writer.
// No cryptography here. The only importer of zlib (CZlib).
