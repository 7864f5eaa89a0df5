// What `--simulate-media` plays when an asset's files are not in the store: a fixed two-rendition ladder of small
// placeholder media playlists and real (black, silent) H.264 MPEG-TS segments, linked exactly like a stored asset's
// files (`/20211101/hls/{asset}/{config}/{name}?token=…`), so a player gets from the master to the segments.
import Foundation
import MediaKit

enum SimulatedPlayback {
    struct Rendition {
        let name: String
        let bandwidth: Int
        let resolution: String
        /// One 2-second segment of black 1 fps video, made once with
        /// `ffmpeg -f lavfi -i color=c=black:s={resolution}:r=1:d=2 -c:v libx264 -profile:v main -preset veryslow
        /// -pix_fmt yuv420p -g 2 -f mpegts` (ffmpeg 5.1, x264 164): kept as bytes so simulated mode needs no ffmpeg.
        let segmentBase64: [String]
        var segment: Data { Data(base64Encoded: segmentBase64.joined()) ?? Data() }
    }

    /// The segments' length in seconds (EXTINF and TARGETDURATION), and their codec as RFC 6381 says it.
    static let segmentSeconds = 2
    static let codecs = "avc1.4d401f"

    static let renditions = [
        Rendition(name: "360p", bandwidth: 1_200_000, resolution: "640x360", segmentBase64: [
        "R0AREABC8CUAAcEAAP8B/wAB/IAUSBIBBkZGbXBlZwlTZXJ2aWNlMDF3fEPK////////////////////////////////////////////////",
        "////////////////////////////////////////////////////////////////////////////////////////////////////////////",
        "//////////////////////////////////9HQAAQAACwDQABwQAAAAHwACqxBLL/////////////////////////////////////////////",
        "////////////////////////////////////////////////////////////////////////////////////////////////////////////",
        "/////////////////////////////////////////////////////////////////////0dQABAAArASAAHBAADhAPAAG+EA8AAVvU1W////",
        "////////////////////////////////////////////////////////////////////////////////////////////////////////////",
        "////////////////////////////////////////////////////////////////////////////////////////////////////////R0EA",
        "MAdQAAB7DH4AAAAB4AAAgMAKMQANl4ERAAfYYQAAAAEJ8AAAAAFnTUAe8SBQF/y4CIAAAAMAgAAAAwEHixaEwAAAAAFo6I48sgAAAQYF//+n",
        "3EXpvebZSLeWLNgg2SPu73gyNjQgLSBjb3JlIDE2NCByMzA5NSBiYWVlNDAwIC0gSC4yNjQvTVBFRy00IEFWQyBjb2RlYyAtIENvcHlsZWZ0",
        "IDIwMDMtMjAyMiAtIGh0dHA6Ly93d3dHAQARLnZpZGVvbGFuLm9yZy94MjY0Lmh0bWwgLSBvcHRpb25zOiBjYWJhYz0xIHJlZj04IGRlYmxv",
        "Y2s9MTowOjAgYW5hbHlzZT0weDE6MHgxMzEgbWU9dW1oIHN1Ym1lPTEwIHBzeT0xIHBzeV9yZD0xLjAwOjAuMDAgbWl4ZWRfcmVmPTEgbWVf",
        "cmFuZ2U9MjQgY2hyb21hX21lPTEgdHJlbGxpcz0yIDh4OGRjdD0wIGNxbT0wIGRlYUcBABJkem9uZT0yMSwxMSBmYXN0X3Bza2lwPTEgY2hy",
        "b21hX3FwX29mZnNldD0tMiB0aHJlYWRzPTMgbG9va2FoZWFkX3RocmVhZHM9MSBzbGljZWRfdGhyZWFkcz0wIG5yPTAgZGVjaW1hdGU9MSBp",
        "bnRlcmxhY2VkPTAgYmx1cmF5X2NvbXBhdD0wIGNvbnN0cmFpbmVkX2ludHJhPTAgYmZyYW1lcz0xIGJfcHlyYW1pZD0wIGJfYWRhRwEAE3B0",
        "PTIgYl9iaWFzPTAgZGlyZWN0PTMgd2VpZ2h0Yj0xIG9wZW5fZ29wPTAgd2VpZ2h0cD0yIGtleWludD0yIGtleWludF9taW49MSBzY2VuZWN1",
        "dD00MCBpbnRyYV9yZWZyZXNoPTAgcmNfbG9va2FoZWFkPTIgcmM9Y3JmIG1idHJlZT0xIGNyZj0yMy4wIHFjb21wPTAuNjAgcXBtaW49MCBx",
        "cG1heD02OSBxcHN0ZXA9NCBpcF9HAQA0QgD/////////////////////////////////////////////////////////////////////////",
        "/////////////3JhdGlvPTEuNDAgYXE9MToxLjAwAIAAAAFliIQAW//+99M/zLLsmiS146j3op4mX0N1JQGblsTtOoAAAAMAAAMAAB68FghE",
        "PzIoq68AAAMAyoAXAHuD7CVCGiCiKikD+GUIUOkZQAAAAwAAAwAAAwAAAwDAgUdAEREAQvAlAAHBAAD/Af8AAfyAFEgSAQZGRm1wZWcJU2Vy",
        "dmljZTAxd3xDyv//////////////////////////////////////////////////////////////////////////////////////////////",
        "////////////////////////////////////////////////////////////////////////////////////////////////R0AAEQAAsA0A",
        "AcEAAAAB8AAqsQSy////////////////////////////////////////////////////////////////////////////////////////////",
        "////////////////////////////////////////////////////////////////////////////////////////////////////////////",
        "//////////////////////9HUAARAAKwEgABwQAA4QDwABvhAPAAFb1NVv//////////////////////////////////////////////////",
        "////////////////////////////////////////////////////////////////////////////////////////////////////////////",
        "/////////////////////////////////////////////////////////0dBADWIEAABKtR+AP//////////////////////////////////",
        "////////////////////////////////////////////////////////////////////////////////////////////////////////////",
        "/////////////////////////////wAAAeAAAIDACjEAE1ahEQANl4EAAAABCfAAAAABQZolsQV//talUAAAAwAAAwPC",
        ]),
        Rendition(name: "720p", bandwidth: 2_500_000, resolution: "1280x720", segmentBase64: [
        "R0AREABC8CUAAcEAAP8B/wAB/IAUSBIBBkZGbXBlZwlTZXJ2aWNlMDF3fEPK////////////////////////////////////////////////",
        "////////////////////////////////////////////////////////////////////////////////////////////////////////////",
        "//////////////////////////////////9HQAAQAACwDQABwQAAAAHwACqxBLL/////////////////////////////////////////////",
        "////////////////////////////////////////////////////////////////////////////////////////////////////////////",
        "/////////////////////////////////////////////////////////////////////0dQABAAArASAAHBAADhAPAAG+EA8AAVvU1W////",
        "////////////////////////////////////////////////////////////////////////////////////////////////////////////",
        "////////////////////////////////////////////////////////////////////////////////////////////////////////R0EA",
        "MAdQAAB7DH4AAAAB4AAAgMAKMQANl4ERAAfYYQAAAAEJ8AAAAAFnTUAf8wCgC3YCIAAAAwAgAAADAEHjBiNAAAAAAWjpePLIAAABBgX//6fc",
        "Rem95tlIt5Ys2CDZI+7veDI2NCAtIGNvcmUgMTY0IHIzMDk1IGJhZWU0MDAgLSBILjI2NC9NUEVHLTQgQVZDIGNvZGVjIC0gQ29weWxlZnQg",
        "MjAwMy0yMDIyIC0gaHR0cDovL3d3dy5HAQARdmlkZW9sYW4ub3JnL3gyNjQuaHRtbCAtIG9wdGlvbnM6IGNhYmFjPTEgcmVmPTUgZGVibG9j",
        "az0xOjA6MCBhbmFseXNlPTB4MToweDEzMSBtZT11bWggc3VibWU9MTAgcHN5PTEgcHN5X3JkPTEuMDA6MC4wMCBtaXhlZF9yZWY9MSBtZV9y",
        "YW5nZT0yNCBjaHJvbWFfbWU9MSB0cmVsbGlzPTIgOHg4ZGN0PTAgY3FtPTAgZGVhZEcBABJ6b25lPTIxLDExIGZhc3RfcHNraXA9MSBjaHJv",
        "bWFfcXBfb2Zmc2V0PS0yIHRocmVhZHM9MyBsb29rYWhlYWRfdGhyZWFkcz0xIHNsaWNlZF90aHJlYWRzPTAgbnI9MCBkZWNpbWF0ZT0xIGlu",
        "dGVybGFjZWQ9MCBibHVyYXlfY29tcGF0PTAgY29uc3RyYWluZWRfaW50cmE9MCBiZnJhbWVzPTEgYl9weXJhbWlkPTAgYl9hZGFwRwEAE3Q9",
        "MiBiX2JpYXM9MCBkaXJlY3Q9MyB3ZWlnaHRiPTEgb3Blbl9nb3A9MCB3ZWlnaHRwPTIga2V5aW50PTIga2V5aW50X21pbj0xIHNjZW5lY3V0",
        "PTQwIGludHJhX3JlZnJlc2g9MCByY19sb29rYWhlYWQ9MiByYz1jcmYgbWJ0cmVlPTEgY3JmPTIzLjAgcWNvbXA9MC42MCBxcG1pbj0wIHFw",
        "bWF4PTY5IHFwc3RlcD00IGlwX3JHAQAUYXRpbz0xLjQwIGFxPTE6MS4wMACAAAABZYiEAFv//vfTP8yy7JokteOo96KeJl9DdSUBm5bE7TqA",
        "AAADAAADAAADAAADAVNr3EOXEcOH+g8AAAMAAAMB9AABWgABxgAEMAAKuAAj4ACKgAJ0AAsgAEcAAXwAC8AARAACIAAAAwAAAwAAAwAAAwAA",
        "AwAAAwAAAwAAAwAAAwAAAwAAAwAAAwAAAwAAAwAAAwAAAwAAAwAAAwAAAwAAA0cBADWBAP//////////////////////////////////////",
        "////////////////////////////////////////////////////////////////////////////////////////////////////////////",
        "////////////////////////AAADAAADAAADAAADAAADAAADAAADAAADAAADAAADAAADAAADAAADAAADAAADAAADAAADAH7BR0AREQBC8CUA",
        "AcEAAP8B/wAB/IAUSBIBBkZGbXBlZwlTZXJ2aWNlMDF3fEPK////////////////////////////////////////////////////////////",
        "////////////////////////////////////////////////////////////////////////////////////////////////////////////",
        "//////////////////////9HQAARAACwDQABwQAAAAHwACqxBLL/////////////////////////////////////////////////////////",
        "////////////////////////////////////////////////////////////////////////////////////////////////////////////",
        "/////////////////////////////////////////////////////////0dQABEAArASAAHBAADhAPAAG+EA8AAVvU1W////////////////",
        "////////////////////////////////////////////////////////////////////////////////////////////////////////////",
        "////////////////////////////////////////////////////////////////////////////////////////////R0EANnUQAAEq1H4A",
        "////////////////////////////////////////////////////////////////////////////////////////////////////////////",
        "//////////////////////////////////////8AAAHgAACAwAoxABNWoREADZeBAAAAAQnwAAAAAUGaJbEFf/7WpVAAAAMAAAMAAAMAAAMA",
        "AAMAAAMAAAMAAAMAZcA=",
        ]),
    ]

