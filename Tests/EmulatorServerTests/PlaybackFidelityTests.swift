// Issue 14, defects 3 and 4, with the real emulator binary over loopback: a player gets from `--simulate-media`'s
// master playlist through its variants to real segments with the token; and generatePlaylist, signed as
// MediaStreamClient.generate_playlist signs it, is served without a token, while a bad signature or token is not.
import Foundation
import MediaKit
import Testing
import TestSupport

@Suite struct PlaybackFidelityTests {
    /// The emulator binary with a channel, packaging config and ingested asset, made by the mediactl binary.
    struct Stream {
        let emu: EmulatorUnderTest
        let asset: String
        let packaging: String
        let playbackURL: String

        init() throws {
            emu = try EmulatorUnderTest(jobSeconds: 0.2)
            let channel = try emu.run(["channel", "build", "--output", "id"])
            #expect(channel.status == 0, "\(channel.stderr)")
            let ids = channel.stdoutLines
            try #require(ids.count == 3)
            packaging = ids[2]
            let ingest = try emu.run(["ingest", "--channel-id", ids[0], "--bucket", "out", "--object", "sdk_test/clip.mp4/run1-master.m3u8",
                                      "--output", "id"])
            #expect(ingest.status == 0, "\(ingest.stderr)")
            asset = ingest.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let url = try emu.run(["playback-url", "--channel-id", ids[0], "--asset-id", asset, "--packaging-config-id", packaging])
            #expect(url.status == 0, "\(url.stderr)")
            playbackURL = url.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        var generatePlaylistPath: String { "/20211101/actions/generatePlaylist?mediaAssetId=\(asset)&streamPackagingConfigId=\(packaging)" }
    }

    static func get(_ url: String) throws -> HTTPResponse {
        try CurlTransport(options: TransferOptions(connectTimeout: 2, totalTimeout: 20)).send(HTTPRequest(method: "GET", url: try #require(RequestURL(url))))
    }

    /// The URI lines of a playlist.
    static func uris(_ body: Data) -> [String] {
        String(decoding: body, as: UTF8.self).split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }.map(String.init)
    }

    /// Follows `master` (the body of a master playlist) to every variant and segment with the token each link carries;
    /// each segment is MPEG-TS. Also checks the same links without their token are refused. Returns the segments.
    static func follow(_ master: Data, emu: EmulatorUnderTest) throws -> [String] {
        let variants = uris(master)
        #expect(variants.count == 2, "\(String(decoding: master, as: UTF8.self))")
        var segments: [String] = []
        for variant in variants {
            #expect(variant.hasPrefix("/20211101/hls/"), "\(variant)")
            #expect(variant.contains("?token="), "\(variant)")
            let playlist = try get(emu.endpoint + variant)
            #expect(playlist.status == 200, "\(variant)")
            #expect(playlist.header("content-type") == "application/vnd.apple.mpegurl")
            #expect(String(decoding: playlist.body, as: UTF8.self).contains("#EXT-X-ENDLIST"))
            for segment in uris(playlist.body) {
                #expect(segment.hasPrefix("/20211101/hls/") && segment.contains("?token="), "\(segment)")
                let ts = try get(emu.endpoint + segment)
                #expect(ts.status == 200, "\(segment)")
                #expect(ts.header("content-type") == "video/mp2t")
                #expect(ts.body.count > 0 && ts.body.count % 188 == 0 && ts.body.first == 0x47, "MPEG-TS packets")
                let bare = segment.replacingOccurrences(of: #"\?token=[^&]*"#, with: "", options: .regularExpression)
                #expect(try get(emu.endpoint + bare).status == 401, "\(bare)")
                segments.append(segment)
            }
            let bare = variant.replacingOccurrences(of: #"\?token=[^&]*"#, with: "", options: .regularExpression)
            #expect(try get(emu.endpoint + bare).status == 401, "\(bare)")
        }
        return segments
    }

    @Test func aPlayerGetsFromTheSimulatedMasterThroughVariantsToSegments() throws {
        let s = try Stream()
        let master = try Self.get(s.playbackURL)
        #expect(master.status == 200)
        #expect(String(decoding: master.body, as: UTF8.self).hasPrefix("#EXTM3U\n"))
        #expect(!String(decoding: master.body, as: UTF8.self).contains("/actions/"), "no link resolves under /actions/")
        let segments = try Self.follow(master.body, emu: s.emu)
        #expect(segments.count == 2)
        // A name the simulated stream does not have is not found, even with the token.
        let token = s.playbackURL.components(separatedBy: "token=").last ?? ""
        #expect(try Self.get("\(s.emu.endpoint)/20211101/hls/\(s.asset)/\(s.packaging)/1080p/index.m3u8?token=\(token)").status == 404)
    }

    @Test(.enabled(if: MediaSamples.tools != nil, "ffprobe is not installed (scripts/install-deps.sh installs it)"))
    func ffprobeReadsTheSimulatedStreamEndToEnd() throws {
        let s = try Stream()
        let probe = try MediaSamples.probe(s.playbackURL, hls: true)
        let video = try #require(MediaSamples.stream(probe, "video"))
        #expect(video["codec_name"]?.stringValue == "h264")
        #expect([360, 720].contains(video["height"]?.intValue ?? 0), "\(video.compactText)")
        #expect(Double(probe["format"]?["duration"]?.stringValue ?? "") ?? 0 >= 1.9)
    }

    @Test func aSignedGeneratePlaylistNeedsNoTokenAndItsLinksCarryOne() throws {
        let s = try Stream()
        let signed = try s.emu.send("GET", s.generatePlaylistPath, sign: true)
        #expect(signed.status == 200, "\(String(decoding: signed.body, as: UTF8.self))")
        #expect(String(decoding: signed.body, as: UTF8.self).hasPrefix("#EXTM3U\n"))
        // The links work for a player that has no signature: the token issued for this call is in them.
        #expect(try Self.follow(signed.body, emu: s.emu).count == 2)
    }

    @Test func generatePlaylistIsRefusedUnsignedWithoutTokenWithABadSignatureOrAWrongToken() throws {
        let s = try Stream()
        let token = s.playbackURL.components(separatedBy: "token=").last ?? ""
        #expect(try s.emu.send("GET", s.generatePlaylistPath).status == 401, "unsigned, no token")
        #expect(try s.emu.send("GET", s.generatePlaylistPath + "&token=wrong").status == 401, "unsigned, wrong token")
        #expect(try s.emu.send("GET", s.generatePlaylistPath + "&token=wrong", sign: true).status == 401, "signed, wrong token")
        #expect(try s.emu.send("GET", s.generatePlaylistPath + "&token=\(token)", sign: true).status == 200, "signed, right token")
        #expect(try s.emu.send("GET", s.generatePlaylistPath + "&token=\(token)").status == 200, "unsigned, right token")
        // A signature made for another request does not verify.
        let forged = try s.emu.send("GET", s.generatePlaylistPath, sign: true) { request in
            request.url = RequestURL(s.emu.endpoint + s.generatePlaylistPath.replacingOccurrences(of: "mediaAssetId=", with: "mediaAssetId=x")) ?? request.url
        }
        #expect(forged.status == 401)
        let badKey = try s.emu.send("GET", s.generatePlaylistPath, sign: true) { request in
            let auth = request.header("authorization") ?? ""
            request.setHeader("authorization", auth.replacingOccurrences(of: "signature=\"", with: "signature=\"AAAA"))
        }
        #expect(badKey.status == 401)
    }
}
