// Evaluates a parsed JMESPath expression over a JSONValue, with the reference implementation's
// semantics (Python's jmespath 1.0.1): Python equality inside arrays and objects (so [1] == [true]
// there), projections that drop nulls, slices with Python's bounds, comparisons of numbers and strings.

struct JMESPathInterpreter {
    static func evaluate(_ node: JMESPathNode, _ value: JSONValue) throws(JMESPathFailure) -> JSONValue {
        switch node {
        case .identity, .current:
            return value
        case let .field(name):
            return value[name] ?? .null
        case let .literal(literal):
            return literal
        case let .subexpression(left, right), let .pipe(left, right):
            return try evaluate(right, try evaluate(left, value))
        case let .indexExpression(children):
            var result = value
            for child in children { result = try evaluate(child, result) }
            return result
        case let .index(i):
            guard case let .array(items) = value else { return .null }
            let k = i < 0 ? items.count + i : i
            return items.indices.contains(k) ? items[k] : .null
        case let .slice(start, stop, step):
            guard case let .array(items) = value else { return .null }
            return .array(try slice(items, start, stop, step))
        case let .projection(left, right):
            guard case let .array(items) = try evaluate(left, value) else { return .null }
            return .array(try project(items, right))
        case let .valueProjection(left, right):
            guard case let .object(members) = try evaluate(left, value) else { return .null }
            return .array(try project(members.map(\.1), right))
        case let .filterProjection(left, right, condition):
            guard case let .array(items) = try evaluate(left, value) else { return .null }
            var collected: [JSONValue] = []
            for item in items where isTrue(try evaluate(condition, item)) {
                let r = try evaluate(right, item)
                if r != .null { collected.append(r) }
            }
            return .array(collected)
        case let .flatten(inner):
            guard case let .array(items) = try evaluate(inner, value) else { return .null }
            var merged: [JSONValue] = []
            for item in items {
                if case let .array(nested) = item { merged.append(contentsOf: nested) } else { merged.append(item) }
            }
            return .array(merged)
        case let .multiSelectList(children):
            if value == .null { return .null }
            var out: [JSONValue] = []
            for child in children { out.append(try evaluate(child, value)) }
            return .array(out)
        case let .multiSelectHash(pairs):
            if value == .null { return .null }
            var out = QueryObject()
            for (key, child) in pairs { out.set(key, try evaluate(child, value)) }
            return out.json
        case let .or(left, right):
            let l = try evaluate(left, value)
            return isTrue(l) ? l : try evaluate(right, value)
        case let .and(left, right):
            let l = try evaluate(left, value)
            return isTrue(l) ? try evaluate(right, value) : l
        case let .not(inner):
            return .bool(!isTrue(try evaluate(inner, value)))
        case let .comparator(op, left, right):
            return try compare(op, try evaluate(left, value), try evaluate(right, value))
        case let .function(name, arguments):
            var resolved: [QueryArgument] = []
            for argument in arguments {
                if case let .expref(inner, _) = argument {
                    resolved.append(.expref(inner))
                } else {
                    resolved.append(.value(try evaluate(argument, value)))
                }
            }
            return try JMESPathFunctions.call(name, resolved)
        case .expref:
            throw .runtime("an expression reference (&...) can only be a function's argument")   // refused when parsed
        }
    }

    private static func project(_ items: [JSONValue], _ right: JMESPathNode) throws(JMESPathFailure) -> [JSONValue] {
        var collected: [JSONValue] = []
        collected.reserveCapacity(items.count)
        for item in items {
            let r = try evaluate(right, item)
            if r != .null { collected.append(r) }
        }
        return collected
    }

    /// Python's `list[start:stop:step]`.
    static func slice(_ items: [JSONValue], _ start: Int?, _ stop: Int?, _ step: Int?) throws(JMESPathFailure) -> [JSONValue] {
        let step = step ?? 1
        guard step != 0 else { throw .runtime("a slice step cannot be zero") }
        let length = items.count
        let lower = step < 0 ? -1 : 0
        let upper = step < 0 ? length - 1 : length
        func clamp(_ v: Int?, _ fallback: Int) -> Int {
            guard var v else { return fallback }
            if v < 0 {
                v += length
                if v < lower { v = lower }
            } else if v > upper {
                v = upper
            }
            return v
        }
        var i = clamp(start, step < 0 ? upper : lower)
        let end = clamp(stop, step < 0 ? lower : upper)
        var out: [JSONValue] = []
        if step > 0 {
            while i < end { out.append(items[i]); i += step }
        } else {
            while i > end { out.append(items[i]); i += step }
        }
        return out
    }

