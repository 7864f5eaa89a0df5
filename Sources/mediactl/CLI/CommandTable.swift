// The one command table: every group, verb and flag of mediactl. Parsing, --help, completions
// and docs are all derived from it. Each group's verbs live in Commands/<Group>Commands.swift.
import MediaKit

enum CommandTable {
    static let root = CommandSpec(
        name: "mediactl",
        summary: "mediactl \(MediaKitVersion.string): OCI Media Services, Media Streams and OpenTok / Vonage Video from the command line",
        description: "Results go to stdout; progress and errors to stderr. Exit codes: `mediactl help exit-codes` or docs/exit-codes.md.",
        examples: ["mediactl workflow build --compartment-id $C --output id",
                   "mediactl job run --workflow-id $WF --source-video clip.mp4 --output-prefix run1 --wait",
                   "mediactl channel build && mediactl ingest ... && mediactl playback-url ..."],
        subcommands: [
            WorkflowCommands.group,
            JobCommands.group,
            ChannelCommands.group,
            Ingest.command,
            PlaybackURL.command,
            PublishCommand.command,
            StreamCommands.assetGroup,
            ChannelCommands.cdnConfigGroup,
            ChannelCommands.packagingConfigGroup,
            ObjectCommands.group,
            SessionCommands.group,
            TokenCommand.command,
            ArchiveCommands.group,
            BroadcastCommands.group,
            SignalCommand.command,
            VideoStreamCommands.group,
            ConnectionCommands.group,
            SIPCommands.group,
            DTMFCommand.command,
            CaptionsCommands.group,
            RenderCommands.group,
            AudioConnectorCommands.group,
            AuthCommands.group,
            EmulatorCommands.group,
            Completion.command,
            Help.command,
            Docs.command,
        ])

    /// Top-level commands that call the OpenTok / Vonage Video API, and those that call no API; every other one calls OCI.
    /// Help lists the global flags that apply to a command's API (`GlobalFlags.applying(to:)`).
    static let videoCommands: Set<String> = ["session", "token", "archive", "broadcast", "signal", "stream", "connection", "sip", "dtmf",
                                             "captions", "render", "audio-connector"]
    static let localCommands: Set<String> = ["emulator", "completion", "help", "__docs"]

    /// The API of the command at `path` (from the root): that of its top-level command; the root's own help is OCI's.
    static func api(of path: [CommandSpec]) -> Help.API {
        guard path.count > 1 else { return .oci }
        if videoCommands.contains(path[1].name) { return .video }
        if localCommands.contains(path[1].name) { return .local }
        return .oci
    }
}
