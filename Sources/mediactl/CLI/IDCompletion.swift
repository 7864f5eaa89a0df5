// Ids for Tab, at the shell (`mediactl __complete`) and at prompts: the ids this user's runs printed
// (RecentIDs, per kind) first, then, when the flag names a kind the API lists by compartment and a
// compartment is known, a live list asked with a short timeout (a slow or absent service adds nothing).
import MediaKit

enum IDCompletion {
    /// The most a live list may take, connection included.
    static let liveTimeout = 2.0

    static func candidates(for spec: FlagSpec, invocation: Invocation?, environment: [String: String], home: String) -> [String] {
        guard !spec.recentKinds.isEmpty else { return [] }
        let recent = RecentIDs(environment: environment, home: home).ids(of: spec.recentKinds)
        let live = invocation.map { liveIDs(for: spec, invocation: $0) } ?? []
        var seen = Set<String>()
        return (recent + live).filter { seen.insert($0).inserted }
    }

    /// The newest ids of the flag's kind in the compartment the line, its variable or the defaults file names.
    static func liveIDs(for spec: FlagSpec, invocation: Invocation) -> [String] {
        guard let kind = ResourceKind.allCases.first(where: { !Set($0.ocidTypes).isDisjoint(with: spec.recentKinds) }),
              kind.listScope == "compartmentId", let compartment = compartment(invocation) else { return [] }
        do throws(MediaError) {
            var settings = try invocation.connectionSettings()
            settings.connectTimeout = min(settings.connectTimeout, liveTimeout / 2)
            settings.readTimeout = min(settings.readTimeout, liveTimeout)
            settings.commandTimeout = liveTimeout
            settings.maxRetries = 0
            settings.debug = false
            let client = try ConnectionFactory(settings: settings, clock: invocation.clock).mediaServices()
            return try client.list(kind, filters: [("compartmentId", compartment)], limit: 50).items
                .filter { !["DELETED", "DELETING"].contains($0.lifecycleState ?? "") }.map(\.id)
        } catch {
            return []
        }
    }

    private static func compartment(_ invocation: Invocation) -> String? {
        if invocation.spec(CommonFlags.compartment.spec.name) != nil { return (try? invocation.value(CommonFlags.compartment)) ?? nil }
        return CommonFlags.compartment.spec.envNames.lazy.compactMap { EnvironmentVariables.value($0, in: invocation.environment) }.first
    }
}
