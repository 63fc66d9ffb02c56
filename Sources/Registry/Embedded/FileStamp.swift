#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What identifies one version of a file's contents without reading it: size, inode, and the
/// modification and status-change times to the nanosecond. Writing to the file, replacing it or
/// renaming another file over it changes the stamp.
struct FileStamp: Hashable, Sendable {
    /// Size in bytes.
    var size: Int64
    /// Inode number.
    var inode: UInt64
    /// Modification time, nanoseconds since the epoch.
    var modifiedNanos: Int64
    /// Status-change time, nanoseconds since the epoch.
    var changedNanos: Int64

    /// The stamp of the regular file at `path`, or nil when there is none.
    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        size = Int64(info.st_size)
        inode = UInt64(info.st_ino)
        modifiedNanos = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        changedNanos = Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec)
    }
}
