import GRDB
import SignetService

extension Page {
    /// A page from rows fetched with `LIMIT limit + 1`: the extra row only tells that there
    /// is a next page, whose `after` is the ordering key of the last row kept.
    static func from(_ rows: [Row], limit: Int, orderingKey: String, items: ([Row]) throws -> [Item]) throws -> Page {
        let kept = Array(rows.prefix(limit))
        let next: Int64? = rows.count > limit ? try kept.last?.decode(forColumn: orderingKey) : nil
        return Page(items: try items(kept), next: next)
    }
}
