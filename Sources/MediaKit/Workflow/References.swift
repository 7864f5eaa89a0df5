// `${/a/b/0/c}` references (protocols.md §6.7): parsing, and checking that each resolves from the
// workflow parameters, the task itself or a prerequisite task, without cycles.
import FoundationEssentials

public enum ReferenceSyntax {
    public struct Found: Equatable, Sendable {
        public let pointer: String
    }

    public struct Malformed: Error, Equatable, Sendable {
        public let message: String
    }

    /// The references in `text`, or a message naming what is malformed.
    public static func parse(_ text: String) -> Result<[Found], Malformed> {
        var found: [Found] = []
        var rest = Substring(text)
        while let start = rest.firstRange(of: "${") {
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                return .failure(Malformed(message: "unterminated reference '\(rest[start.lowerBound...].prefix(40))': expected ${/path}"))
            }
            let pointer = String(rest[start.upperBound..<end])
            guard pointer.hasPrefix("/"), pointer.count > 1 else {
                return .failure(Malformed(message: "reference '${\(pointer)}' is not a JSON pointer: expected ${/group/name}"))
            }
            found.append(Found(pointer: pointer))
            rest = rest[rest.index(after: end)...]
        }
        return .success(found)
    }
}

/// Walks every string of a definition and checks its references.
struct ReferenceChecker {
    private(set) var problems: [WorkflowProblem] = []
    private(set) var external = Set<String>()
    private let document: JSONValue
    private let taskIndex: [String: Int]
    private let prerequisites: [String: [String]]
    private let groupNames: Set<String>

    init(definition: WorkflowDefinition, taskIndex: [String: Int], prerequisites: [String: [String]]) {
        self.taskIndex = taskIndex
        self.prerequisites = prerequisites
        let groups = definition.parameters.objectValue ?? []
        groupNames = Set(groups.map(\.0))
        // One merged document: parameter groups, with each task's parameters under its key.
        var doc = JSONValue.object(groups)
        for task in definition.tasks {
            guard let key = task["key"]?.stringValue, let params = task["parameters"], params.isObject else { continue }
            doc.set(key, ParameterResolution.merge(doc[key], params))
        }
        document = doc

        for (i, task) in definition.tasks.enumerated() {
            guard let params = task["parameters"] else { continue }
            walk(params, path: "/tasks/\(i)/parameters", referrer: task["key"]?.stringValue)
        }
        walk(definition.parameters, path: "/parameters", referrer: nil)
    }

    private mutating func walk(_ value: JSONValue, path: String, referrer: String?) {
        switch value {
        case let .string(text): check(text, path: path, referrer: referrer)
        case let .array(items): for (i, item) in items.enumerated() { walk(item, path: "\(path)/\(i)", referrer: referrer) }
        case let .object(members): for (k, v) in members { walk(v, path: "\(path)/\(Pointer.escape(k))", referrer: referrer) }
        default: break
        }
    }

    private mutating func check(_ text: String, path: String, referrer: String?) {
        switch ReferenceSyntax.parse(text) {
        case let .failure(bad): problems.append(.init(path: path, message: bad.message))
        case let .success(refs):
            for ref in refs {
                let tokens = Pointer.tokens(ref.pointer)
                let head = tokens.first ?? ""
                if let referrer, head != referrer, taskIndex[head] != nil, !groupNames.contains(head),
                   !WorkflowDefinition.ancestors(of: referrer, prerequisites).contains(head) {
                    problems.append(.init(path: path, message: "${\(ref.pointer)} refers to task '\(head)', which is not a prerequisite (direct or indirect) of task '\(referrer)'"))
                    continue
                }
                if let message = follow(ref.pointer, chain: []) { problems.append(.init(path: path, message: message)) }
            }
        }
    }

    /// Resolves a pointer and the references its value holds in turn; a message when it cannot.
    private mutating func follow(_ pointer: String, chain: [String]) -> String? {
        if chain.contains(pointer) { return "reference cycle: \((chain + [pointer]).map { "${\($0)}" }.joined(separator: " → "))" }
        let tokens = Pointer.tokens(pointer)
        guard let head = tokens.first, document[head] != nil else {
            // Not a task or group of this workflow: a parameter each job must supply (the lab's /video/...).
            external.insert(pointer)
            return nil
        }
        guard let value = Pointer.resolve(tokens, in: document) else {
            var deepest = 0
            while deepest < tokens.count, Pointer.resolve(Array(tokens.prefix(deepest + 1)), in: document) != nil { deepest += 1 }
            let parent = "/" + tokens.prefix(deepest).map(Pointer.escape).joined(separator: "/")
            return "${\(pointer)} does not resolve: \(parent) has no '\(tokens[deepest])'"
        }
        if case let .string(text) = value, case let .success(next) = ReferenceSyntax.parse(text) {
            for ref in next { if let m = follow(ref.pointer, chain: chain + [pointer]) { return m } }
        }
        return nil
    }
}
