// Media Stream: session tokens and the playlists and files they open (generateSessionToken, generatePlaylist, /hls/...).
import Foundation
import MediaKit

extension ResourceStore {
    struct Session {
        let packagingConfigID: String
        let scopes: [String]
        let assetIDs: [String]
        let expires: Date?
    }

    // MARK: - Media Stream

    mutating func generateSessionToken(body: JSONValue, now: Date) throws(APIError) -> JSONValue {
        let f = try Fields(body)
        let configID = try f.requiredString("packagingConfigId")
        guard let scopes = try f.stringArray("scopes") else { throw .missing("scopes") }
        guard !scopes.isEmpty else { throw .invalid("scopes", "at least one of PLAYLIST, EDGE is required") }
        for scope in scopes where !["PLAYLIST", "EDGE"].contains(scope) {
            throw .invalid("scopes", "unknown scope \"\(scope)\"; allowed: PLAYLIST, EDGE")
        }
        let assetIDs = try f.stringArray("assetIds") ?? []
        var expires: Date?
        if let text = try f.string("timeExpires") {
            guard let date = Self.parseRFC3339(text) else { throw .invalid("timeExpires", "\"\(text)\" is not an RFC 3339 time") }
            guard date > now else { throw .invalid("timeExpires", "\(text) is in the past") }
            expires = date
        }
        guard let config = resources[configID], config.kind == .packagingConfig else {
            throw .referenceNotFound("packagingConfigId", configID)
        }
        for id in assetIDs where resources[id]?.kind != .asset { throw .referenceNotFound("assetIds", id) }

        let token = Digest.randomBytes(32).base64URLEncoded
        putSession(token, Session(packagingConfigID: configID, scopes: scopes, assetIDs: assetIDs, expires: expires))
        return ["token": .string(token)]
    }

    /// GET /actions/generatePlaylist. Players call it unsigned with the session token; MediaStreamClient.generate_playlist
    /// signs every call and sends `token` only when given. So a token is checked whenever there is one, and a call
    /// without one must be validly signed (`signed`: the caller verified the signature).
    enum PlaylistSource {
        /// `--simulate-media`'s placeholder stream (SimulatedPlayback), for an asset whose files are not in the store.
        case simulated(ServerResponse)
        case stored(StoredPlayback)
    }

    /// How long the token issued for a signed call without one lasts: the links in its playlist carry it.
    static let signedPlaylistTokenLifetime: TimeInterval = 3600

    mutating func playlist(query: [(String, String)], signed: Bool, now: Date) throws(APIError) -> PlaylistSource {
        func param(_ name: String) -> String? { query.first { $0.0 == name }.map { $0.1 }.flatMap { $0.isEmpty ? nil : $0 } }
        let given = param("token")
        if given == nil && !signed { _ = try validSession(nil, now: now, call: "generatePlaylist") }
        guard let assetID = param("mediaAssetId") else { throw .missing("mediaAssetId") }
        guard let configID = param("streamPackagingConfigId") else { throw .missing("streamPackagingConfigId") }
        let token: String
        let asset: JSONValue
        if let given {
            asset = try authorizePlayback(try validSession(given, now: now, call: "generatePlaylist"), assetID: assetID, configID: configID)
            token = given
        } else {
            // The signature authorises the call, but the playlist's links are fetched by a player without one: they
            // carry a token issued here for this asset and config, as generateSessionToken would issue it.
            let session = Session(packagingConfigID: configID, scopes: ["PLAYLIST"], assetIDs: [assetID],
                                  expires: now.addingTimeInterval(Self.signedPlaylistTokenLifetime))
            asset = try authorizePlayback(session, assetID: assetID, configID: configID)
            for (old, s) in sessions where s.expires.map({ $0 <= now }) ?? false { putSession(old, nil) }
            token = Digest.randomBytes(32).base64URLEncoded
            putSession(token, session)
        }
        if let stored = storedPlayback(asset: asset, assetID: assetID, configID: configID, token: token, relative: nil) {
            return .stored(stored)
        }
        if executesMedia {
            let object = asset["objectName"]?.stringValue ?? ""
            throw APIError(status: 404, code: "NotAuthorizedOrNotFound",
                           message: "\(APIError.notFoundMessage) (the asset's playlist \(object) is not in bucket \(asset["bucketName"]?.stringValue ?? ""))")
        }
        return .simulated(SimulatedPlayback.master(assetID: assetID, configID: configID, token: token))
    }

    /// GET /hls/{asset}/{config}/{name}: a variant playlist or segment of a stored asset (or of the simulated stream),
    /// with the same token checks.
    func playbackFile(_ target: HLSRoute.Target, query: [(String, String)], now: Date) throws(APIError) -> PlaylistSource {
        let token = query.first { $0.0 == "token" }.map { $0.1 }.flatMap { $0.isEmpty ? nil : $0 }
        let session = try validSession(token, now: now, call: "this playback URL")
        let asset = try authorizePlayback(session, assetID: target.assetID, configID: target.configID)
        if let stored = storedPlayback(asset: asset, assetID: target.assetID, configID: target.configID, token: token ?? "",
                                       relative: target.relative) {
            return .stored(stored)
        }
        if !executesMedia, let file = SimulatedPlayback.file(target.relative, assetID: target.assetID, configID: target.configID,
                                                             token: token ?? "") {
            return .simulated(file)
        }
        throw .notFound
    }

    /// The token is the only credential players have, so every mismatch between it and the request is a 401.
    func validSession(_ token: String?, now: Date, call: String) throws(APIError) -> Session {
        guard let token else { throw .notAuthenticated("\(call) needs a session token (token=...) from generateSessionToken.") }
        guard let session = sessions[token] else { throw .notAuthenticated("The session token is not valid.") }
        if let expires = session.expires, expires <= now { throw .notAuthenticated("The session token has expired.") }
        guard session.scopes.contains("PLAYLIST") else {
            throw .notAuthenticated("The session token does not have the PLAYLIST scope.")
        }
        return session
    }

    func authorizePlayback(_ session: Session, assetID: String, configID: String) throws(APIError) -> JSONValue {
        guard configID == session.packagingConfigID else {
            throw .notAuthenticated("The session token was issued for another packaging config.")
        }
        guard session.assetIDs.isEmpty || session.assetIDs.contains(assetID) else {
            throw .notAuthenticated("The session token does not cover media asset \(assetID).")
        }
        guard let asset = resources[assetID], asset.kind == .asset else { throw .referenceNotFound("mediaAssetId", assetID) }
        guard resources[configID]?.kind == .packagingConfig else { throw .referenceNotFound("streamPackagingConfigId", configID) }
        return asset.json
    }

    /// The asset's files when its master playlist is in the store; `relative` (inside the master's folder) picks
    /// another file than the master.
    func storedPlayback(asset: JSONValue, assetID: String, configID: String, token: String, relative: String?) -> StoredPlayback? {
        guard let objects, let namespace = asset["namespaceName"]?.stringValue, let bucket = asset["bucketName"]?.stringValue,
              let master = asset["objectName"]?.stringValue,
              (try? objects.info(namespace: namespace, bucket: bucket, object: master)) != nil else { return nil }
        let object = relative.map { HLSRoute.assetFolder(master) + $0 } ?? master
        return StoredPlayback(namespace: namespace, bucket: bucket, master: master, object: object, assetID: assetID,
                              configID: configID, token: token)
    }



    static func parseRFC3339(_ text: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: text) { return d }
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: text)
    }

}
