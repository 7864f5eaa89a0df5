// The ids mediactl has printed, newest first, per kind, for completion at the shell and at prompts
// (`$XDG_STATE_HOME/mediactl/recent-ids.json`, mode 0600). A kind is an OCID's type segment
// (`mediaworkflow`, `mediaworkflowjob`, …) or a name of ours for ids that are not OCIDs (`bucket`,
// `opentok-session`, `archive`, `master-playlist`). Nothing secret is kept: ids and names only.
import FoundationEssentials

public struct RecentIDs: Sendable {
    /// How many ids a kind keeps; the oldest go first.
    public static let perKind = 25

    public let path: String

    public init(path: String) { self.path = path }

    public init(environment: [String: String], home: String) {
        self.init(path: "\(StatePaths.directory(environment: environment, home: home))/recent-ids.json")
    }

    /// The kind an id is filed under: an OCID's type segment (`ocid1.mediaworkflow.oc1…` → `mediaworkflow`), else `fallback`.
    public static func kind(of id: String, fallback: String?) -> String? {
        let parts = id.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        if parts.count == 3, parts[0].hasPrefix("ocid"), !parts[1].isEmpty { return String(parts[1]) }
        return fallback
    }

    /// Every kind's ids, newest first; empty when the file is missing or unreadable (a cache, never an error).
    public func all() -> [String: [String]] {
        guard let data = FileManager.default.contents(atPath: path), let doc = try? JSONParser.parse(data), let fields = doc.objectValue else {
            return [:]
        }
        var out: [String: [String]] = [:]
        for (kind, list) in fields { out[kind] = (list.arrayValue ?? []).compactMap(\.stringValue) }
        return out
    }

    /// The ids of these kinds, newest first within each kind, without repeats.
    public func ids(of kinds: [String]) -> [String] {
        let table = all()
        var seen = Set<String>()
        return kinds.flatMap { table[$0] ?? [] }.filter { seen.insert($0).inserted }
    }

    /// The newest id of these kinds, if any.
    public func newest(of kinds: [String]) -> String? { ids(of: kinds).first }

    /// Files `ids` (newest first, as printed) at the front of their kinds: an OCID under its type, any other under
    /// `kind` (left out when there is none). Best effort: a cache that cannot be written is skipped.
    @discardableResult
    public func record(_ ids: [String], kind: String? = nil) -> Bool {
        var byKind: [(String, [String])] = []
        for id in ids where !id.isEmpty && !id.contains("\n") {
            guard let k = Self.kind(of: id, fallback: kind) else { continue }
            if let i = byKind.firstIndex(where: { $0.0 == k }) { byKind[i].1.append(id) } else { byKind.append((k, [id])) }
        }
        guard !byKind.isEmpty else { return true }
        let before = all()
        var table = before
        for (k, new) in byKind {
            var list = Array(new.prefix(Self.perKind))
            for old in table[k] ?? [] where list.count < Self.perKind && !list.contains(old) { list.append(old) }
            table[k] = list
        }
        return table == before ? true : write(table)
    }

    /// Takes deleted ids out of every kind.
    @discardableResult
    public func forget(_ ids: [String]) -> Bool {
        let table = all()
        let kept = table.mapValues { $0.filter { !ids.contains($0) } }
        return kept == table ? true : write(kept)
    }

    private func write(_ table: [String: [String]]) -> Bool {
        let doc = JSONValue.object(table.keys.sorted().map { ($0, .array(table[$0]!.map { .string($0) })) })
        return StatePaths.writeRecord(Data((doc.prettyText + "\n").utf8), to: path, durable: false)
    }
}
