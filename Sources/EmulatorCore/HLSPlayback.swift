// Serving an ingested HLS asset from the ObjectStore: playlists rewritten so every URI is an emulator URL carrying the
// session token, and the URL scheme `/20211101/hls/{mediaAssetId}/{streamPackagingConfigId}/{name}?token=…`.
import Foundation
import MediaKit

/// An HLS playlist as lines, with the URIs it references (URI lines, and `URI="…"` attributes of tags such as
/// `#EXT-X-MAP` and `#EXT-X-MEDIA`).
struct HLSPlaylist {
    let lines: [String]

    init(text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
    }

    var isPlaylist: Bool { lines.first { !$0.trimmingCharacters(in: .whitespaces).isEmpty }?.hasPrefix("#EXTM3U") ?? false }

    /// The URI lines that follow `#EXT-X-STREAM-INF` (the variants of a master playlist).
    var variantURIs: [String] {
        var out: [String] = []
        var pending = false
        for line in lines {
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("#EXT-X-STREAM-INF") { pending = true } else if pending, !t.isEmpty, !t.hasPrefix("#") {
                out.append(t)
                pending = false
            }
        }
        return out
    }

    /// The playlist with every URI passed through `transform` (nil leaves it as it was).
    func rewritten(_ transform: (String) -> String?) -> String {
        lines.map { line -> String in
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { return line }
            if !t.hasPrefix("#") { return transform(t) ?? line }
            guard let start = line.range(of: "URI=\"") else { return line }
            guard let end = line[start.upperBound...].firstIndex(of: "\"") else { return line }
            let uri = String(line[start.upperBound..<end])
            guard let replacement = transform(uri) else { return line }
            return String(line[..<start.upperBound]) + replacement + String(line[end...])
        }.joined(separator: "\n")
    }

    /// The object a relative URI in `object`'s playlist names: its folder plus the URI, with `.` and `..` applied.
    /// Nil for absolute URLs and paths, queries, and anything that climbs out of the bucket.
    static func objectName(resolving uri: String, against object: String) -> String? {
        guard !uri.isEmpty, !uri.hasPrefix("/"), !uri.contains("://"), !uri.contains("?"), !uri.contains("#") else { return nil }
        let decoded = uri.removingPercentEncoding ?? uri
        var parts = object.split(separator: "/", omittingEmptySubsequences: false).dropLast().map(String.init)
        for part in decoded.split(separator: "/", omittingEmptySubsequences: false) {
            switch part {
            case "", ".": continue
            case "..":
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            default: parts.append(String(part))
            }
        }
        let name = parts.joined(separator: "/")
        return name.isEmpty ? nil : name
    }
}

/// Where an asset's files are served, and how a request path maps back to an object.
enum HLSRoute {
    static let prefix = MediaServicesEmulator.basePath + "/hls/"

    /// The folder of the asset's master playlist (with its trailing `/`, or empty): every servable object is inside it.
    static func assetFolder(_ masterObject: String) -> String {
        guard let slash = masterObject.lastIndex(of: "/") else { return "" }
        return String(masterObject[...slash])
    }

    /// The URL of `object` (inside `folder`) for a player holding `token`; nil when it is outside the folder.
    static func url(object: String, folder: String, assetID: String, configID: String, token: String) -> String? {
        guard object.hasPrefix(folder), object.count > folder.count else { return nil }
        let relative = object.dropFirst(folder.count).split(separator: "/").map { Query.encode(String($0)) }.joined(separator: "/")
        return "\(prefix)\(Query.encode(assetID))/\(Query.encode(configID))/\(relative)?token=\(Query.encode(token))"
    }

    struct Target: Equatable {
        let assetID: String
        let configID: String
        /// The object name relative to the asset's folder, segments decoded.
        let relative: String
    }

    /// Parses the raw path (still percent-encoded). Refuses, with a 400, every way of leaving the asset's folder:
    /// `..` and `.`, empty segments (`//`, a leading `/`), and encoded `/`, `\` or NUL inside a segment.
    static func parse(rawPath: String) throws(APIError) -> Target {
        let rest = rawPath.dropFirst(prefix.count)
        let raw = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard raw.count >= 3 else { throw .notFound }
        var decoded: [String] = []
        for (i, segment) in raw.enumerated() {
            let lower = segment.lowercased()
            guard !lower.contains("%2f"), !lower.contains("%5c"), !lower.contains("%00"), !segment.contains("\\"),
                  let d = segment.removingPercentEncoding, !d.isEmpty, d != ".", d != ".." else {
                throw .invalid("path", "segment \(i + 1) of \(rawPath) is not a plain name inside the asset's folder")
            }
            decoded.append(d)
        }
        return Target(assetID: decoded[0], configID: decoded[1], relative: decoded.dropFirst(2).joined(separator: "/"))
    }
}

/// An asset whose master playlist is in the store, and the session that may read it.
struct StoredPlayback: Sendable {
    let namespace: String
    let bucket: String
    /// The asset's master playlist object.
    let master: String
    /// The object this request reads (the master for generatePlaylist).
    let object: String
    let assetID: String
    let configID: String
    let token: String

    var folder: String { HLSRoute.assetFolder(master) }

    /// The bytes to answer with: playlists rewritten for this token, everything else as stored.
    func response(from objects: ObjectStore) throws(APIError) -> ServerResponse {
        let data: Data
        do { data = try objects.read(namespace: namespace, bucket: bucket, object: object) } catch {
            throw APIError(status: 404, code: "NotAuthorizedOrNotFound", message: "\(APIError.notFoundMessage) (object \(object) is not in bucket \(bucket))")
        }
        guard object.lowercased().hasSuffix(".m3u8") else {
            return ServerResponse(status: 200, headers: [("content-type", MediaJobRunner.contentType(object))], body: data)
        }
        let playlist = HLSPlaylist(text: String(decoding: data, as: UTF8.self))
        let text = playlist.rewritten { uri in
            HLSPlaylist.objectName(resolving: uri, against: object).flatMap {
                HLSRoute.url(object: $0, folder: folder, assetID: assetID, configID: configID, token: token)
            }
        }
        return ServerResponse(status: 200, headers: [("content-type", "application/vnd.apple.mpegurl")], body: Data(text.utf8))
    }
}
