// Typed options for each OpenTok call, their local validation (the combinations the API or SDK
// rejects are refused before anything is sent), and their wire bodies in the SDK's key order
// (protocols.md §7.2–7.5).
import FoundationEssentials
import Glibc

public enum OpenTokResolution: String, CaseIterable, Sendable {
    case sd = "640x480", sdPortrait = "480x640", hd = "1280x720", hdPortrait = "720x1280", fullHD = "1920x1080", fullHDPortrait = "1080x1920"
}

public enum OpenTokLayoutType: String, CaseIterable, Sendable {
    case bestFit, custom, horizontalPresentation, pip, verticalPresentation
}

public enum OpenTokStreamMode: String, CaseIterable, Sendable { case auto, manual }

/// The layout of a composed archive or a broadcast.
public struct OpenTokLayout: Sendable, Equatable {
    public var type: OpenTokLayoutType
    /// CSS for the `custom` type only.
    public var stylesheet: String?
    /// The layout used while a screen is shared; only with `bestFit`.
    public var screenshareType: OpenTokLayoutType?

    public init(type: OpenTokLayoutType, stylesheet: String? = nil, screenshareType: OpenTokLayoutType? = nil) {
        self.type = type
        self.stylesheet = stylesheet
        self.screenshareType = screenshareType
    }

    public func validate() throws(MediaError) {
        if stylesheet != nil && type != .custom { throw .usage("a stylesheet needs the custom layout type (got \(type.rawValue))") }
        if type == .custom && (stylesheet ?? "").isEmpty { throw .usage("the custom layout type needs a stylesheet") }
        if let screenshareType {
            if type != .bestFit { throw .usage("a screenshare layout type needs the bestFit layout type (got \(type.rawValue))") }
            if screenshareType == .custom { throw .usage("the screenshare layout type cannot be custom") }
        }
    }

    /// `{"type", "stylesheet" (custom only), "screenshareType"}`.
    public var json: JSONValue {
        var body: JSONValue = ["type": .string(type.rawValue)]
        if type == .custom, let stylesheet { body.set("stylesheet", .string(stylesheet)) }
        if let screenshareType { body.set("screenshareType", .string(screenshareType.rawValue)) }
        return body
    }
}

/// Ranges the API enforces, checked before sending.
public enum OpenTokLimits {
    public static let maxBitrate = 100_000...6_000_000
    public static let quantizationParameter = 15...40
    public static let broadcastMaxDuration = 60...36_000
    public static let maxRTMPTargets = 5
    public static let signalTypeBytes = 128
    public static let signalDataBytes = 8192
    public static let archiveNameLength = 1...80

    static func check(_ value: Int?, in range: ClosedRange<Int>, _ what: String) throws(MediaError) {
        if let value, !range.contains(value) {
            throw .usage("\(what) must be from \(range.lowerBound) to \(range.upperBound), got \(value)")
        }
    }
}

// MARK: - sessions

public enum OpenTokMediaMode: String, CaseIterable, Sendable {
    /// Through the OpenTok Media Router: needed for archives, broadcasts, SIP, e2ee.
    case routed
    /// Peer to peer where possible (the SDK's default).
    case relayed

    /// The form field's value: `p2p.preference=disabled` means routed.
    var p2pPreference: String { self == .routed ? "disabled" : "enabled" }
}

public struct SessionOptions: Sendable, Equatable {
    public var mediaMode: OpenTokMediaMode = .relayed
    public var archiveAlways = false
    public var archiveName: String?
    public var archiveResolution: OpenTokResolution?
    /// IPv4 address hinting where the session should be hosted.
    public var location: String?
    public var e2ee = false

    public init() {}

    public func validate() throws(MediaError) {
        if archiveAlways && mediaMode != .routed { throw .usage("archive mode always needs the routed media mode") }
        if archiveName != nil && !archiveAlways { throw .usage("an archive name for the session needs archive mode always") }
        if archiveResolution != nil && !archiveAlways { throw .usage("an archive resolution for the session needs archive mode always") }
        if let name = archiveName, !OpenTokLimits.archiveNameLength.contains(name.count) {
            throw .usage("the archive name must be 1 to 80 characters, got \(name.count)")
        }
        if e2ee && mediaMode != .routed { throw .usage("end-to-end encryption needs the routed media mode") }
        if let location {
            var address = in_addr()
            guard inet_pton(AF_INET, location, &address) == 1 else { throw .usage("location '\(location)' is not an IPv4 address") }
        }
    }

