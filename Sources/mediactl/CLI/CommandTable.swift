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
            WorkflowConfigCommands.group,
            TaskDeclarationCommands.group,
            JobCommands.group,
            StreamCommands.channelGroup,
            StreamCommands.ingest,
            StreamCommands.playbackURL,
            SessionTokenCommands.group,
            PublishCommand.command,
            StreamCommands.assetGroup,
            StreamCommands.cdnGroup,
            StreamCommands.packagingGroup,
            ObjectCommands.group,
            VideoCommands.sessionGroup,
            VideoCommands.token,
            VideoRecordingCommands.archiveGroup,
            VideoRecordingCommands.broadcastGroup,
            VideoCommands.signal,
            VideoCommands.streamGroup,
            VideoCommands.connectionGroup,
            VideoCommands.sipGroup,
            VideoCommands.dtmf,
            VideoMediaCommands.captionsGroup,
            VideoMediaCommands.renderGroup,
            VideoMediaCommands.audioConnectorGroup,
            AuthCommands.group,
            EmulatorCommands.group,
            Completion.command,
            helpTopics,
            Docs.command,
        ])

    static let helpTopics = CommandSpec(
        name: "help", summary: "Help topics: exit-codes",
        subcommands: [CommandSpec(name: "exit-codes", summary: "List the exit codes and what they mean", action: { inv throws(MediaError) in
            for code in ExitCode.allCases { inv.io.out("\(String(code.rawValue).padded(to: 4)) \(code.meaning)") }
        })])
}
