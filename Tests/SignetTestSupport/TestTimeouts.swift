public import Foundation

/// Time limits for tests that talk to a local fixture server and expect an answer.
public enum TestTimeouts {
    /// For an exchange that should succeed (or fail for a reason other than time). Swift
    /// Testing runs tests on the cooperative thread pool, which has one thread per core: on a
    /// 2-core CI machine, two synchronous tests running pyHanko or pdfsig can hold both
    /// threads for many seconds, and the continuation of an exchange that was answered at
    /// once then waits its turn while the deadline runs. Tests of the timeout itself use
    /// their own short limits against servers that never answer in time.
    public static let exchange: TimeInterval = 120
}
