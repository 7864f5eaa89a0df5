// Flags shared by the OpenTok (Vonage Video) verbs: the session and stream they act on, the recording options
// archives and broadcasts share, and the layout flags. Credentials and URLs are in VideoConnection.swift.
import FoundationEssentials
import MediaKit

enum VideoFlags {
    static let sessionID = Flag.text("session-id", meta: "ID", help: "the OpenTok session").env("OPENTOK_SESSION_ID").prompt("Session ID")
        .completingIDs("session")
    /// Narrows a list; no env fallback, so an exported OPENTOK_SESSION_ID never filters a list silently.
    static let sessionFilter = Flag.text("session-id", meta: "ID", help: "only those of this session").notFromDefaultsFile()
        .completingIDs("session")
    static let connectionID = Flag.text("connection-id", meta: "ID", help: "one connection of the session (default: all)").notFromDefaultsFile()
    static let streamID = Flag.text("stream-id", meta: "ID", help: "the stream").notFromDefaultsFile().prompt("Stream ID")

    static let resolution = Flag.choice("resolution", OpenTokResolution.self, meta: "WxH", help: "video size (landscape or portrait)")
        .notFromDefaultsFile()
    /// Read with `inv.chosen`: vonage-video leaves an unchosen stream mode out of the body.
    static let streamMode = Flag.choice("stream-mode", OpenTokStreamMode.self, meta: "MODE",
                                        help: "auto: every stream; manual: only those added with add-stream").defaulting(to: .auto)
    static let maxBitrate = Flag.integer("max-bitrate", OpenTokLimits.maxBitrate, meta: "BPS", help: "maximum video bitrate in bits per second")
        .notFromDefaultsFile()
    static let noAudio = Switch("no-audio", help: "leave the audio out")
    static let noVideo = Switch("no-video", help: "leave the video out")

    /// `skip the N newest` / `at most N`: the paging of OpenTok lists.
    static let offset = Flag.integer("offset", 0...1_000_000_000, help: "skip the N newest").notFromDefaultsFile()
    static let count = Flag.integer("count", 1...OpenTokClient.maxPageSize, help: "at most N (service default 50)")

    static func idArgument(_ noun: String) -> Positional<String> {
        .text("id", help: "the \(noun)'s ID", prompt: "\(noun.prefix(1).uppercased())\(noun.dropFirst()) ID").completingIDs(noun)
    }

    /// One of a fixed list of texts (a service's list, not an enum of ours).
    static func oneOf(_ name: String, _ values: [String], meta: String, help: String) -> Flag<String> {
        Flag(spec: FlagSpec(name: name, kind: .choice(values), meta: meta, help: help), decode: { values.contains($0) ? $0 : nil }, encode: { $0 })
    }
}

/// The layout of a composed archive or broadcast, as four flags: `--layout`, `--stylesheet` or `--stylesheet-file`, `--screenshare-type`.
struct LayoutFlags {
    let type: Flag<OpenTokLayoutType>
    static let stylesheet = Flag.text("stylesheet", meta: "CSS", help: "CSS for the custom layout type").notFromDefaultsFile()
    static let stylesheetFile = Flag.file("stylesheet-file", help: "read the custom layout's CSS from a file").notFromDefaultsFile()
    static let screenshareType = Flag<OpenTokLayoutType>(
        spec: FlagSpec(name: "screenshare-type", kind: .choice(OpenTokLayoutType.allCases.filter { $0 != .custom }.map(\.rawValue)), meta: "TYPE",
                       help: "layout while a screen is shared (needs --layout bestFit)", fromDefaultsFile: false),
        decode: { OpenTokLayoutType(rawValue: $0) }, encode: { $0.rawValue })

    /// Optional for the start verbs; asked for by `layout`, which has nothing else to change.
    static let optional = LayoutFlags(type: Flag.choice("layout", OpenTokLayoutType.self, meta: "TYPE", help: "layout of the composed video")
        .notFromDefaultsFile())
    static let required = LayoutFlags(type: optional.type.prompt("Layout type"))

    var declarations: [any FlagDeclaration] { [type, Self.stylesheet, Self.stylesheetFile, Self.screenshareType] }

    /// What the four flags say, read before any of them is checked (so every flag is read even when one is wrong).
    struct Given {
        var type: OpenTokLayoutType?
        var stylesheet: String?
        var stylesheetFile: String?
        var screenshare: OpenTokLayoutType?
    }

    func read(_ inv: Invocation, required: Bool) throws(MediaError) -> Given {
        Given(type: required ? try inv.required(type) : try inv.value(type), stylesheet: try inv.value(Self.stylesheet),
              stylesheetFile: try inv.value(Self.stylesheetFile), screenshare: try inv.value(Self.screenshareType))
    }

    /// The layout the flags give; nil when none was given. `--stylesheet` and `--stylesheet-file` are one value.
    /// The rules are MediaKit's (`OpenTokLayout.validate`, run again by the client call); this names the flags.
    static func layout(_ given: Given, _ inv: Invocation) throws(MediaError) -> OpenTokLayout? {
        var stylesheet = given.stylesheet
        if let path = given.stylesheetFile {
            if stylesheet != nil { throw .usage("--stylesheet and --stylesheet-file cannot be combined") }
            if inv.auditing { stylesheet = "" } else {
                do { stylesheet = String(decoding: try LocalFiles(maxBytes: 1 << 20).read(inv.expand(path)), as: UTF8.self) } catch {
                    throw .usage("--stylesheet-file \(path): \(error.reason)")
                }
            }
        }
        guard let type = given.type else {
            if stylesheet != nil { throw .usage("--stylesheet needs --layout custom") }
            if given.screenshare != nil { throw .usage("--screenshare-type needs --layout bestFit") }
            return nil
        }
        let layout = OpenTokLayout(type: type, stylesheet: stylesheet, screenshareType: given.screenshare)
        try wording.check { () throws(MediaError) in try layout.validate() }
        return layout
    }

    /// MediaKit's layout messages in the flags' words.
    static let wording = FlagWording([
        ("a stylesheet needs the custom layout type", "--stylesheet needs --layout custom"),
        ("the custom layout type needs a stylesheet", "--layout custom needs --stylesheet or --stylesheet-file"),
        ("a screenshare layout type needs the bestFit layout type", "--screenshare-type needs --layout bestFit"),
    ])
}

/// MediaKit checks an option value's rules once and speaks of options; the user typed flags. Each entry swaps the
/// start of one of MediaKit's messages for the flags' words (the rest, e.g. "(got pip)", stays); a message with no
/// entry passes through as MediaKit wrote it.
struct FlagWording: Sendable {
    let entries: [(library: String, flags: String)]

    init(_ entries: [(String, String)]) { self.entries = entries.map { (library: $0.0, flags: $0.1) } }

    func worded(_ error: MediaError) -> MediaError {
        guard case .usage = error else { return error }
        let message = error.message
        for entry in entries where message.hasPrefix(entry.library) {
            return .usage(entry.flags + message.dropFirst(entry.library.count))
        }
        return error
    }

    /// Runs a MediaKit validation, its usage errors worded for the flags.
    func check(_ validate: () throws(MediaError) -> Void) throws(MediaError) {
        do { try validate() } catch { throw worded(error) }
    }

    /// The same wording with more entries in front.
    func adding(_ more: [(String, String)]) -> FlagWording { FlagWording(more + entries.map { ($0.library, $0.flags) }) }
}
