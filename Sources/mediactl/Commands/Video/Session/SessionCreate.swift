// `mediactl session create`: create an OpenTok session and print its ID.
import MediaKit

enum SessionCommands {
    static let group = CommandSpec(name: "session", summary: "OpenTok sessions: create one", subcommands: [SessionCreate.command])
}

enum SessionCreate {
    struct Options {
        var session: SessionOptions
        var connection: VideoConnectionOptions
    }

    enum ArchiveMode: String, CaseIterable, Sendable { case manual, always }

    static let mediaMode = Flag.choice("media-mode", OpenTokMediaMode.self, meta: "MODE",
                                       help: "routed: through the Media Router; relayed: peer to peer where possible (default: relayed with OpenTok, routed with Vonage, as their SDKs)")
    static let archiveMode = Flag.choice("archive-mode", ArchiveMode.self, meta: "MODE",
                                         help: "always: archive automatically when clients connect (needs routed)").defaulting(to: .manual)
    static let archiveName = Flag.text("archive-name", meta: "NAME", help: "name of the automatic archives (archive mode always)").notFromDefaultsFile()
    static let archiveResolution = Flag.choice("archive-resolution", OpenTokResolution.self, meta: "WxH",
                                               help: "resolution of the automatic archives (archive mode always)").notFromDefaultsFile()
    static let location = Flag.text("location", meta: "IPV4", help: "an IPv4 address near where the session's clients are").notFromDefaultsFile()
    static let e2ee = Switch("e2ee", help: "end-to-end encrypt the media (needs routed)")

    static let command = CommandSpec.verb(
        "create", summary: "Create an OpenTok session and print its ID",
        description: "Archives, broadcasts, SIP calls and end-to-end encryption need --media-mode routed.",
        examples: ["mediactl session create --media-mode routed",
                   "SESSION=$(mediactl session create --media-mode routed --archive-mode always --archive-name Standup --output id)"],
        flags: [mediaMode, archiveMode, archiveName, archiveResolution, location, e2ee] + VideoConnection.flags,
        parse: parse, run: run)

    /// MediaKit's session rules (`SessionOptions.validate`) in the flags' words.
    static let wording = FlagWording([
        ("archive mode always needs the routed media mode", "--archive-mode always needs --media-mode routed"),
        ("an archive name for the session needs archive mode always", "--archive-name needs --archive-mode always"),
        ("an archive resolution for the session needs archive mode always", "--archive-resolution needs --archive-mode always"),
        ("end-to-end encryption needs the routed media mode", "--e2ee needs --media-mode routed"),
    ])

    static func parse(_ inv: Invocation) throws(MediaError) -> Options {
        // The platform decides the media mode when none is chosen (each SDK's default), so it is chosen first.
        let platform = try VideoCredentialOptions.choosePlatform(inv)
        var session = SessionOptions()
        session.mediaMode = try inv.value(mediaMode) ?? SessionOptions.defaultMediaMode(for: platform.0)
        session.archiveAlways = try inv.value(archiveMode) == .always
        session.archiveName = try inv.value(archiveName)
        session.archiveResolution = try inv.value(archiveResolution)
        session.location = try inv.value(location)
        session.e2ee = try inv.value(e2ee)
        let connection = try VideoConnectionOptions.parse(inv, platform: platform)
        try wording.check { () throws(MediaError) in try session.validate() }
        return Options(session: session, connection: connection)
    }

    static func run(_ o: Options, _ ctx: CommandContext) throws(MediaError) {
        let created = try ctx.openTokClient(o.connection).createSession(o.session)
        ctx.io.progress("Created \(o.session.mediaMode.rawValue) session (archive mode \(o.session.archiveAlways ? "always" : "manual"))")
        ctx.emit(json: created.json, ids: [created.id]) { ctx.io.out(created.id) }
    }
}
