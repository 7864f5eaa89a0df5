// Request validation: typed field access naming the field in every 400, and the workflow task and parameter rules.
import Foundation
import MediaKit

extension ResourceStore {
    // MARK: - Validation helpers

    /// MediaWorkflowTask rules (protocols.md §6.3): known type, integer version, unique key, object
    /// parameters, prerequisites naming existing keys, no cycles.
    static func validateTasks(_ tasks: [JSONValue]) throws(APIError) {
        var keys: [String] = []
        var prerequisites: [String: [String]] = [:]
        for (i, task) in tasks.enumerated() {
            let t = try Fields(task, at: "tasks[\(i)].")
            let type = try t.requiredString("type")
            guard WorkflowDefinition.knownTaskTypes.contains(type) else {
                throw .invalid("tasks[\(i)].type", "unknown task type \"\(type)\"; known types: \(WorkflowDefinition.knownTaskTypes.joined(separator: ", "))")
            }
            guard try t.int("version") != nil else { throw .missing("tasks[\(i)].version") }
            let key = try t.requiredString("key")
            guard !keys.contains(key) else { throw .invalid("tasks[\(i)].key", "the key \"\(key)\" is used by two tasks") }
            keys.append(key)
            guard let parameters = t.value("parameters") else { throw .missing("tasks[\(i)].parameters") }
            guard parameters.isObject else { throw .invalid("tasks[\(i)].parameters", "expected an object, got \(parameters.typeName)") }
            prerequisites[key] = try t.stringArray("prerequisites") ?? []
            // The two enable fields only make sense together (the reference and the value it must equal).
            let reference = try t.string("enableParameterReference")
            if (reference == nil) != (t.value("enableWhenReferencedParameterEquals") == nil) {
                throw .invalid("tasks[\(i)]", "enableParameterReference and enableWhenReferencedParameterEquals must be given together")
            }
        }
        for (i, key) in keys.enumerated() {
            for (j, prerequisite) in (prerequisites[key] ?? []).enumerated() where !keys.contains(prerequisite) {
                throw .invalid("tasks[\(i)].prerequisites[\(j)]", "no task has the key \"\(prerequisite)\"")
            }
        }
        // Depth-first search for a cycle: a workflow whose tasks wait on each other could never run.
        var state: [String: Int] = [:]   // 1 = on the current path, 2 = done
        func visit(_ key: String, _ path: [String]) -> [String]? {
            if state[key] == 2 { return nil }
            if state[key] == 1 { return path + [key] }
            state[key] = 1
            for next in prerequisites[key] ?? [] { if let cycle = visit(next, path + [key]) { return cycle } }
            state[key] = 2
            return nil
        }
        for key in keys {
            if let cycle = visit(key, []) {
                throw .invalid("tasks", "the prerequisites form a cycle: \(cycle.joined(separator: " -> "))")
            }
        }
    }

    /// Workflow and job parameters: the top two levels must be objects (group → name → value, §6.7).
    static func validateParameters(_ parameters: JSONValue, field: String) throws(APIError) {
        guard let groups = parameters.objectValue else { throw .invalid(field, "expected an object, got \(parameters.typeName)") }
        for (name, group) in groups where !group.isObject {
            throw .invalid("\(field).\(name)", "expected an object of parameters, got \(group.typeName)")
        }
    }

}

/// Typed access to a request object's fields, naming the field (with its path) in every 400.
/// An explicit JSON null counts as absent, as the SDKs never send nulls for unset fields.
struct Fields {
    let json: JSONValue
    let prefix: String

    init(_ json: JSONValue, at prefix: String = "") throws(APIError) {
        guard json.isObject else {
            let name = prefix.isEmpty ? "body" : String(prefix.dropLast())
            throw .invalid(name, "expected a JSON object, got \(json.typeName)")
        }
        self.json = json
        self.prefix = prefix
    }

    func value(_ key: String) -> JSONValue? {
        guard let v = json[key], v != .null else { return nil }
        return v
    }

    private func wrongType(_ key: String, _ expected: String, _ got: JSONValue) -> APIError {
        .invalid(prefix + key, "expected \(expected), got \(got.typeName)")
    }

    func string(_ key: String) throws(APIError) -> String? {
        guard let v = value(key) else { return nil }
        guard let s = v.stringValue else { throw wrongType(key, "a string", v) }
        return s
    }

    func requiredString(_ key: String) throws(APIError) -> String {
        guard let s = try string(key) else { throw .missing(prefix + key) }
        guard !s.isEmpty else { throw .invalid(prefix + key, "must not be empty") }
        return s
    }

    func oneOf(_ key: String, _ allowed: [String]) throws(APIError) -> String {
        let s = try requiredString(key)
        guard allowed.contains(s) else {
            throw .invalid(prefix + key, "\"\(s)\" is not one of \(allowed.joined(separator: ", "))")
        }
        return s
    }

    func int(_ key: String) throws(APIError) -> Int? {
        guard let v = value(key) else { return nil }
        guard let n = v.intValue else { throw wrongType(key, "an integer", v) }
        return n
    }

    func object(_ key: String) throws(APIError) -> JSONValue? {
        guard let v = value(key) else { return nil }
        guard v.isObject else { throw wrongType(key, "an object", v) }
        return v
    }

    func bool(_ key: String) throws(APIError) -> Bool? {
        guard let v = value(key) else { return nil }
        guard let b = v.boolValue else { throw wrongType(key, "a boolean", v) }
        return b
    }

    func array(_ key: String) throws(APIError) -> [JSONValue]? {
        guard let v = value(key) else { return nil }
        guard let a = v.arrayValue else { throw wrongType(key, "an array", v) }
        return a
    }

    func stringArray(_ key: String) throws(APIError) -> [String]? {
        guard let items = try array(key) else { return nil }
        var out: [String] = []
        for (i, item) in items.enumerated() {
            guard let s = item.stringValue else { throw .invalid("\(prefix)\(key)[\(i)]", "expected a string, got \(item.typeName)") }
            out.append(s)
        }
        return out
    }
}
