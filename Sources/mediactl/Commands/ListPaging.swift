// Paging and sort flags of the Media Services lists that are not a ResourceKind's (system workflows, task
// declarations, asset attachments), and the one way they page: one page with its next-page hint, or --all.
import MediaKit

enum ListPaging {
    static let limit = Flag.integer("limit", 1...1000, help: "items per page").notFromDefaultsFile()
    static let page = Flag.text("page", meta: "TOKEN", help: "page token from a previous list (opc-next-page)").notFromDefaultsFile()
    static let all = Switch("all", help: "follow opc-next-page through every page")
    static let sortOrder = Flag.choice("sort-order", SortOrder.self, meta: "ORDER", help: "ASC or DESC").notFromDefaultsFile()
    static let flags: [any FlagDeclaration] = [limit, page, all]

    struct Options {
        var limit: Int?
        var page: String?
        var all: Bool
    }

    static func options(_ inv: Invocation) throws(MediaError) -> Options {
        let o = Options(limit: try inv.value(limit), page: try inv.value(page), all: try inv.value(all))
        if o.all && o.page != nil && !inv.auditing { throw .usage("--all and --page cannot be combined") }
        return o
    }

    /// One page (`page(token)`), or with --all every page through MediaKit's `listAll…` (`all(limit)`).
    static func items(_ o: Options, page: (String?) throws(MediaError) -> Page,
                      all: () throws(MediaError) -> [Resource]) throws(MediaError) -> (items: [Resource], nextPage: String?) {
        if o.all { return (try all(), nil) }
        let p = try page(o.page)
        return (p.items, p.nextPage)
    }
}

extension CommandContext {
    /// A list whose items have no OCID (system workflows, task declarations, attachments): json `{items, opc-next-page}`,
    /// `ids` for --output id, `line` for text, `columns`/`row` for --output table.
    func renderList(_ items: [Resource], nextPage: String?, noun: String, ids: (Resource) -> String,
                    columns: [String], row: @escaping (Resource) -> [String], text: (Resource) -> [String]) {
        var doc: JSONValue = ["items": .array(items.map(\.json))]
        if let nextPage { doc.set("opc-next-page", .string(nextPage)) }
        emit(json: doc, ids: items.map(ids), table: { (columns.map { TableColumn($0) }, items.map(row)) }) {
            if items.isEmpty { io.progress("no \(noun)s found") }
            for item in items { for line in text(item) { io.out(line) } }
        }
        if let nextPage, output != .json { io.progress("more results: --page \(nextPage) (or --all)") }
    }
}
