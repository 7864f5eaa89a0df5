// Media Stream operations, served per channel at https://{domainName}/20211101 (protocols.md §6.6).
import FoundationEssentials

public struct MediaStreamClient: Sendable {
    let transport: any HTTPTransport
    public let endpoint: RequestURL
    let requestID: @Sendable () -> String
    let core: OCIRequestCore

    public init(transport: any HTTPTransport, domainName: String, scheme: String = "https",
                requestID: @escaping @Sendable () -> String = Identifiers.requestID) throws(MediaError) {
        self.transport = transport
        let endpoint = try Regions.streamEndpoint(domainName: domainName, scheme: scheme)
        self.endpoint = endpoint
        self.requestID = requestID
        core = OCIRequestCore(transport: transport, endpoint: endpoint, requestID: requestID)
    }

    /// A channel's Media Stream client: its host is the channel's `domainName`, so no endpoint is typed.
    public init(transport: any HTTPTransport, channel: Resource, scheme: String = "https",
                requestID: @escaping @Sendable () -> String = Identifiers.requestID) throws(MediaError) {
        guard let domain = channel.domainName, !domain.isEmpty else {
            throw .usage("distribution channel \(channel.id) has no domainName yet (is it ACTIVE?)")
        }
        try self.init(transport: transport, domainName: domain, scheme: scheme, requestID: requestID)
    }

    /// A session token for the asset and packaging config (scopes PLAYLIST and EDGE by default).
    public func generateSessionToken(packagingConfigID: String, assetIDs: [String], scopes: [String] = ["PLAYLIST", "EDGE"],
                                     expires: Date? = nil) throws(MediaError) -> String {
        var body: JSONValue = ["packagingConfigId": .string(packagingConfigID), "scopes": .array(scopes.map { .string($0) })]
        if !assetIDs.isEmpty { body.set("assetIds", .array(assetIDs.map { .string($0) })) }
        if let expires { body.set("timeExpires", .string(Timestamps.rfc3339(expires))) }
        let response = try core.send(core.request("POST", "/actions/generateSessionToken", body: body))
        guard let json = try? JSONParser.parse(response.body), let token = json["token"]?.stringValue, !token.isEmpty else {
            throw .network("generateSessionToken: the response has no token")
        }
        return token
    }

    /// A session token with typed scopes.
    public func generateSessionToken(packagingConfigID: String, assetIDs: [String], scopes: [SessionTokenScope],
                                     expires: Date? = nil) throws(MediaError) -> String {
        try generateSessionToken(packagingConfigID: packagingConfigID, assetIDs: assetIDs, scopes: scopes.map(\.rawValue), expires: expires)
    }

    /// GeneratePlaylist, signed: the playlist's bytes (an HLS m3u8 or a DASH MPD) as the service sent them.
    /// `token` is optional: a signed request needs none.
    public func generatePlaylist(packagingConfigID: String, assetID: String, token: String? = nil) throws(MediaError) -> Data {
        var query = [("streamPackagingConfigId", packagingConfigID), ("mediaAssetId", assetID)]
        query.add("token", token)
        let request = core.request("GET", "/actions/generatePlaylist", query: query,
                                   accept: "application/x-mpegurl, application/dash+xml")
        return try core.send(request).body
    }

    /// The unsigned URL a player fetches: every value percent-encoded, the lab's parameter order.
    public func playbackURL(assetID: String, packagingConfigID: String, token: String) -> String {
        endpoint.appending(path: "/actions/generatePlaylist",
                           query: Query.string([("mediaAssetId", assetID), ("streamPackagingConfigId", packagingConfigID), ("token", token)]))
            .description
    }
}

/// What a session token lets its holder fetch.
public enum SessionTokenScope: String, Sendable, CaseIterable {
    case playlist = "PLAYLIST", edge = "EDGE"
}

public enum Timestamps {
    public static func rfc3339(_ date: Date) -> String {
        date.internetDateTime(fractionalSeconds: true)
    }
}
