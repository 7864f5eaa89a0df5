// Rendering results: short text for people, the API's objects as received for --output json,
// bare OCIDs for --output id.
import MediaKit

extension CommandContext {
    /// The one place a result meets --output and --query: json (the API's objects as received), id (bare ids, one a
    /// line), table (aligned columns with a header: `table` when the command chooses them, else from the JSON), or
    /// text for people, written by `text` (to stdout; hints to stderr). With --query, the JSON result is searched
    /// first and what it yields is printed (as JSON; with --output table as a table; with --output id as lines).
    func emit(json: @autoclosure () -> JSONValue, ids: @autoclosure () -> [String],
              table: (() -> (columns: [TableColumn], rows: [[String]]))? = nil, text: () -> Void) {
        let printed = ids()
        notePrinted(printed)
        if let query {
            let result: JSONValue
            do { result = try query.search(json()) } catch {
                io.error("--query: \(error.message)")
                return
            }
            switch output {
            case .table: printTable(TableRenderer.render(result, maxCellWidth: cellWidth))
            case .id: for line in Self.lines(of: result) { io.out(line) }
            default: io.out(result.prettyText)
            }
            return
        }
        switch output {
        case .json: io.out(json().prettyText)
        case .id: for id in printed { io.out(id) }
        // A list for a person at a terminal is a table with a header row and human sizes; piped, the lines stay as
        // scripts read them (as gh does). An empty one says so in words.
        case .text where io.stdoutIsTTY && table != nil:
            let (columns, rows) = table!()
            if rows.isEmpty { text() } else { printTable(TableRenderer.render(columns: columns, rows: rows, maxCellWidth: cellWidth)) }
        case .table:
            if let table {
                let (columns, rows) = table()
                printTable(TableRenderer.render(columns: columns, rows: rows, maxCellWidth: cellWidth))
            } else {
                printTable(TableRenderer.render(json(), maxCellWidth: cellWidth))
            }
        case .text: text()
        }
    }

    /// Groups whose printed ids are not OCIDs but worth completing later (an OCID is filed under its type anyway);
    /// other groups print tokens, URLs and object names, which are never kept.
    static let idGroups: Set<String> = ["session", "archive", "broadcast", "bucket"]

    /// Files the printed ids for Tab (RecentIDs) and the next prompt's default; a delete's ids are forgotten instead.
    private func notePrinted(_ ids: [String]) {
        let names = invocation.line.path.dropFirst().map(\.name)
        if let verb = names.last, ["delete", "remove", "rm"].contains(verb) {
            io.noteDeleted(ids)
            return
        }
        io.notePrinted(ids, kind: names.first.flatMap { Self.idGroups.contains($0) ? $0 : nil })
    }

    /// A rendered table, ending in exactly one newline (nothing at all for an empty one).
    private func printTable(_ text: String) {
        guard !text.isEmpty else { return }
        io.out(text.hasSuffix("\n") ? String(text.dropLast()) : text)
    }

    /// The widest a table cell may be: a third of the terminal, at least 20 columns.
    var cellWidth: Int { max(20, io.terminal.width / 3) }

    /// A query result as lines for --output id: strings and numbers as they are, arrays flattened; objects as JSON.
    static func lines(of value: JSONValue) -> [String] {
        if let items = value.arrayValue { return items.flatMap(lines) }
        if let text = value.stringValue { return [text] }
        if case .number(let text) = value { return [text] }
        if case .null = value { return [] }
        return [value.compactText]
    }

    /// Prints one resource in the chosen format.
    func render(_ resource: Resource, kind: ResourceKind) {
        emit(json: resource.json, ids: [resource.id]) { io.out(Self.text(resource, kind: kind)) }
    }

    func render(list resources: [Resource], kind: ResourceKind, nextPage: String?) {
        var doc: JSONValue = ["items": .array(resources.map(\.json))]
        if let nextPage { doc.set("opc-next-page", .string(nextPage)) }
        emit(json: doc, ids: resources.map(\.id), table: {
            ([TableColumn("NAME"), TableColumn("STATE"), TableColumn("CREATED"), TableColumn("ID")],
             resources.map { [$0.displayName ?? "-", $0.lifecycleState ?? "-", $0.timeCreated ?? "-", $0.id] })
        }) {
            if resources.isEmpty { io.progress("no \(kind.noun)s found") }
            for r in resources {
                io.out([r.id, r.lifecycleState ?? "-", r.displayName ?? "-"].joined(separator: "  "))
            }
        }
        // The hint is a diagnostic, so it goes to stderr in text and id modes alike.
        if let nextPage, output != .json { io.progress("more results: --page \(nextPage) (or --all)") }
    }

    /// Several named results (e.g. channel build): json as one object under each `key`, id as one OCID a line, text as
    /// one aligned `label: OCID` line each (the label in a person's words, as the progress lines say it).
    func render(named results: [(key: String, label: String, resource: Resource)]) {
        emit(json: .object(results.map { ($0.key, $0.resource.json) }), ids: results.map(\.resource.id)) {
            let width = (results.map(\.label.count).max() ?? 0) + 2
            for r in results { io.out("\((r.label + ":").padded(to: width))\(r.resource.id)") }
        }
    }

    /// A resource for people: one aligned `label: value` line per fact, and a job's tasks as an aligned list.
    static func text(_ r: Resource, kind: ResourceKind) -> String {
        var facts: [(String, String)] = []
        if let n = r.displayName { facts.append(("name", n)) }
        if let s = r.lifecycleState { facts.append(("state", s + (r.lifecycleDetails.map { $0.isEmpty ? "" : " (\($0))" } ?? ""))) }
        if let d = r.domainName { facts.append(("domain", d)) }
        if let w = r.workflowID { facts.append(("workflow", w)) }
        if let c = r.timeCreated { facts.append(("created", c)) }
        let width = (facts.map(\.0.count).max() ?? 0) + 2
        var lines = ["\(kind.noun): \(r.id)"] + facts.map { "  \(($0.0 + ":").padded(to: width))\($0.1)" }
        let tasks = r.tasks
        if !tasks.isEmpty {
            lines.append("  tasks:")
            let keyWidth = (tasks.map { ($0.key ?? "?").count }.max() ?? 0) + 2
            for task in tasks { lines.append("    \((task.key ?? "?").padded(to: keyWidth))\(task.state?.rawValue ?? "?")") }
        }
        return lines.joined(separator: "\n")
    }
}
