import Testing

/// Every test that runs a real server on a loopback port, one suite at a time: pdfsig and
/// pyHanko check revocation against these servers online, and a run must not starve them.
@Suite("Live service", .serialized)
enum LiveService {}
