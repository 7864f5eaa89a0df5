// Rendering results: short text for people, the API's objects as received for --output json,
// bare OCIDs for --output id.
import MediaKit

extension Invocation {
    /// Prints one resource in the chosen format.
    func render(_ resource: Resource, kind: ResourceKind) {
        switch outputFormat {
        case "json": io.out(resource.json.prettyText)
        case "id": io.out(resource.id)
        default: io.out(Self.text(resource, kind: kind))
        }
    }

    func render(list resources: [Resource], kind: ResourceKind, nextPage: String?) {
        switch outputFormat {
        case "json":
            var doc: JSONValue = ["items": .array(resources.map(\.json))]
            if let nextPage { doc.set("opc-next-page", .string(nextPage)) }
            io.out(doc.prettyText)
        case "id": for r in resources { io.out(r.id) }
        default:
            if resources.isEmpty { io.progress("no \(kind.noun)s found") }
            for r in resources {
                io.out([r.id, r.lifecycleState ?? "-", r.displayName ?? "-"].joined(separator: "  "))
            }
        }
        // The hint is a diagnostic, so it goes to stderr in text and id modes alike.
        if let nextPage, outputFormat != "json" { io.progress("more results: --page \(nextPage) (or --all)") }
    }

    /// Several named results (e.g. channel build): json as one object, id as one OCID a line.
    func render(named results: [(String, Resource)]) {
        switch outputFormat {
        case "json": io.out(JSONValue.object(results.map { ($0.0, $0.1.json) }).prettyText)
        case "id": for (_, r) in results { io.out(r.id) }
        default:
            for (label, r) in results { io.out("\(label): \(r.id)") }
        }
    }

    static func text(_ r: Resource, kind: ResourceKind) -> String {
        var lines = ["\(kind.noun): \(r.id)"]
        if let n = r.displayName { lines.append("  name:    \(n)") }
        if let s = r.lifecycleState { lines.append("  state:   \(s)\(r.lifecycleDetails.map { " (\($0))" } ?? "")") }
        if let d = r.domainName { lines.append("  domain:  \(d)") }
        if let w = r.json["mediaWorkflowId"]?.stringValue { lines.append("  workflow: \(w)") }
        for task in r.json["taskLifecycleState"]?.arrayValue ?? [] {
            lines.append("  task \(task["key"]?.stringValue ?? "?"): \(task["lifecycleState"]?.stringValue ?? "?")")
        }
        if let c = r.json["timeCreated"]?.stringValue { lines.append("  created: \(c)") }
        return lines.joined(separator: "\n")
    }
}
