// `mediactl <kind> change-compartment ID --compartment-id C`, `add-lock ID --type FULL|DELETE`, `remove-lock ID --type …`:
// the SDK's change_*_compartment, add_*_lock and remove_*_lock (named as `oci media-services <kind> add-lock` names them).
import MediaKit

enum ResourceActions {
    // MARK: change-compartment

    struct MoveOptions {
        var id: String
        var compartmentID: String
        var ifMatch: String?
        var lockOverride: Bool
    }

    /// The compartment to move to: never taken from the environment or the defaults file.
    static let target = Flag.ocid("compartment-id", types: ["compartment", "tenancy"], help: "the compartment to move it to").required()

    static func changeCompartment(_ kind: ResourceKind) -> CommandSpec {
        let id = ResourceVerbs.idArgument(kind)
        return .verb("change-compartment", summary: "Move a \(kind.noun) to another compartment",
                     examples: ["mediactl \(kind.rawValue) change-compartment ocid1.… --compartment-id ocid1.compartment.…"],
                     flags: [target, ResourceFlags.ifMatch, ResourceFlags.lockOverride], positionals: [id.spec],
                     parse: { inv throws(MediaError) in
                         MoveOptions(id: try inv.required(id), compartmentID: try inv.required(target), ifMatch: try inv.value(ResourceFlags.ifMatch),
                                     lockOverride: try inv.value(ResourceFlags.lockOverride))
                     },
                     run: { o, ctx throws(MediaError) in
                         let (client, _) = try ctx.mediaServices()
                         try client.changeCompartment(kind, id: o.id, compartmentID: o.compartmentID, ifMatch: o.ifMatch,
                                                      isLockOverride: o.lockOverride ? true : nil)
                         ctx.emit(json: .object([("id", .string(o.id)), ("compartmentId", .string(o.compartmentID))]), ids: [o.id]) {
                             ctx.io.progress("moved \(kind.noun) \(o.id) to \(o.compartmentID)")
                         }
                     })
    }

    // MARK: add-lock, remove-lock

    struct LockOptions {
        var id: String
        var lock: ResourceLock
        var ifMatch: String?
    }

    static let lockType = Flag.choice("type", ResourceLock.Kind.self, meta: "TYPE",
                                      help: "FULL (refuses updates, moves and deletes) or DELETE (refuses deletes)").required()
    static let message = Flag.text("message", meta: "TEXT", help: "why the lock is there").notFromDefaultsFile()
    static let related = Flag.ocid("related-resource-id", types: nil, help: "the resource the lock is for").notFromDefaultsFile()
    /// The lock's compartment (AddLockDetails requires one): by default the resource's own, read first.
    static let lockCompartment = Flag.ocid("compartment-id", types: ["compartment", "tenancy"],
                                           help: "the lock's compartment (default: the resource's, read with a GET first)").notFromDefaultsFile()

    static func addLock(_ kind: ResourceKind) -> CommandSpec {
        lockVerb(kind, "add-lock", summary: "Lock a \(kind.noun) against updates and deletes (FULL) or deletes (DELETE)", adding: true)
    }

    static func removeLock(_ kind: ResourceKind) -> CommandSpec {
        lockVerb(kind, "remove-lock", summary: "Remove a lock from a \(kind.noun)", adding: false)
    }

    static func lockVerb(_ kind: ResourceKind, _ name: String, summary: String, adding: Bool) -> CommandSpec {
        let id = ResourceVerbs.idArgument(kind)
        return .verb(name, summary: summary,
                     examples: ["mediactl \(kind.rawValue) \(name) ocid1.… --type DELETE" + (adding ? " --message 'in production'" : "")],
                     flags: [lockType, message, lockCompartment, related, ResourceFlags.ifMatch], positionals: [id.spec],
                     parse: { inv throws(MediaError) in
                         LockOptions(id: try inv.required(id),
                                     lock: ResourceLock(type: try inv.required(lockType), compartmentID: try inv.value(lockCompartment),
                                                        relatedResourceID: try inv.value(related), message: try inv.value(message)),
                                     ifMatch: try inv.value(ResourceFlags.ifMatch))
                     },
                     run: { o, ctx throws(MediaError) in
                         let (client, _) = try ctx.mediaServices()
                         var o = o
                         if o.lock.compartmentID == nil {
                             guard let compartment = try client.get(kind, id: o.id).compartmentID else {
                                 throw .usage("--compartment-id: the \(kind.noun) shows no compartment; give the lock's")
                             }
                             o.lock.compartmentID = compartment
                         }
                         let resource = adding ? try client.addLock(kind, id: o.id, o.lock, ifMatch: o.ifMatch)
                             : try client.removeLock(kind, id: o.id, o.lock, ifMatch: o.ifMatch)
                         ctx.render(resource, kind: kind)
                     })
    }
}
