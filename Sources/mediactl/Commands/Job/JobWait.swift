// `mediactl job wait`: wait for a job to end; exit 0 only if it SUCCEEDED.
import MediaKit

enum JobWait {
    struct Options {
        var id: String
        var timeout: Double
    }

    static let id = ResourceVerbs.idArgument(.job)
    static let timeout = CommonFlags.timeout(default: 3600)

    static let command = CommandSpec.verb(
        "wait", summary: "Wait for a job to end; exit 0 only if it SUCCEEDED",
        flags: [timeout], positionals: [id.spec],
        parse: { inv throws(MediaError) in Options(id: try inv.required(id), timeout: try inv.value(timeout)) },
        run: { o, ctx throws(MediaError) in
            let (client, _) = try ctx.mediaServices()
            ctx.render(try ctx.waitForJob(client, id: o.id, timeout: o.timeout, label: "job"), kind: .job)
        })
}
