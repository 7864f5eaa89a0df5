// The fields of OpenTok answers (archive, broadcast, render, stream, SIP call, audio connector,
// captions) read out of the JSON, so callers never index the wire by name (protocols.md §7.2–7.5).
import FoundationEssentials

/// A wire value with a MediaKit enum behind it; values newer than this client are kept as `.other`.
public enum OpenTokChoice<Known: RawRepresentable & Sendable & Equatable>: Sendable, Equatable, CustomStringConvertible
where Known.RawValue == String {
    case known(Known)
    case other(String)

    public init(rawValue: String) { self = Known(rawValue: rawValue).map { .known($0) } ?? .other(rawValue) }

    public var rawValue: String {
        switch self {
        case let .known(value): value.rawValue
        case let .other(text): text
        }
    }

    public var description: String { rawValue }
}

/// One RTMP target of a broadcast as the service reports it.
public struct OpenTokRTMPTarget: Sendable, Equatable {
    public let serverURL: String?
    public let status: String?
    public init(serverURL: String?, status: String?) { self.serverURL = serverURL; self.status = status }
}

/// A broadcast's `broadcastUrls`: the HLS playlist with its status, and the RTMP targets.
public struct OpenTokBroadcastURLs: Sendable, Equatable {
    public let hls: String?
    public let hlsStatus: String?
    public let rtmp: [OpenTokRTMPTarget]
}

extension OpenTokObject {
    /// `createdAt` (milliseconds since the epoch), as a date.
    public var createdAt: Date? {
        guard case let .number(text)? = json["createdAt"], let ms = Double(text) else { return nil }
        return Date(timeIntervalSince1970: ms / 1000)
    }

    /// Seconds recorded (archives).
    public var duration: Int? { json["duration"]?.intValue }
    /// Bytes stored (archives).
    public var size: Int? { json["size"]?.intValue }
    /// Download URL (archives) or the page rendered (renders).
    public var url: String? { json["url"]?.stringValue }
    public var outputMode: OpenTokChoice<OpenTokOutputMode>? { json["outputMode"]?.stringValue.map(OpenTokChoice.init) }
    public var resolution: OpenTokChoice<OpenTokResolution>? { json["resolution"]?.stringValue.map(OpenTokChoice.init) }
    public var streamMode: OpenTokChoice<OpenTokStreamMode>? { json["streamMode"]?.stringValue.map(OpenTokChoice.init) }
    /// How many entries `streams` holds (0 when absent).
    public var streamCount: Int { json["streams"]?.arrayValue?.count ?? 0 }

    public var broadcastURLs: OpenTokBroadcastURLs? {
        guard let urls = json["broadcastUrls"] else { return nil }
        return OpenTokBroadcastURLs(
            hls: urls["hls"]?.stringValue, hlsStatus: urls["hlsStatus"]?.stringValue,
            rtmp: (urls["rtmp"]?.arrayValue ?? []).map {
                OpenTokRTMPTarget(serverURL: $0["serverUrl"]?.stringValue, status: $0["status"]?.stringValue)
            })
    }

    /// `camera`, `screen` or `custom` (streams).
    public var videoType: String? { json["videoType"]?.stringValue }
    /// A stream's layout classes; nil when the object has no `layoutClassList`.
    public var layoutClasses: [String]? { json["layoutClassList"]?.arrayValue?.compactMap(\.stringValue) }
    /// The connection a SIP call, audio connector or render joined as.
    public var connectionID: String? { json["connectionId"]?.stringValue }
    public var streamID: String? { json["streamId"]?.stringValue }
    /// The ID `POST /captions` answers with.
    public var captionsID: String? { json["captionsId"]?.stringValue }
}