    /// The media mode when none is chosen: each platform's SDK default (docs/vonage-decisions.md). opentok 3.15's
    /// `create_session()` is relayed (`p2p.preference=enabled`); vonage-video 1.6's `SessionOptions()` is routed
    /// (`p2p.preference=disabled`).
    public static func defaultMediaMode(for platform: VideoPlatform) -> OpenTokMediaMode {
        platform == .vonage ? .routed : .relayed
    }

    /// The form fields opentok 3.15 sends, in its order; `archiveMode` and `e2ee` always sent.
    public var formFields: [(String, String)] {
        var fields = [("p2p.preference", mediaMode.p2pPreference), ("archiveMode", archiveAlways ? "always" : "manual")]
        if archiveAlways, let archiveName { fields.append(("archiveName", archiveName)) }
        if archiveAlways, let archiveResolution { fields.append(("archiveResolution", archiveResolution.rawValue)) }
        if let location { fields.append(("location", location)) }
        fields.append(("e2ee", e2ee ? "true" : "false"))
        return fields
    }

    /// The form fields for `platform`. For Vonage, vonage-video 1.6's `SessionOptions` order (archiveMode, location,
    /// e2ee, p2p.preference) with the API's defaults (manual archiving, no e2ee) left out as that SDK leaves them out,
    /// so the default request is exactly its `p2p.preference=disabled`. Its `media_mode` field is not sent: it is not a
    /// parameter of the REST API (p2p.preference says the same). archiveName and archiveResolution, which that SDK
    /// cannot express, go beside archiveMode.
    public func formFields(for platform: VideoPlatform) -> [(String, String)] {
        guard platform == .vonage else { return formFields }
        var fields: [(String, String)] = []
        if archiveAlways {
            fields.append(("archiveMode", "always"))
            if let archiveName { fields.append(("archiveName", archiveName)) }
            if let archiveResolution { fields.append(("archiveResolution", archiveResolution.rawValue)) }
        }
        if let location { fields.append(("location", location)) }
        if e2ee { fields.append(("e2ee", "true")) }
        fields.append(("p2p.preference", mediaMode.p2pPreference))
        return fields
    }
}

// MARK: - archives

public enum OpenTokOutputMode: String, CaseIterable, Sendable { case composed, individual }

public struct ArchiveOptions: Sendable, Equatable {
    public var sessionID: String
    public var name: String?
    // nil: not chosen. The two SDKs send an unchosen option differently (opentok 3.15 spells out the API's default,
    // vonage-video 1.6 leaves the key out), so the choice has to survive until the body is built.
    /// The API's default is true.
    public var hasAudio: Bool?
    /// The API's default is true.
    public var hasVideo: Bool?
    /// The API's default is composed.
    public var outputMode: OpenTokOutputMode?
    public var resolution: OpenTokResolution?
    /// The API's default is auto.
    public var streamMode: OpenTokStreamMode?
    public var multiArchiveTag: String?
    public var maxBitrate: Int?
    public var quantizationParameter: Int?
    public var layout: OpenTokLayout?
    public var hasTranscription = false
    public var transcriptionLanguage: String?
    public var transcriptionSummary: Bool?

    public init(sessionID: String) { self.sessionID = sessionID }

    public func validate() throws(MediaError) {
        if sessionID.isEmpty { throw .usage("the session ID is empty") }
        if hasAudio == false && hasVideo == false { throw .usage("an archive needs audio or video: not both turned off") }
        if resolution != nil && outputMode == .individual {
            throw .usage("a resolution cannot be set for individual output mode (each stream keeps its own)")
        }
        if layout != nil && outputMode == .individual { throw .usage("a layout applies to composed archives only, not individual output mode") }
        try layout?.validate()
        try OpenTokLimits.check(maxBitrate, in: OpenTokLimits.maxBitrate, "the maximum bitrate (bits per second)")
        try OpenTokLimits.check(quantizationParameter, in: OpenTokLimits.quantizationParameter, "the quantization parameter")
        if (transcriptionLanguage != nil || transcriptionSummary != nil) && !hasTranscription {
            throw .usage("transcription settings need transcription turned on")
        }
    }

