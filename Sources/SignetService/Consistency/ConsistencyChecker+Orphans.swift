import FoundationEssentials

extension ConsistencyChecker {
    /// Blobs no row names: reported; deleted when `deleteOrphans` and older than
    /// `orphanMinimumAge` (the store checks the age and the references again as it deletes).
    func collectOrphans(_ run: inout ConsistencyRun) async throws {
        let cutoff = options.clock().addingTimeInterval(-options.orphanMinimumAge)
        var after: String?
        while true {
            let blobs = try await inventory.blobs(after: after, limit: options.pageSize)
            guard let last = blobs.last else { break }
            for blob in blobs {
                run.report.counts.blobs += 1
                guard !run.referenced.contains(blob.sha256) else { continue }
                run.report.orphans.found += 1
                run.report.orphans.bytes += blob.size
                run.report.orphans.digests.append(blob.sha256)
                if options.deleteOrphans, blob.storedAt < cutoff, try await inventory.deleteOrphanedBlob(blob.sha256, storedBefore: cutoff) {
                    run.report.orphans.deleted += 1
                }
            }
            after = last.sha256
        }
    }
}
