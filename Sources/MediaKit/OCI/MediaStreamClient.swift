// Media Stream operations, served per channel at https://{domainName}/20211101 (protocols.md §6.6).
import FoundationEssentials

public struct MediaStreamClient: Sendable {
    let transport: any HTTPTransport
    public let endpoint: RequestURL
    let requestID: @Sendable () -> String

    public init(transport: any HTTPTransport, domainName: String, scheme: String = "https",
                requestID: @escaping @Sendable () -> String = Identifiers.requestID) throws(MediaError) {
        self.transport = transport
        endpoint = try Regions.streamEndpoint(domainName: domainName, scheme: scheme)
        self.requestID = requestID
    }

    /// A session token for the asset and packaging config (scopes PLAYLIST and EDGE by default).
    public func generateSessionToken(packagingConfigID: String, assetIDs: [String], scopes: [String] = ["PLAYLIST", "EDGE"],
                                     expires: Date? = nil) throws(MediaError) -> String {
        var body: JSONValue = ["packagingConfigId": .string(packagingConfigID), "scopes": .array(scopes.map { .string($0) })]
        if !assetIDs.isEmpty { body.set("assetIds", .array(assetIDs.map { .string($0) })) }
        if let expires { body.set("timeExpires", .string(Timestamps.rfc3339(expires))) }
        var request = HTTPRequest(method: "POST", url: endpoint.appending(path: "/actions/generateSessionToken"), body: body.data)
        request.setHeader("accept", "application/json")
        request.setHeader("content-type", "application/json")
        request.setHeader("opc-request-id", requestID())
        let response = try transport.send(request)
        guard response.isSuccess else { throw MediaError.from(OCIErrorBody.failure(response, request: request)) }
        guard let json = try? JSONParser.parse(response.body), let token = json["token"]?.stringValue, !token.isEmpty else {
            throw .network("generateSessionToken: the response has no token")
        }
        return token
    }

    /// The unsigned URL a player fetches: every value percent-encoded, the lab's parameter order.
    public func playbackURL(assetID: String, packagingConfigID: String, token: String) -> String {
        endpoint.appending(path: "/actions/generatePlaylist",
                           query: Query.string([("mediaAssetId", assetID), ("streamPackagingConfigId", packagingConfigID), ("token", token)]))
            .description
    }
}

public enum Timestamps {
    public static func rfc3339(_ date: Date) -> String {
        date.internetDateTime(fractionalSeconds: true)
    }
}
