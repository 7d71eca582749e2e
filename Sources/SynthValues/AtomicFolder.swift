import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Replaces a whole folder (a checkpoint, a saved model) in one step, so a crash at any moment leaves the
/// old folder or the new one at the destination, never neither and never a mix.
///
/// Discussion: the new folder is built beside the destination under a temporary name. When the destination
/// exists, the two are swapped with Linux's `renameat2(…, RENAME_EXCHANGE)` (one atomic system call) and the
/// old contents, now under the temporary name, are deleted. Where the file system or kernel lacks the
/// exchange (`EINVAL`, `ENOSYS`), it falls back to renaming the old folder aside and the new one in, which
/// leaves the destination missing for the microseconds between the two renames.
package enum AtomicFolder {
    /// Why the swap failed (`strerror` of the failing call).
    package struct Failure: Error, CustomStringConvertible {
        package var reason: String
        package var description: String { reason }
    }

    private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
    private static let renameExchange: UInt32 = 2  // RENAME_EXCHANGE in <linux/fs.h>
    private static let currentFolder: Int32 = -100  // AT_FDCWD

    /// `renameat2` looked up at run time (glibc 2.28+); nil where the C library lacks it.
    private static func renameat2() -> RenameAt2? {
        #if os(Linux)
            guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "renameat2") else { return nil }
            return unsafeBitCast(symbol, to: RenameAt2.self)
        #else
            return nil
        #endif
    }

    /// Whether the atomic exchange is available (Linux with glibc 2.28 or later).
    package static var exchangeIsAvailable: Bool { renameat2() != nil }

    /// Moves `temporary` to `folder`, atomically replacing a folder already there; `temporary` is gone after.
    ///
    /// - Throws: ``Failure`` when neither the swap nor the fallback renames succeed; the old folder is
    ///   then still at `folder`.
    package static func replace(_ folder: URL, with temporary: URL) throws {
        let manager = FileManager.default
        guard manager.fileExists(atPath: folder.path) else {
            guard rename(temporary.path, folder.path) == 0 else { throw Failure(reason: String(cString: strerror(errno))) }
            return
        }
        if let exchange = renameat2() {
            if exchange(currentFolder, temporary.path, currentFolder, folder.path, renameExchange) == 0 {
                try? manager.removeItem(at: temporary)  // now holds the old contents
                return
            }
            guard errno == EINVAL || errno == ENOSYS else { throw Failure(reason: String(cString: strerror(errno))) }
        }
        let aside = folder.deletingLastPathComponent()
            .appendingPathComponent(".\(folder.lastPathComponent).old-\(UUID().uuidString)")
        guard rename(folder.path, aside.path) == 0 else { throw Failure(reason: String(cString: strerror(errno))) }
        guard rename(temporary.path, folder.path) == 0 else {
            let reason = String(cString: strerror(errno))
            _ = rename(aside.path, folder.path)
            throw Failure(reason: reason)
        }
        try? manager.removeItem(at: aside)
    }
}
