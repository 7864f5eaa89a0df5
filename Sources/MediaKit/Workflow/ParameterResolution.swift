// What a job runs: workflow and job parameters merged by precedence, task parameters placed under their keys,
// and every `${/path}` reference replaced by its value (protocols.md §6.7), as the service shows it in `runnable`.
import FoundationEssentials
import Glibc

public struct ResolvedWorkflow: Sendable, Equatable {
    /// The tasks with their parameters (and enable references) resolved, in the workflow's order.
    public let tasks: [JSONValue]
    /// The merged document the references were resolved in: parameter groups, and each task's parameters
    /// under its key. Every string in it is resolved.
    public let document: JSONValue

    /// `{"tasks": [...], "parameters": {...}}`: what the emulator stores as the job's `runnable`.
    public var runnable: JSONValue {
        let taskKeys = Set(tasks.compactMap { $0["key"]?.stringValue })
        let groups = (document.objectValue ?? []).filter { !taskKeys.contains($0.0) }
        return ["tasks": .array(tasks), "parameters": .object(groups)]
    }
}

public struct ParameterResolutionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Where the failing reference was written, as a pointer into the merged document (or `/tasks/N/...`).
    public let path: String
    public let message: String
    public var description: String { "\(path): \(message)" }

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }
}

public enum ParameterResolution {
    /// Merges `layers` lowest precedence first (workflow parameters, then configurations, then the job's), places
    /// each task's parameters under its key (a same-named parameter group is the base, the task's own values win),
    /// and resolves every reference. A reference that is embedded in a longer string becomes the text of its
    /// value; one that is the whole string keeps its JSON type (so `${/video/doThumbnails}` can be a boolean).
    public static func resolve(tasks: [JSONValue], layers: [JSONValue]) throws(ParameterResolutionError) -> ResolvedWorkflow {
        var groups = JSONValue.object([])
        for layer in layers where layer.isObject { groups = merge(groups, layer) }
        var document = groups
        for task in tasks {
            guard let key = task["key"]?.stringValue, let params = task["parameters"], params.isObject else { continue }
            document.set(key, merge(document[key], params))
        }
        var resolver = Resolver(document: document)
        let resolvedDocument = try resolver.resolveAll(document, path: "")
        resolver = Resolver(document: resolvedDocument)
        var resolvedTasks: [JSONValue] = []
        for (i, task) in tasks.enumerated() {
            var t = task
            if let key = task["key"]?.stringValue, let params = resolvedDocument[key] { t.set("parameters", params) }
            if let reference = task["enableParameterReference"]?.stringValue {
                t.set("enableParameterReference", try resolver.resolveAll(.string(reference), path: "/tasks/\(i)/enableParameterReference"))
            }
            resolvedTasks.append(t)
        }
        return ResolvedWorkflow(tasks: resolvedTasks, document: resolvedDocument)
    }

    /// Deep merge of objects; anything else in `overlay` replaces what `base` had.
    public static func merge(_ base: JSONValue?, _ overlay: JSONValue) -> JSONValue {
        guard let base, case let .object(b) = base, case let .object(o) = overlay else { return overlay }
        var result = JSONValue.object(b)
        for (k, v) in o { result.set(k, merge(result[k], v)) }
        return result
    }

    /// The value a task's `enableParameterReference` points at (a bare pointer such as `/video/doThumbnails`,
    /// or a `${...}` reference), nil when nothing is there.
    public static func enableValue(_ reference: String, in document: JSONValue) -> JSONValue? {
        var pointer = reference
        if pointer.hasPrefix("${"), pointer.hasSuffix("}") { pointer = String(pointer.dropFirst(2).dropLast()) }
        return Pointer.resolve(Pointer.tokens(pointer), in: document)
    }

    private struct Resolver {
        let document: JSONValue
        var cache: [String: JSONValue] = [:]

        init(document: JSONValue) { self.document = document }

        mutating func resolveAll(_ value: JSONValue, path: String) throws(ParameterResolutionError) -> JSONValue {
            switch value {
            case let .string(text): return try resolveString(text, path: path, chain: [])
            case let .array(items):
                var out: [JSONValue] = []
                for (i, item) in items.enumerated() { out.append(try resolveAll(item, path: "\(path)/\(i)")) }
                return .array(out)
            case let .object(members):
                var out: [(String, JSONValue)] = []
                for (k, v) in members { out.append((k, try resolveAll(v, path: "\(path)/\(Pointer.escape(k))"))) }
                return .object(out)
            default: return value
            }
        }

        private mutating func resolveString(_ text: String, path: String, chain: [String]) throws(ParameterResolutionError) -> JSONValue {
            let refs: [ReferenceSyntax.Found]
            switch ReferenceSyntax.parse(text) {
            case let .failure(bad): throw ParameterResolutionError(path: path, message: bad.message)
            case let .success(found): refs = found
            }
            if refs.isEmpty { return .string(text) }
            if refs.count == 1, text == "${\(refs[0].pointer)}" {
                return try value(of: refs[0].pointer, path: path, chain: chain)
            }
            var out = ""
            var rest = Substring(text)
            while let start = rest.firstRange(of: "${"), let end = rest[start.upperBound...].firstIndex(of: "}") {
                out += rest[..<start.lowerBound]
                let pointer = String(rest[start.upperBound..<end])
                let v = try value(of: pointer, path: path, chain: chain)
                switch v {
                case let .string(s): out += s
                case let .number(n): out += n
                case let .bool(b): out += b ? "true" : "false"
                default:
                    throw ParameterResolutionError(path: path, message: "${\(pointer)} is \(v.typeName), which cannot be part of a longer string")
                }
                rest = rest[rest.index(after: end)...]
            }
            out += rest
            return .string(out)
        }

        private mutating func value(of pointer: String, path: String, chain: [String]) throws(ParameterResolutionError) -> JSONValue {
            if let hit = cache[pointer] { return hit }
            if chain.contains(pointer) {
                throw ParameterResolutionError(path: path, message: "reference cycle: \((chain + [pointer]).map { "${\($0)}" }.joined(separator: " → "))")
            }
            let tokens = Pointer.tokens(pointer)
            guard let raw = Pointer.resolve(tokens, in: document) else {
                var deepest = 0
                while deepest < tokens.count, Pointer.resolve(Array(tokens.prefix(deepest + 1)), in: document) != nil { deepest += 1 }
                let parent = "/" + tokens.prefix(deepest).map(Pointer.escape).joined(separator: "/")
                throw ParameterResolutionError(path: path, message: "${\(pointer)} does not resolve: \(parent) has no '\(tokens[min(deepest, tokens.count - 1)])'")
            }
            let resolved = try resolveNested(raw, path: path, chain: chain + [pointer])
            cache[pointer] = resolved
            return resolved
        }

        private mutating func resolveNested(_ value: JSONValue, path: String, chain: [String]) throws(ParameterResolutionError) -> JSONValue {
            switch value {
            case let .string(text): return try resolveString(text, path: path, chain: chain)
            case let .array(items):
                var out: [JSONValue] = []
                for item in items { out.append(try resolveNested(item, path: path, chain: chain)) }
                return .array(out)
            case let .object(members):
                var out: [(String, JSONValue)] = []
                for (k, v) in members { out.append((k, try resolveNested(v, path: path, chain: chain))) }
                return .object(out)
            default: return value
            }
        }
    }
}
