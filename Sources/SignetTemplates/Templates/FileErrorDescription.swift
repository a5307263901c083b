import FoundationEssentials
import Glibc

/// What went wrong with a file operation, in words (e.g. "No such file or directory"):
/// the operating system's own message when FoundationEssentials' error carries one, since
/// `localizedDescription` lives in full Foundation, which `signet` does not link.
func fileErrorDescription(_ error: any Error) -> String {
    if let cocoa = error as? CocoaError {
        if let posix = cocoa.userInfo["NSUnderlyingError"] as? POSIXError {
            return String(cString: strerror(posix.code.rawValue))
        }
        switch cocoa.code {
        case .fileNoSuchFile, .fileReadNoSuchFile: return String(cString: strerror(ENOENT))
        case .fileReadNoPermission, .fileWriteNoPermission: return String(cString: strerror(EACCES))
        case .fileReadCorruptFile: return "the file is corrupt"
        case .fileWriteOutOfSpace: return String(cString: strerror(ENOSPC))
        default: return "file error \(cocoa.code.rawValue)"
        }
    }
    if let posix = error as? POSIXError { return String(cString: strerror(posix.code.rawValue)) }
    return String(describing: error)
}