    static let contentType = "application/vnd.apple.mpegurl"

    /// The master playlist generatePlaylist answers with for `token`.
    static func master(assetID: String, configID: String, token: String) -> ServerResponse {
        var lines = ["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-INDEPENDENT-SEGMENTS",
                     "#EXT-X-SESSION-DATA:DATA-ID=\"com.oracle.mediaasset\",VALUE=\"\(assetID)\""]
        for r in renditions {
            lines.append("#EXT-X-STREAM-INF:BANDWIDTH=\(r.bandwidth),RESOLUTION=\(r.resolution),CODECS=\"\(codecs)\"")
            lines.append(url("\(r.name)/index.m3u8", assetID: assetID, configID: configID, token: token))
        }
        return playlist(lines)
    }

    /// `{rendition}/index.m3u8` (a VOD media playlist of one segment) or `{rendition}/segment0.ts`; nil for any
    /// other name.
    static func file(_ relative: String, assetID: String, configID: String, token: String) -> ServerResponse? {
        let parts = relative.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let r = renditions.first(where: { $0.name == parts[0] }) else { return nil }
        switch parts[1] {
        case "index.m3u8":
            return playlist(["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-TARGETDURATION:\(segmentSeconds)", "#EXT-X-MEDIA-SEQUENCE:0",
                             "#EXT-X-PLAYLIST-TYPE:VOD", "#EXTINF:\(segmentSeconds).0,",
                             url("\(r.name)/segment0.ts", assetID: assetID, configID: configID, token: token), "#EXT-X-ENDLIST"])
        case "segment0.ts":
            return ServerResponse(status: 200, headers: [("content-type", "video/mp2t")], body: r.segment)
        default:
            return nil
        }
    }

    private static func url(_ name: String, assetID: String, configID: String, token: String) -> String {
        // The same scheme as a stored asset's files; "" is the folder, so the name is always inside it.
        HLSRoute.url(object: name, folder: "", assetID: assetID, configID: configID, token: token) ?? ""
    }

    private static func playlist(_ lines: [String]) -> ServerResponse {
        ServerResponse(status: 200, headers: [("content-type", contentType)], body: Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}