    /// opentok 3.15's body: it always sends the first nine keys, the API's defaults spelled out and `null` for the
    /// other unset ones (G15).
    public var json: JSONValue {
        var body: JSONValue = [
            "name": name.map(JSONValue.string) ?? .null, "sessionId": .string(sessionID),
            "hasAudio": .bool(hasAudio ?? true), "hasVideo": .bool(hasVideo ?? true),
            "outputMode": .string((outputMode ?? .composed).rawValue),
            "resolution": resolution.map { .string($0.rawValue) } ?? .null, "streamMode": .string((streamMode ?? .auto).rawValue),
            "multiArchiveTag": multiArchiveTag.map(JSONValue.string) ?? .null, "maxBitrate": maxBitrate.map(JSONValue.int) ?? .null,
        ]
        if let quantizationParameter { body.set("quantizationParameter", .int(quantizationParameter)) }
        if let layout { body.set("layout", layout.json) }
        appendTranscription(to: &body)
        return body
    }

    /// The body each platform's SDK sends. vonage-video 1.6's `CreateArchiveRequest` dumped with `exclude_none=True`:
    /// only the options chosen, in its model's order (docs/vonage-decisions.md).
    public func json(for platform: VideoPlatform) -> JSONValue {
        guard platform == .vonage else { return json }
        var body: JSONValue = ["sessionId": .string(sessionID)]
        if let hasAudio { body.set("hasAudio", .bool(hasAudio)) }
        if let hasVideo { body.set("hasVideo", .bool(hasVideo)) }
        if let layout { body.set("layout", layout.json) }
        if let multiArchiveTag { body.set("multiArchiveTag", .string(multiArchiveTag)) }
        if let name { body.set("name", .string(name)) }
        if let outputMode { body.set("outputMode", .string(outputMode.rawValue)) }
        if let resolution { body.set("resolution", .string(resolution.rawValue)) }
        if let streamMode { body.set("streamMode", .string(streamMode.rawValue)) }
        if let maxBitrate { body.set("maxBitrate", .int(maxBitrate)) }
        if let quantizationParameter { body.set("quantizationParameter", .int(quantizationParameter)) }
        appendTranscription(to: &body)
        return body
    }

    private func appendTranscription(to body: inout JSONValue) {
        guard hasTranscription else { return }
        body.set("hasTranscription", true)
        var properties: [(String, JSONValue)] = []
        if let transcriptionLanguage { properties.append(("primaryLanguageCode", .string(transcriptionLanguage))) }
        if let transcriptionSummary { properties.append(("hasSummary", .bool(transcriptionSummary))) }
        if !properties.isEmpty { body.set("transcriptionProperties", .object(properties)) }
    }
}

// MARK: - broadcasts

public struct RTMPTarget: Sendable, Equatable {
    public var id: String?
    public var serverURL: String
    public var streamName: String

    public init(id: String? = nil, serverURL: String, streamName: String) {
        self.id = id
        self.serverURL = serverURL
        self.streamName = streamName
    }

    var json: JSONValue {
        var target: [(String, JSONValue)] = []
        if let id { target.append(("id", .string(id))) }
        target += [("serverUrl", .string(serverURL)), ("streamName", .string(streamName))]
        return .object(target)
    }
}

public struct HLSOptions: Sendable, Equatable {
    public var lowLatency: Bool?
    public var dvr: Bool?
    public init(lowLatency: Bool? = nil, dvr: Bool? = nil) {
        self.lowLatency = lowLatency
        self.dvr = dvr
    }
}

