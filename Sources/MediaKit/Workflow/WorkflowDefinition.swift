// A media workflow definition (tasks + parameters) and its offline validation: task keys,
// prerequisites, cycles, task types and `${/path}` references, each problem named by JSON path.
import FoundationEssentials

public struct WorkflowProblem: Equatable, Sendable, CustomStringConvertible {
    /// RFC 6901 pointer into the definition document, e.g. `/tasks/2/prerequisites/0`.
    public let path: String
    public let message: String
    public var description: String { "\(path.isEmpty ? "/" : path): \(message)" }
}

public struct WorkflowDefinition: Sendable, Equatable {
    public static let knownTaskTypes = ["getFiles", "transcode", "thumbnail", "putFiles", "transcribe", "visionDetection"]

    public let json: JSONValue

    /// Accepts `{tasks, parameters, ...}` or a whole create body; refuses anything that is not an object.
    public init(json: JSONValue) throws(MediaError) {
        guard json.isObject else { throw .usage("the workflow definition must be a JSON object with \"tasks\", got \(json.typeName)") }
        self.json = json
    }

    init(unchecked json: JSONValue) { self.json = json }

    public var tasks: [JSONValue] { json["tasks"]?.arrayValue ?? [] }
    public var parameters: JSONValue { json["parameters"] ?? .object([]) }

    /// The CreateMediaWorkflow body: displayName and compartment first, then the definition's own fields.
    public func createBody(compartmentID: String, displayName: String) -> JSONValue {
        var body: JSONValue = ["displayName": .string(displayName), "compartmentId": .string(compartmentID)]
        for (key, value) in json.objectValue ?? [] where key != "displayName" && key != "compartmentId" {
            body.set(key, value)
        }
        return body
    }

    /// The create body naming `configurationIDs` too, after any the definition names (each once).
    public func createBody(compartmentID: String, displayName: String, configurationIDs: [String]) -> JSONValue {
        var body = createBody(compartmentID: compartmentID, displayName: displayName)
        guard !configurationIDs.isEmpty else { return body }
        var ids = (body["mediaWorkflowConfigurationIds"]?.arrayValue ?? []).compactMap(\.stringValue)
        for id in configurationIDs where !ids.contains(id) { ids.append(id) }
        body.set("mediaWorkflowConfigurationIds", .array(ids.map { .string($0) }))
        return body
    }

    // MARK: validation

    public struct Report: Sendable {
        public let problems: [WorkflowProblem]
        /// References into groups nobody in the workflow defines: what each job must supply (`/video/srcVideo`).
        public let jobParameters: [String]
    }

