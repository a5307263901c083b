public import FoundationEssentials

/// Which page of a list: newest first (or oldest first for timelines), at most `limit`
/// items after the position `after` (a store ordering key from a previous page).
public struct PageRequest: Sendable, Hashable {
    /// 1…100.
    public var limit: Int
    /// The ordering key of the last item of the previous page; nil for the first page.
    public var after: Int64?

    /// A page request (limit clamped to 1…100).
    public init(limit: Int = 20, after: Int64? = nil) {
        self.limit = min(max(limit, 1), 100)
        self.after = after
    }
}

/// One page of a list.
public struct Page<Item: Sendable>: Sendable {
    /// The items, in list order.
    public var items: [Item]
    /// The ordering key to pass as `after` for the next page; nil when this is the last.
    public var next: Int64?

    /// A page.
    public init(items: [Item], next: Int64?) {
        self.items = items
        self.next = next
    }
}

/// Filters of `GET /v1/contracts`.
public struct ContractQuery: Sendable, Hashable {
    /// Only this merchant's.
    public var merchantID: String?
    /// Only contracts in this state.
    public var state: ContractState?
    /// Created at or after.
    public var createdAfter: Date?
    /// Created before.
    public var createdBefore: Date?
    /// Which page (newest first, by `Contract.sequence`).
    public var page: PageRequest

    /// A query.
    public init(merchantID: String? = nil, state: ContractState? = nil, createdAfter: Date? = nil,
                createdBefore: Date? = nil, page: PageRequest = PageRequest()) {
        self.merchantID = merchantID
        self.state = state
        self.createdAfter = createdAfter
        self.createdBefore = createdBefore
        self.page = page
    }
}
