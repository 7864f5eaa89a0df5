// Per-user state locations and shell quoting, defined once for the CLI and the emulator.

public enum StatePaths {
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
