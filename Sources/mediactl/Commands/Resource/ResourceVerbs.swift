// The verbs every Media Services resource kind gets: get, list, update, delete, and (where the API has them)
// change-compartment, add-lock and remove-lock. One file per verb in this folder; the kind's group lists `all(kind)`.
import MediaKit

enum ResourceVerbs {
    /// `except`: verbs a group declares its own way (e.g. an update that merges parameters).
    static func all(_ kind: ResourceKind, except: Set<String> = []) -> [CommandSpec] {
        ([get(kind), ResourceList.command(kind), ResourceUpdate.command(kind), ResourceDelete.command(kind)]
            + (kind.canChangeCompartment ? [ResourceActions.changeCompartment(kind)] : [])
            + [ResourceActions.addLock(kind), ResourceActions.removeLock(kind)]).filter { !except.contains($0.name) }
    }

    static func idArgument(_ kind: ResourceKind) -> Positional<String> {
        .ocid("id", types: kind.ocidTypes, help: "the \(kind.noun)'s OCID", prompt: "\(kind.noun.capitalized) OCID")
    }

    static func get(_ kind: ResourceKind) -> CommandSpec {
        let id = idArgument(kind)
        return .verb("get", summary: "Show one \(kind.noun) (in text, with its etag for --if-match)", examples: ["mediactl \(kind.rawValue) get ocid1.… --output json"],
                     positionals: [id.spec],
                     parse: { inv throws(MediaError) in try inv.required(id) },
                     run: { id, ctx throws(MediaError) in
                         let (client, _) = try ctx.mediaServices()
                         let r = try client.get(kind, id: id)
                         if kind == .job { ctx.recordMasterPlaylist(of: r) }   // `ingest`'s default playlist
                         // The text shows the etag too: what `update` and `delete --if-match` take.
                         ctx.emit(json: r.json, ids: [r.id]) {
                             ctx.io.out(CommandContext.text(r, kind: kind) + (r.etag.map { "\n  etag:    \($0)" } ?? ""))
                         }
                     })
    }
}
