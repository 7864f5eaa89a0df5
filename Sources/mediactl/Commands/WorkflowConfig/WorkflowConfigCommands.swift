// `mediactl workflow-config`: media workflow configurations (named parameters a workflow or a job layers under its
// own; protocols.md §6.7): create and update here, get/list/delete shared with every kind (ResourceVerbs).
import MediaKit

enum WorkflowConfigCommands {
    static let group = CommandSpec(
        name: "workflow-config", summary: "Media workflow configurations: parameters shared by workflows and jobs",
        subcommands: [WorkflowConfigCreate.command, WorkflowConfigUpdate.command] + ResourceVerbs.all(.configuration, except: ["update"]))

    static let parametersFile = Flag.file("parameters-file", help: "the parameters JSON ({\"group\": {\"name\": value}}), - for stdin")
        .notFromDefaultsFile()
    static let parameter = Flag.text("parameter", meta: "GROUP.NAME=VALUE",
                                     help: "one parameter as a string (GROUP.NAME:=JSON for a number, boolean, object...); "
                                         + "repeatable, applied over --parameters-file")
        .repeatable().notFromDefaultsFile()

    /// The --parameters-file document, checked: an object whose values are objects (group or task key → parameters).
    static func parametersDocument(_ inv: Invocation) throws(MediaError) -> JSONValue? {
        guard let doc = try inv.document(parametersFile), !inv.auditing else { return nil }
        guard let groups = doc.objectValue else {
            throw .usage("--parameters-file: expected a JSON object such as {\"video\": {...}}, got \(doc.typeName)")
        }
        for (name, value) in groups where !value.isObject {
            throw .usage("--parameters-file: /\(Pointer.escape(name)) must be an object of parameters, got \(value.typeName)")
        }
        return doc
    }

    /// Every --parameter, parsed (a malformed one is a usage error naming the flag).
    static func inlineParameters(_ inv: Invocation, _ flag: Flag<String> = parameter) throws(MediaError) -> [InlineParameter] {
        let texts = try inv.values(flag)
        if inv.auditing { return [] }
        var out: [InlineParameter] = []
        for text in texts { out.append(try InlineParameter.parse(text, flag: flag.spec.name)) }
        return out
    }
}

/// `GROUP.NAME=VALUE` (a string) or `GROUP.NAME:=JSON`: one parameter of a two-level parameters object.
struct InlineParameter: Equatable {
    var group: String
    var name: String
    var value: JSONValue

    static func parse(_ text: String, flag: String) throws(MediaError) -> InlineParameter {
        guard let eq = text.firstIndex(of: "=") else {
            throw .usage("--\(flag): '\(text.prefix(80))' is not GROUP.NAME=VALUE")
        }
        var key = text[..<eq]
        let rawValue = String(text[text.index(after: eq)...])
        let isJSON = key.hasSuffix(":")
        if isJSON { key = key.dropLast() }
        guard let dot = key.firstIndex(of: "."), dot != key.startIndex, key.index(after: dot) != key.endIndex else {
            throw .usage("--\(flag): '\(key.prefix(80))' is not GROUP.NAME (a parameter group and a name, e.g. video.srcBucket)")
        }
        let value: JSONValue
        if isJSON {
            do { value = try JSONParser.parse(rawValue) } catch {
                throw .usage("--\(flag): \(key) := is not valid JSON: \(error.message)")
            }
        } else {
            value = .string(rawValue)
        }
        return InlineParameter(group: String(key[..<dot]), name: String(key[key.index(after: dot)...]), value: value)
    }

    func apply(to doc: inout JSONValue) {
        var groupValue = doc[group] ?? .object([])
        if !groupValue.isObject { groupValue = .object([]) }
        groupValue.set(name, value)
        doc.set(group, groupValue)
    }
}
