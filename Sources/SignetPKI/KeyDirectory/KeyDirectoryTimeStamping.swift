import FoundationEssentials
import SignetCrypto

extension KeyDirectory {
    /// The policy under which the development PKI's built-in TSA issues tokens. It lies in
    /// the X.660 "example" arc 2.999 on purpose: a development TSA has no policy anyone
    /// should rely on. A production TSA uses its operator's own registered policy OID
    /// (see keys/README.md). (A UUID-derived 2.25 OID would be unique without registration,
    /// but its 128-bit arc does not fit swift-asn1's OID components.)
    public static let timeStampPolicy = "2.999.3161.1"

    /// The file in `keys/` holding the TSA's last issued serial number (survives restarts).
    public static let timeStampSerialFile = "tsa.serial"

    /// The built-in RFC 3161 TSA of this PKI: the `tsa` credential, its chain, Signet's
    /// policy, one-second accuracy, and monotonic serials persisted in `tsa.serial`.
    /// `serialReservation` > 1 takes blocks of serials per counter write (fewer fsyncs: a
    /// long-running service; `TimeStampSerialCounter`).
    public func makeTimeStampAuthority(serialReservation: Int = 1) throws -> TimeStampAuthority {
        try TimeStampAuthority(
            key: timeStamping.privateKey,
            certificate: timeStamping.certificate,
            chain: timeStamping.chain,
            serials: try TimeStampSerialCounter(path: path(Self.timeStampSerialFile), reservation: serialReservation),
            configuration: TimeStampAuthorityConfiguration(policy: Self.timeStampPolicy))
    }

    /// The built-in TSA taking its serials from `serials` (e.g. the service's database,
    /// shared by every instance), `serialBlock` at a time.
    public func makeTimeStampAuthority(serials: any TimeStampSerialSource, serialBlock: Int) throws -> TimeStampAuthority {
        try TimeStampAuthority(
            key: timeStamping.privateKey,
            certificate: timeStamping.certificate,
            chain: timeStamping.chain,
            serials: serials, serialBlock: serialBlock,
            configuration: TimeStampAuthorityConfiguration(policy: Self.timeStampPolicy))
    }

    /// The last serial the `tsa.serial` file says was handed out or reserved (0 when there is
    /// no file). Read only: a service that moved its serials elsewhere continues above it.
    public func timeStampSerialFileValue() throws -> UInt64 {
        try TimeStampSerialCounter.storedValue(at: path(Self.timeStampSerialFile))
    }
}
