// Per-user state locations, records kept there, and shell quoting, defined once for the CLI and the emulator.
import FoundationEssentials
import Glibc

public enum StatePaths {
    /// Writes a record (an upload to resume, a publication's progress) through a temporary file beside it and a
    /// rename, creating its folder (0700) and the file (0600): a reader sees the old record or the new one,
    /// never half of one. False when it could not be written.
    public static func writeRecord(_ data: Data, to path: String) -> Bool {
        try? FileManager.default.createDirectory(atPath: parentDirectory(of: path), withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        let temporary = path + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]),
              rename(temporary, path) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            return false
        }
        return true
    }

    /// `$XDG_STATE_HOME/mediactl`, else `~/.local/state/mediactl`: prompt history and the emulator's state live below it.
    public static func directory(environment: [String: String], home: String) -> String {
        let base = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "\(home)/.local/state"
        return "\(base)/mediactl"
    }
}

public enum ShellQuoting {
    /// A word a POSIX shell reads back unchanged: as is when it holds only safe characters, else single-quoted.
    public static func quoted(_ s: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@%+,")
        if !s.isEmpty && s.allSatisfy({ safe.contains($0) }) { return s }
        return "'" + s.replacing("'", with: "'\\''") + "'"
    }
}
