// What the Object Storage verbs beyond put/get share (bucket, par, namespace, object rename/copy/multipart): where a
// call goes (bucket, namespace, endpoint), tags as JSON or @FILE, and `--expires` as a time or a duration.
import FoundationEssentials
import MediaKit

enum StorageFlags {
    static let bucket = Flag.text("bucket", meta: "BUCKET", help: "bucket name").completingIDs("bucket").short("b").env("MEDIACTL_BUCKET").prompt("Bucket name")
    static let namespace = Flag.text("namespace", meta: "NAME", help: "Object Storage namespace (default: GetNamespace)")
        .env("MEDIACTL_NAMESPACE")
    static let endpoint = Flag.text("objectstorage-endpoint", meta: "URL",
                                    help: "Object Storage endpoint, e.g. a local emulator (default: derived from the region)")
        .env("MEDIACTL_OBJECTSTORAGE_ENDPOINT")
    /// The flags of a call about a bucket, and of one about a namespace only.
    static let inBucket: [any FlagDeclaration] = [bucket, namespace, endpoint]
    static let inNamespace: [any FlagDeclaration] = [namespace, endpoint]

    /// Where a call goes: the namespace (nil: GetNamespace once connected) and, for bucket calls, the bucket.
    struct Target {
        var namespace: String?
        /// --objectstorage-endpoint (nil: the region's), handed to the connection factory.
        var endpoint: String?
        var bucket: String

        static func parse(_ inv: Invocation, bucket needsBucket: Bool = true) throws(MediaError) -> Target {
            var bucket = ""
            if needsBucket {
                bucket = try inv.required(StorageFlags.bucket)
                if let problem = ObjectStorageClient.bucketNameProblem(bucket) { throw .usage("--bucket: \(problem)") }
            }
            return Target(namespace: try inv.value(StorageFlags.namespace), endpoint: try inv.value(StorageFlags.endpoint), bucket: bucket)
        }
    }

    static let paging: [any FlagDeclaration] = [ListPaging.limit, ListPaging.page, ListPaging.all]

    /// `--limit`, `--page` or `--all` of a list whose pages follow `opc-next-page`.
    struct Paging {
        var limit: Int?
        var page: String?
        var all: Bool

        static func parse(_ inv: Invocation) throws(MediaError) -> Paging {
            let o = Paging(limit: try inv.value(ListPaging.limit), page: try inv.value(ListPaging.page), all: try inv.value(ListPaging.all))
            if o.all && o.page != nil { throw .usage("--all and --page cannot be combined") }
            return o
        }

        /// One page (`page(token)`), or every page when --all; the next page's token is nil after --all.
        func fetch<Item>(_ page: (String?) throws(MediaError) -> SummaryPage<Item>) throws(MediaError) -> (items: [Item], next: String?) {
            guard all else {
                let one = try page(self.page)
                return (one.items, one.nextPage)
            }
            return (try SummaryPage.all(page), nil)
        }
    }

    /// A list in the chosen format: json `{"items": [...], "opc-next-page"?}`, ids, table, or a line each; the next-page
    /// hint on stderr.
    static func emit<Item>(_ ctx: CommandContext, _ items: [Item], next: String?, json: (Item) -> JSONValue, id: (Item) -> String,
                           columns: [String], row: @escaping (Item) -> [String], empty: String, line: (Item) -> String) {
        var doc: JSONValue = ["items": .array(items.map(json))]
        if let next { doc.set("opc-next-page", .string(next)) }
        ctx.emit(json: doc, ids: items.map(id), table: { (columns.map { TableColumn($0) }, items.map(row)) }) {
            if items.isEmpty { ctx.io.progress(empty) }
            for item in items { ctx.io.out(line(item)) }
        }
        if let next, ctx.output != .json { ctx.io.progress("more results: --page \(next) (or --all)") }
    }

    /// The client and the namespace (given, else asked of the service).
    static func connect(_ ctx: CommandContext, _ target: Target) throws(MediaError) -> (client: ObjectStorageClient, namespace: String) {
        let factory = try ctx.connections()
        let (client, _) = try factory.objectStorage(endpoint: target.endpoint, parallel: 1)
        if let given = target.namespace { return (client, given) }
        return (client, try client.namespace())
    }

    /// One `  label:   value` line of a text rendering, values aligned.
    static func field(_ label: String, _ value: String) -> String {
        "  \(label):" + String(repeating: " ", count: max(1, 13 - label.count)) + value
    }

}

