// `mediactl archive …`: record an OpenTok session. start and delete are archives' own; stop, get, list, layout,
// add-stream and remove-stream are shared with broadcasts (Recording/RecordingVerbs.swift).
import MediaKit

enum ArchiveCommands {
    static let group = CommandSpec(
        name: "archive", summary: "OpenTok archives: record a session, stop, list, download URL, layout, streams",
        subcommands: [ArchiveStart.command, RecordingVerbs.stop(.archive), RecordingVerbs.get(.archive), RecordingVerbs.list(.archive), delete,
                      RecordingVerbs.layout(.archive), RecordingVerbs.addStream(.archive), RecordingVerbs.removeStream(.archive)])

    struct DeleteOptions {
        var id: String
        var yes: Bool
        var connection: VideoConnectionOptions
    }

    static let id = VideoFlags.idArgument("archive")

    static let delete = CommandSpec.verb(
        "delete", summary: "Delete an archive (only available or uploaded ones)",
        flags: [CommonFlags.yes] + VideoConnection.flags, positionals: [id.spec],
        parse: { inv throws(MediaError) in
            let id = try inv.required(id)
            return DeleteOptions(id: id, yes: try inv.value(CommonFlags.yes), connection: try VideoConnectionOptions.parse(inv))
        },
        run: { o, ctx throws(MediaError) in
            try ctx.io.confirm("delete archive \(o.id)", yes: o.yes)
            try ctx.openTokClient(o.connection).deleteArchive(o.id)
            ctx.renderDone("Deleted archive \(o.id)", id: o.id, record: [("id", .string(o.id)), ("deleted", true)])
        })
}