    public func validate() -> Report {
        var problems: [WorkflowProblem] = []
        var keys: [String: Int] = [:]
        var prerequisites: [String: [String]] = [:]

        guard let taskList = json["tasks"] else {
            return Report(problems: [WorkflowProblem(path: "/tasks", message: "missing: a workflow needs a \"tasks\" array")], jobParameters: [])
        }
        guard let tasks = taskList.arrayValue else {
            return Report(problems: [WorkflowProblem(path: "/tasks", message: "expected an array of tasks, got \(taskList.typeName)")], jobParameters: [])
        }
        if tasks.isEmpty { problems.append(WorkflowProblem(path: "/tasks", message: "a workflow needs at least one task")) }

        for (i, task) in tasks.enumerated() {
            let at = "/tasks/\(i)"
            guard task.isObject else { problems.append(.init(path: at, message: "expected a task object, got \(task.typeName)")); continue }
            switch task["type"] {
            case let .string(type)?:
                if !Self.knownTaskTypes.contains(type) {
                    problems.append(.init(path: "\(at)/type", message: "unknown task type '\(type)' (known: \(Self.knownTaskTypes.joined(separator: ", ")))"))
                }
            case nil: problems.append(.init(path: "\(at)/type", message: "missing: every task needs a type"))
            case let other?: problems.append(.init(path: "\(at)/type", message: "expected a string, got \(other.typeName)"))
            }
            if let version = task["version"] {
                if (version.intValue ?? 0) < 1 { problems.append(.init(path: "\(at)/version", message: "expected a whole number of at least 1")) }
            } else {
                problems.append(.init(path: "\(at)/version", message: "missing: every task needs a version (1 for the lab's tasks)"))
            }
            guard let key = task["key"]?.stringValue, !key.isEmpty else {
                problems.append(.init(path: "\(at)/key", message: "missing or empty: every task needs a unique string key"))
                continue
            }
            if let first = keys[key] {
                problems.append(.init(path: "\(at)/key", message: "duplicate task key '\(key)' (also /tasks/\(first)/key)"))
            } else {
                keys[key] = i
            }
            if let p = task["parameters"] {
                if !p.isObject { problems.append(.init(path: "\(at)/parameters", message: "expected an object, got \(p.typeName)")) }
            } else {
                problems.append(.init(path: "\(at)/parameters", message: "missing: every task needs a parameters object"))
            }
            let hasRef = task["enableParameterReference"] != nil
            let hasValue = task["enableWhenReferencedParameterEquals"] != nil
            if hasRef != hasValue {
                problems.append(.init(path: "\(at)/\(hasRef ? "enableWhenReferencedParameterEquals" : "enableParameterReference")",
                                      message: "enableParameterReference and enableWhenReferencedParameterEquals go together"))
            }
            if let ref = task["enableParameterReference"], !(ref.stringValue?.hasPrefix("/") ?? false) {
                problems.append(.init(path: "\(at)/enableParameterReference", message: "expected a JSON pointer string such as /video/doThumbnails"))
            }
            var prereqs: [String] = []
            if let list = task["prerequisites"] {
                if let items = list.arrayValue {
                    for (j, item) in items.enumerated() {
                        if let name = item.stringValue { prereqs.append(name) }
                        else { problems.append(.init(path: "\(at)/prerequisites/\(j)", message: "expected a task key string, got \(item.typeName)")) }
                    }
                } else {
                    problems.append(.init(path: "\(at)/prerequisites", message: "expected an array of task keys, got \(list.typeName)"))
                }
            }
            prerequisites[key] = prereqs
        }

        // Prerequisites must name other tasks.
        for (i, task) in tasks.enumerated() {
            guard let key = task["key"]?.stringValue else { continue }
            for (j, name) in (prerequisites[key] ?? []).enumerated() where keys[name] == nil || name == key {
                let why = name == key ? "a task cannot be its own prerequisite" : "no task has the key '\(name)'"
                problems.append(.init(path: "/tasks/\(i)/prerequisites/\(j)", message: why))
            }
        }
        if let cycle = Self.findCycle(prerequisites, order: tasks.compactMap { $0["key"]?.stringValue }) {
            let i = keys[cycle[0]] ?? 0
            problems.append(.init(path: "/tasks/\(i)/prerequisites", message: "prerequisite cycle: \(cycle.joined(separator: " → "))"))
        }

        // Workflow parameters: an object of objects (top key = group or task key, second = parameter name).
        if let params = json["parameters"] {
            if let groups = params.objectValue {
                for (name, group) in groups where !group.isObject {
                    problems.append(.init(path: "/parameters/\(Pointer.escape(name))", message: "expected an object of parameters, got \(group.typeName)"))
                }
            } else {
                problems.append(.init(path: "/parameters", message: "expected an object, got \(params.typeName)"))
            }
        }

        let checker = ReferenceChecker(definition: self, taskIndex: keys, prerequisites: prerequisites)
        problems += checker.problems
        return Report(problems: problems, jobParameters: checker.external.sorted())
    }

    /// The first prerequisite cycle found, as keys with the start repeated at the end.
    static func findCycle(_ edges: [String: [String]], order: [String]) -> [String]? {
        var state: [String: Int] = [:]  // 1 visiting, 2 done
        var stack: [String] = []
        func visit(_ node: String) -> [String]? {
            if state[node] == 2 { return nil }
            if state[node] == 1, let start = stack.firstIndex(of: node) { return Array(stack[start...]) + [node] }
            state[node] = 1
            stack.append(node)
            for next in edges[node] ?? [] where edges[next] != nil {
                if let c = visit(next) { return c }
            }
            stack.removeLast()
            state[node] = 2
            return nil
        }
        for node in order { if let c = visit(node) { return c } }
        return nil
    }

    /// Transitive prerequisites of a task.
    static func ancestors(of key: String, _ edges: [String: [String]]) -> Set<String> {
        var seen = Set<String>()
        var todo = edges[key] ?? []
        while let next = todo.popLast() {
            if seen.insert(next).inserted { todo += edges[next] ?? [] }
        }
        return seen
    }
}

/// RFC 6901 JSON pointers.
public enum Pointer {
    // Most tokens hold neither '~' nor '/': those are returned as they are (validation escapes every key).
    public static func escape(_ token: String) -> String {
        guard token.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return token }
        return token.replacing("~", with: "~0").replacing("/", with: "~1")
    }

    public static func unescape(_ token: Substring) -> String {
        guard token.utf8.contains(UInt8(ascii: "~")) else { return String(token) }
        return String(token).replacing("~1", with: "/").replacing("~0", with: "~")
    }

    public static func tokens(_ pointer: String) -> [String] {
        pointer.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(unescape)
    }

    public static func resolve(_ tokens: [String], in value: JSONValue) -> JSONValue? {
        var current = value
        for token in tokens {
            switch current {
            case .object: guard let next = current[token] else { return nil }; current = next
            case .array:
                guard let i = Int(token), token == String(i), let next = current[i] else { return nil }
                current = next
            default: return nil
            }
        }
        return current
    }
}