public struct BroadcastOptions: Sendable, Equatable {
    public var sessionID: String
    /// nil: not chosen (the API's default, auto), which opentok 3.15 spells out and vonage-video 1.6 leaves out.
    public var streamMode: OpenTokStreamMode?
    public var hls: HLSOptions?
    public var rtmp: [RTMPTarget] = []
    public var layout: OpenTokLayout?
    public var maxDuration: Int?
    public var maxBitrate: Int?
    public var resolution: OpenTokResolution?
    public var hasAudio: Bool?
    public var hasVideo: Bool?
    public var multiBroadcastTag: String?

    public init(sessionID: String) { self.sessionID = sessionID }

    public func validate() throws(MediaError) {
        if sessionID.isEmpty { throw .usage("the session ID is empty") }
        if hls == nil && rtmp.isEmpty { throw .usage("a broadcast needs an output: HLS, or at least one RTMP target") }
        if rtmp.count > OpenTokLimits.maxRTMPTargets {
            throw .usage("a broadcast can have at most \(OpenTokLimits.maxRTMPTargets) RTMP targets, got \(rtmp.count)")
        }
        if let hls, hls.lowLatency == true && hls.dvr == true { throw .usage("HLS low latency and DVR cannot both be on") }
        var ids = Set<String>()
        for target in rtmp {
            let scheme = target.serverURL.lowercased()
            guard scheme.hasPrefix("rtmp://") || scheme.hasPrefix("rtmps://") else {
                throw .usage("RTMP server URL '\(target.serverURL)' must start with rtmp:// or rtmps://")
            }
            if target.streamName.isEmpty { throw .usage("RTMP target \(target.serverURL) has no stream name") }
            if let id = target.id, !ids.insert(id).inserted { throw .usage("RTMP target id '\(id)' is used twice") }
        }
        if hasAudio == false && hasVideo == false { throw .usage("a broadcast needs audio or video: not both turned off") }
        try layout?.validate()
        try OpenTokLimits.check(maxDuration, in: OpenTokLimits.broadcastMaxDuration, "the maximum duration (seconds)")
        try OpenTokLimits.check(maxBitrate, in: OpenTokLimits.maxBitrate, "the maximum bitrate (bits per second)")
    }

    /// opentok 3.15's body: `{"sessionId", "streamMode"}` followed by the options that were set (the SDK merges its
    /// options dictionary at the top level).
    public var json: JSONValue { json(for: .opentok) }

    /// The body each platform's SDK sends: the same keys, but vonage-video 1.6 (`exclude_none=True`) leaves out a
    /// stream mode that was not chosen, where opentok 3.15 sends its default auto.
    public func json(for platform: VideoPlatform) -> JSONValue {
        var body: JSONValue = ["sessionId": .string(sessionID)]
        if platform != .vonage || streamMode != nil { body.set("streamMode", .string((streamMode ?? .auto).rawValue)) }
        if let layout { body.set("layout", layout.json) }
        if let maxDuration { body.set("maxDuration", .int(maxDuration)) }
        var outputs: [(String, JSONValue)] = []
        if let hls {
            var h: [(String, JSONValue)] = []
            if let lowLatency = hls.lowLatency { h.append(("lowLatency", .bool(lowLatency))) }
            if let dvr = hls.dvr { h.append(("dvr", .bool(dvr))) }
            outputs.append(("hls", .object(h)))
        }
        if !rtmp.isEmpty { outputs.append(("rtmp", .array(rtmp.map(\.json)))) }
        body.set("outputs", .object(outputs))
        if let resolution { body.set("resolution", .string(resolution.rawValue)) }
        if let maxBitrate { body.set("maxBitrate", .int(maxBitrate)) }
        if let hasAudio { body.set("hasAudio", .bool(hasAudio)) }
        if let hasVideo { body.set("hasVideo", .bool(hasVideo)) }
        if let multiBroadcastTag { body.set("multiBroadcastTag", .string(multiBroadcastTag)) }
        return body
    }
}

// MARK: - signals, DTMF, SIP

public struct SignalMessage: Sendable, Equatable {
    public var type: String?
    public var data: String

    public init(type: String? = nil, data: String) {
        self.type = type
        self.data = data
    }

