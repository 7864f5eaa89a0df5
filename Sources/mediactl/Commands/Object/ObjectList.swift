// `mediactl object ls`: list objects by prefix, a page at a time or --all.
import MediaKit

enum ObjectList {
    struct Options {
        var location: ObjectCommands.Location
        var prefix: String?
        var start: String?
        var limit: Int?
        var all: Bool
    }

    static let prefix = Flag.text("prefix", meta: "PREFIX", help: "only names starting with this").notFromDefaultsFile()
    static let start = Flag.text("start", meta: "NAME", help: "start at this name (a previous page's nextStartWith)").notFromDefaultsFile()
    static let limit = Flag.integer("limit", 1...1000, help: "objects per page")
    static let all = Switch("all", help: "follow nextStartWith through every page")

    static let command = CommandSpec.verb(
        "ls", summary: "List objects (by prefix, a page at a time or --all)",
        examples: ["mediactl object ls --bucket media-out --prefix sdk_test/ --all --output json"],
        flags: ObjectFlags.common + [prefix, start, limit, all],
        parse: { inv throws(MediaError) in
            Options(location: try ObjectCommands.Location.parse(inv), prefix: try inv.value(prefix), start: try inv.value(start),
                    limit: try inv.value(limit), all: try inv.value(all))
        },
        run: run)

    static func run(_ o: Options, _ ctx: CommandContext) throws(MediaError) {
        let (client, _, ns) = try ObjectCommands.connect(ctx, o.location)
        var objects: [JSONValue] = []
        var start = o.start
        var next: String?
        var seen = Set<String>()
        repeat {
            let page = try client.listObjects(namespace: ns, bucket: o.location.bucket, prefix: o.prefix, start: start, limit: o.limit)
            objects += page.objects
            next = page.nextStartWith
            start = next
        } while o.all && next.map { seen.insert($0).inserted } == true
        if o.all { next = nil }
        var doc: JSONValue = ["objects": .array(objects)]
        if let next { doc.set("nextStartWith", .string(next)) }
        let summaries = objects.map(ObjectSummary.init)
        ctx.emit(json: doc, ids: summaries.map(\.name), table: {
            ([TableColumn("NAME"), TableColumn("SIZE", alignment: .right), TableColumn("CREATED")],
             summaries.map { [$0.name, $0.size.map { TableRenderer.humanSize(Int($0)) } ?? "-", $0.timeCreated ?? "-"] })
        }) {
            if summaries.isEmpty { ctx.io.progress("no objects found") }
            for object in summaries {
                let size = object.size.map { String($0) } ?? "-"
                ctx.io.out("\(size.leftPadded(12))  \(object.timeCreated ?? "-")  \(object.name)")
            }
        }
        if let next, ctx.output != .json { ctx.io.progress("more results: --start \(ShellQuoting.quoted(next)) (or --all)") }
    }
}
