/// The contract lifecycle's transitions (DESIGN.md): which actions each state allows. The
/// use cases ask it before computing a change; the store's version guard makes the check
/// and the commit one step.
public enum ContractStateMachine {
    /// Every legal transition.
    public static let transitions: [ContractState: Set<ContractState>] = [
        .draft: [.sent, .voided, .expired],
        .sent: [.viewed, .signed, .declined, .voided, .expired],
        .viewed: [.signed, .declined, .voided, .expired],
        .signed: [.completed],
        .completed: [], .declined: [], .expired: [], .voided: [],
    ]

    /// Whether `from → to` is a transition of the lifecycle (or no change).
    public static func allows(_ from: ContractState, _ to: ContractState) -> Bool {
        from == to || transitions[from, default: []].contains(to)
    }

    /// Voiding is possible before anyone signs.
    public static func canVoid(_ state: ContractState) -> Bool { allows(state, .voided) && state != .voided }

    /// An unsigned contract can expire.
    public static func canExpire(_ state: ContractState) -> Bool { allows(state, .expired) && state != .expired }

    /// A link signer may sign.
    public static func canSign(_ state: ContractState) -> Bool { state == .sent || state == .viewed }
}