    /// JMESPath's false values: null, false, "", [] and {}. Numbers, 0 included, are true.
    static func isTrue(_ value: JSONValue) -> Bool {
        switch value {
        case .null: false
        case let .bool(b): b
        case let .string(s): !s.isEmpty
        case let .array(a): !a.isEmpty
        case let .object(o): !o.isEmpty
        case .number: true
        }
    }

    private static func compare(_ op: TokenKind, _ l: JSONValue, _ r: JSONValue) throws(JMESPathFailure) -> JSONValue {
        switch op {
        case .eq: return .bool(topLevelEqual(l, r))
        case .ne: return .bool(!topLevelEqual(l, r))
        default: break
        }
        // Ordering is defined for numbers and strings only; anything else gives null.
        let c: Int
        switch (l, r) {
        case (.number, .number):
            guard let cmp = QueryNumber.compare(QueryNumber(l)!, QueryNumber(r)!) else { return .bool(false) }
            c = cmp
        case let (.string(a), .string(b)):
            c = QueryText.compare(a, b)
        case (.number, .string), (.string, .number):
            throw .runtime("cannot order a \(l.typeName) against a \(r.typeName) with \(symbol(op))")
        default:
            return .null
        }
        switch op {
        case .lt: return .bool(c < 0)
        case .lte: return .bool(c <= 0)
        case .gt: return .bool(c > 0)
        default: return .bool(c >= 0)
        }
    }

    private static func symbol(_ op: TokenKind) -> String {
        switch op {
        case .lt: "<"
        case .lte: "<="
        case .gt: ">"
        default: ">="
        }
    }

    /// `==` between two results: a boolean never equals a number, even 0 or 1 (the reference's special case).
    static func topLevelEqual(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.bool, .number), (.number, .bool): return false
        default: return pythonEqual(a, b)
        }
    }

    /// Python's `==` on the decoded values: booleans are the integers 0 and 1 (inside arrays and objects
    /// the reference applies no special case), 1 == 1.0, strings by code point, objects ignore order.
    static func pythonEqual(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.string(x), .string(y)): return QueryText.equal(x, y)
        case let (.array(x), .array(y)):
            return x.count == y.count && zip(x, y).allSatisfy { pythonEqual($0, $1) }
        case let (.object(x), .object(y)):
            guard x.count == y.count else { return false }
            for (key, value) in x {
                guard let other = y.last(where: { QueryText.equal($0.0, key) }), pythonEqual(value, other.1) else { return false }
            }
            return true
        default:
            guard let x = pythonNumber(a), let y = pythonNumber(b) else { return false }
            return QueryNumber.compare(x, y) == 0
        }
    }

    private static func pythonNumber(_ v: JSONValue) -> QueryNumber? {
        if case let .bool(b) = v { return .int(b ? 1 : 0) }
        return QueryNumber(v)
    }
}

/// A function argument: a value, or an `&expression` the function applies itself.
enum QueryArgument {
    case value(JSONValue)
    case expref(JMESPathNode)
}

/// An object built the way a Python dict is: setting an existing key keeps its place.
struct QueryObject {
    private(set) var members: [(String, JSONValue)] = []
    private var positions: [[UInt32]: Int] = [:]

    mutating func set(_ key: String, _ value: JSONValue) {
        // Keys are compared by code point, as Python compares them, so they are hashed by their scalars.
        let id = Self.identity(key)
        if let i = positions[id] { members[i].1 = value } else {
            positions[id] = members.count
            members.append((key, value))
        }
    }

    private static func identity(_ key: String) -> [UInt32] { key.unicodeScalars.map(\.value) }

    var json: JSONValue { .object(members) }
}
