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

    /// Every Media Services resource type mediactl knows, old spellings included.
    public static let knownMediaServicesTypes: Set<String> = Set(ResourceKind.allCases.flatMap(\.ocidTypes))

    /// The types a message names as expected: `expected` without the old `mediastream…` spellings (still accepted, but
    /// not what anyone should be told to use), e.g. "streamdistributionchannel", "compartment or tenancy".
    public static func describe(expected: [String]) -> String {
        let old = Set(ResourceKind.allCases.flatMap { $0.ocidTypes.dropFirst() })
        let current = expected.filter { !old.contains($0) }
        return (current.isEmpty ? expected : current).joined(separator: " or ")
    }

    /// The type of `text` when it is a clear mix-up: a known Media Services kind other than the `expected` ones
    /// (a workflow OCID given as a channel). Nil for an expected type and for every type mediactl does not know,
    /// since neither the SDKs nor the OCI CLI check the type segment and the service is the judge (§6.1a).
    public static func mixUp(_ text: String, expected: [String]) -> String? {
        guard let t = type(of: text)?.lowercased(), knownMediaServicesTypes.contains(t),
              !expected.contains(where: { $0.lowercased() == t }) else { return nil }
        return t
    }
}
