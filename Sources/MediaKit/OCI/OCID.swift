// OCID syntax checks, so a mistyped id is refused before any request is made.
public enum OCID {
    /// `ocid1.<resource type>.<realm>.[region][.future use].<unique id>` (OCI docs, "Resource Identifiers").
    public static func isValid(_ text: String, type: String? = nil) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 5, parts[0] == "ocid1", text.count <= 255 else { return false }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
        guard text.allSatisfy({ allowed.contains($0) || $0 == "." }) else { return false }
        guard !parts[1].isEmpty, !parts[2].isEmpty, let last = parts.last, !last.isEmpty else { return false }
        if let type { return parts[1].lowercased() == type.lowercased() }
        return true
    }

    /// The resource type part (`mediaworkflow`, `compartment`, ...).
    public static func type(of text: String) -> String? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count >= 5 ? String(parts[1]) : nil
    }
}