    /// Limits from the REST reference: type ≤ 128 bytes of letters, digits, `-`, `_`, `~`; data ≤ 8 kB.
    public func validate() throws(MediaError) {
        if let type {
            if type.isEmpty { throw .usage("the signal type is empty") }
            if type.utf8.count > OpenTokLimits.signalTypeBytes {
                throw .usage("the signal type is \(type.utf8.count) bytes; at most \(OpenTokLimits.signalTypeBytes) are allowed")
            }
            if !type.unicodeScalars.allSatisfy({ $0.isASCII && (Character($0).isLetter || Character($0).isNumber || "-_~".unicodeScalars.contains($0)) }) {
                throw .usage("the signal type '\(type)' may contain only letters, digits, '-', '_' and '~'")
            }
        }
        if data.utf8.count > OpenTokLimits.signalDataBytes {
            throw .usage("the signal data is \(data.utf8.count) bytes; at most \(OpenTokLimits.signalDataBytes) (8 kB) are allowed")
        }
    }

    public var json: JSONValue {
        var body: [(String, JSONValue)] = []
        if let type { body.append(("type", .string(type))) }
        body.append(("data", .string(data)))
        return .object(body)
    }
}

public enum DTMFDigits {
    /// 0–9, `*`, `#`, and `p` for a 500 ms pause.
    public static func validate(_ digits: String) throws(MediaError) {
        if digits.isEmpty { throw .usage("no DTMF digits given") }
        if let bad = digits.first(where: { !"0123456789*#p".contains($0) }) {
            throw .usage("'\(bad)' is not a DTMF digit: use 0-9, *, # and p (a 500 ms pause)")
        }
    }
}

public struct SIPDialOptions: Sendable, Equatable {
    public var sessionID: String
    /// A client token for the SIP participant's connection.
    public var token: String
    public var uri: String
    public var from: String?
    /// Custom headers for the SIP INVITE, in order; names start with `X-`.
    public var headers: [(String, String)] = []
    public var authUsername: String?
    public var authPassword: String?
    public var secure: Bool?
    public var video: Bool?
    public var observeForceMute: Bool?
    public var streams: [String] = []

    public init(sessionID: String, token: String, uri: String) {
        self.sessionID = sessionID
        self.token = token
        self.uri = uri
    }

    public static func == (a: SIPDialOptions, b: SIPDialOptions) -> Bool { a.json == b.json }

    public func validate() throws(MediaError) {
        let lower = uri.lowercased()
        guard lower.hasPrefix("sip:") || lower.hasPrefix("sips:") else {
            throw .usage("SIP URI '\(uri)' must start with sip: or sips: (e.g. sip:user@sip.example.com;transport=tls)")
        }
        for (name, _) in headers {
            guard name.lowercased().hasPrefix("x-"), name.count > 2,
                  name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
                throw .usage("SIP header name '\(name)' must start with X- and contain only letters, digits, '-' and '_'")
            }
        }
        if (authUsername == nil) != (authPassword == nil) { throw .usage("SIP authentication needs both a username and a password") }
    }

    /// `{"sessionId", "token", "sip": {"uri", …options}}` (the SDK spreads its options into `sip`).
    public var json: JSONValue {
        var sip: JSONValue = ["uri": .string(uri)]
        if let from { sip.set("from", .string(from)) }
        if !headers.isEmpty { sip.set("headers", .object(headers.map { ($0.0, .string($0.1)) })) }
        if let authUsername, let authPassword { sip.set("auth", ["username": .string(authUsername), "password": .string(authPassword)]) }
        if let secure { sip.set("secure", .bool(secure)) }
        if let video { sip.set("video", .bool(video)) }
        if let observeForceMute { sip.set("observeForceMute", .bool(observeForceMute)) }
        if !streams.isEmpty { sip.set("streams", .array(streams.map(JSONValue.string))) }
        return ["sessionId": .string(sessionID), "token": .string(token), "sip": sip]
    }
}

/// One stream's new layout classes (`PUT …/stream`).
public struct StreamLayoutClasses: Sendable, Equatable {
    public var streamID: String
    public var classes: [String]
    public init(streamID: String, classes: [String]) {
        self.streamID = streamID
        self.classes = classes
    }
}
