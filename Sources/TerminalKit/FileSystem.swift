// The file-system calls the CLI makes on paths a user names (stat, access, rename, unlink), with errno as a
// `SystemError` so the message can name the flag and the path.
import Glibc

/// What stat says about a path (following symbolic links).
public struct FileStatus: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case regular, directory, other }

    public var kind: Kind
    /// Bytes, for a regular file.
    public var size: Int64
    /// The permission bits (`0o640`): owner, group, others.
    public var permissions: UInt32

    /// Group or others may read or write it (a secret wants 0600).
    public var isOpenToOthers: Bool { permissions & 0o077 != 0 }
}

public enum FileSystem {
    public static func status(_ path: String) throws(SystemError) -> FileStatus {
        var st = stat()
        guard stat(path, &st) == 0 else { throw .current }
        let type = st.st_mode & S_IFMT
        return FileStatus(kind: type == S_IFREG ? .regular : type == S_IFDIR ? .directory : .other,
                          size: Int64(st.st_size), permissions: UInt32(st.st_mode) & 0o7777)
    }

    /// Throws unless this process may read `path` (access, R_OK).
    public static func checkReadable(_ path: String) throws(SystemError) {
        guard access(path, R_OK) == 0 else { throw .current }
    }

    /// Moves `source` to `destination` atomically, replacing it (both in one file system).
    public static func rename(_ source: String, to destination: String) throws(SystemError) {
        guard Glibc.rename(source, destination) == 0 else { throw .current }
    }

    /// Removes the file if it is there; a missing file is not an error.
    public static func removeIfPresent(_ path: String) { _ = unlink(path) }
}
