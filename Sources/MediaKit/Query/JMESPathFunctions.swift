// JMESPath's built-in functions, with the reference implementation's signatures, its argument
// checks (arity first, then each declared parameter's type, element types of typed arrays included)
// and its results: Python's int/float split (sum of ints is an int, avg is a float, ceil an int),
// Python's `json.dumps` for to_string and Python's `int()`/`float()` for to_number.

enum JMESPathFunctions {
    /// A parameter's allowed types, spelled as the reference declares them ("array-number", ...); empty means any.
    private struct Signature {
        var parameters: [[String]]
        var variadic = false
    }

    private static let signatures: [String: Signature] = [
        "abs": Signature(parameters: [["number"]]),
        "avg": Signature(parameters: [["array-number"]]),
        "ceil": Signature(parameters: [["number"]]),
        "contains": Signature(parameters: [["array", "string"], []]),
        "ends_with": Signature(parameters: [["string"], ["string"]]),
        "floor": Signature(parameters: [["number"]]),
        "join": Signature(parameters: [["string"], ["array-string"]]),
        "keys": Signature(parameters: [["object"]]),
        "length": Signature(parameters: [["string", "array", "object"]]),
        "map": Signature(parameters: [["expref"], ["array"]]),
        "max": Signature(parameters: [["array-number", "array-string"]]),
        "max_by": Signature(parameters: [["array"], ["expref"]]),
        "merge": Signature(parameters: [["object"]], variadic: true),
        "min": Signature(parameters: [["array-number", "array-string"]]),
        "min_by": Signature(parameters: [["array"], ["expref"]]),
        "not_null": Signature(parameters: [[]], variadic: true),
        "reverse": Signature(parameters: [["array", "string"]]),
        "sort": Signature(parameters: [["array-string", "array-number"]]),
        "sort_by": Signature(parameters: [["array"], ["expref"]]),
        "starts_with": Signature(parameters: [["string"], ["string"]]),
        "sum": Signature(parameters: [["array-number"]]),
        "to_array": Signature(parameters: [[]]),
        "to_number": Signature(parameters: [[]]),
        "to_string": Signature(parameters: [[]]),
        "type": Signature(parameters: [[]]),
        "values": Signature(parameters: [["object"]]),
    ]

    static var names: [String] { signatures.keys.sorted() }

    static func call(_ name: String, _ args: [QueryArgument]) throws(JMESPathFailure) -> JSONValue {
        guard let signature = signatures[name] else { throw .runtime("unknown function \(name)()") }
        try check(name, args, signature)
        switch name {
        case "abs":
            switch QueryNumber(value(args[0]))! {
            case let .int(i): return .number(String(i.magnitude))
            case let .float(d): return QueryNumber.float(abs(d)).json
            }
        case "avg":
            let items = array(args[0])
            if items.isEmpty { return .null }
            return QueryNumber.float(sum(items).double / Double(items.count)).json
        case "ceil", "floor":
            switch QueryNumber(value(args[0]))! {
            case let .int(i): return .number(String(i))
            case let .float(d):
                guard d.isFinite else { throw .runtime("\(name)() cannot round \(QueryText.floatRepr(d)) to an integer") }
                return .number(QueryText.integerText(name == "ceil" ? d.rounded(.up) : d.rounded(.down)))
            }
        case "contains":
            let search = args[1]
            switch value(args[0]) {
            case let .string(subject):
                guard case let .value(.string(needle)) = search else {
                    throw .runtime("contains() on a string needs a string to look for, got \(typeName(search))")
                }
                return .bool(QueryText.contains(subject, needle))
            case let .array(items):
                guard case let .value(needle) = search else { return .bool(false) }
                return .bool(items.contains { JMESPathInterpreter.pythonEqual($0, needle) })
            default: return .bool(false)
            }
        case "ends_with":
            return .bool(QueryText.hasSuffix(string(args[0]), string(args[1])))
        case "starts_with":
            return .bool(QueryText.hasPrefix(string(args[0]), string(args[1])))
        case "join":
            let separator = string(args[0])
            return .string(array(args[1]).compactMap(\.stringValue).joined(separator: separator))
        case "keys":
            return .array(object(args[0]).map { .string($0.0) })
        case "values":
            return .array(object(args[0]).map(\.1))
        case "length":
            switch value(args[0]) {
            case let .string(s): return .int(s.unicodeScalars.count)
            case let .array(a): return .int(a.count)
            case let .object(o): return .int(o.count)
            default: return .null
            }
        case "map":
            guard case let .expref(node) = args[0] else { return .null }
            var out: [JSONValue] = []
            for item in array(args[1]) { out.append(try JMESPathInterpreter.evaluate(node, item)) }
            return .array(out)
        case "max", "min":
            let items = array(args[0])
            guard var best = items.first else { return .null }
            for item in items.dropFirst() {
                let c = order(item, best)
                if name == "max" ? c > 0 : c < 0 { best = item }
            }
            return best
        case "max_by", "min_by":
            guard case let .expref(node) = args[1] else { return .null }
            let items = array(args[0])
            guard !items.isEmpty else { return .null }
            var best: (item: JSONValue, key: JSONValue)?
            for item in items {
                let key = try JMESPathInterpreter.evaluate(node, item)
                guard key.isNumber || key.stringValue != nil else {
                    throw .runtime("\(name)() needs each key to be a number or a string, got \(key.typeName)")
                }
                guard let current = best else { best = (item, key); continue }
                guard key.isNumber == current.key.isNumber else {
                    throw .runtime("\(name)() cannot compare a \(key.typeName) key with a \(current.key.typeName) key")
                }
                let c = order(key, current.key)
                if name == "max_by" ? c > 0 : c < 0 { best = (item, key) }
            }
            return best?.item ?? .null
        case "merge":
            var merged = QueryObject()
            for (i, arg) in args.enumerated() { try update(&merged, with: arg, position: i + 1) }
            return merged.json
        case "not_null":
            for arg in args {
                switch arg {
                case .value(.null): continue
                case let .value(v): return v
                case .expref: throw .runtime("not_null() would return an expression reference, which is not a value")
                }
            }
            return .null
        case "reverse":
            switch value(args[0]) {
            case let .string(s): return .string(QueryText.reversed(s))
            case let .array(a): return .array(a.reversed())
            default: return .null
            }
        case "sort":
            return .array(stableSorted(array(args[0]), keys: array(args[0])))
        case "sort_by":
            guard case let .expref(node) = args[1] else { return .null }
            let items = array(args[0])
            guard let first = items.first else { return .array(items) }
            let firstKey = try JMESPathInterpreter.evaluate(node, first)
            guard firstKey.isNumber || firstKey.stringValue != nil else {
                throw .runtime("sort_by() needs keys that are numbers or strings, got \(firstKey.typeName)")
            }
            var keys: [JSONValue] = []
            for item in items {
                let key = try JMESPathInterpreter.evaluate(node, item)
                guard key.typeName == firstKey.typeName else {
                    throw .runtime("sort_by() needs every key to be a \(firstKey.typeName), got \(key.typeName)")
                }
                keys.append(key)
            }
            return .array(stableSorted(items, keys: keys))
        case "sum":
            return sum(array(args[0])).json
        case "to_array":
            switch args[0] {
            case let .value(.array(a)): return .array(a)
            case let .value(v): return .array([v])
            case .expref: throw .runtime("to_array() of an expression reference is not a value")
            }
        case "to_string":
            switch args[0] {
            case let .value(.string(s)): return .string(s)
            case let .value(v): return .string(pythonJSON(v))
            case .expref: throw .runtime("to_string() of an expression reference is not a value")
            }
        case "to_number":
            switch value(args[0]) {
            case .number: return value(args[0])
            case let .string(s): return QueryPythonSyntax.number(s) ?? .null
            default: return .null
            }
        case "type":
            guard case let .value(v) = args[0] else { return .null }
            return .string(v.typeName)
        default:
            throw .runtime("unknown function \(name)()")
        }
    }

    // MARK: Argument checks

    private static func typeName(_ arg: QueryArgument) -> String {
        switch arg {
        case let .value(v): v.typeName
        case .expref: "expref"
        }
    }

    private static func check(_ name: String, _ args: [QueryArgument], _ signature: Signature) throws(JMESPathFailure) {
        let expected = signature.parameters.count
        if signature.variadic {
            guard args.count >= expected else {
                throw .runtime("\(name)() takes at least \(expected) argument\(expected == 1 ? "" : "s"), got \(args.count)")
            }
        } else if args.count != expected {
            throw .runtime("\(name)() takes \(expected) argument\(expected == 1 ? "" : "s"), got \(args.count)")
        }
        for (i, allowed) in signature.parameters.enumerated() where !allowed.isEmpty {
            let arg = args[i]
            let bases = allowed.map { $0.split(separator: "-").first.map(String.init) ?? $0 }
            let subtypes = allowed.compactMap { $0.contains("-") ? String($0.split(separator: "-")[1]) : nil }
            let actual = typeName(arg)
            func refuse(_ got: String) -> JMESPathFailure {
                .runtime("invalid type for \(name)() argument \(i + 1): expected \(allowed.joined(separator: " or ")), got \(got)")
            }
            guard bases.contains(actual) else { throw refuse(actual) }
            guard !subtypes.isEmpty, case let .value(.array(items)) = arg else { continue }
            if subtypes.count == 1 {
                for item in items where item.typeName != subtypes[0] { throw refuse("array holding a \(item.typeName)") }
            } else if let first = items.first {
                // The first element's type chooses which typed array this must be.
                guard subtypes.contains(first.typeName) else { throw refuse("array holding a \(first.typeName)") }
                for item in items where item.typeName != first.typeName {
                    throw refuse("array mixing \(first.typeName) and \(item.typeName)")
                }
            }
        }
    }

    // The checks above guarantee these shapes.
    private static func value(_ arg: QueryArgument) -> JSONValue {
        if case let .value(v) = arg { return v }
        return .null
    }
    private static func array(_ arg: QueryArgument) -> [JSONValue] { value(arg).arrayValue ?? [] }
    private static func object(_ arg: QueryArgument) -> [(String, JSONValue)] { value(arg).objectValue ?? [] }
    private static func string(_ arg: QueryArgument) -> String { value(arg).stringValue ?? "" }

    // MARK: Helpers

    /// Python's `sum()` of 3.11: exact while all are ints, then plain double addition from the first float.
    private static func sum(_ items: [JSONValue]) -> QueryNumber {
        var total = QueryNumber.int(0)
        for item in items {
            guard let n = QueryNumber(item) else { continue }
            switch (total, n) {
            case let (.int(a), .int(b)):
                let (s, overflow) = a.addingReportingOverflow(b)
                total = overflow ? .float(Double(a) + Double(b)) : .int(s)
            case let (.int(a), .float(b)): total = .float(Double(a) + b)
            case let (.float(a), _): total = .float(a + n.double)
            }
        }
        return total
    }

    /// Order of two numbers or two strings (callers ensure they are alike).
    private static func order(_ a: JSONValue, _ b: JSONValue) -> Int {
        if case let .string(x) = a, case let .string(y) = b { return QueryText.compare(x, y) }
        guard let x = QueryNumber(a), let y = QueryNumber(b) else { return 0 }
        return QueryNumber.compare(x, y) ?? 0
    }

    /// Python's `sorted` is stable: equal keys (1 and 1.0 too) keep their order.
    private static func stableSorted(_ items: [JSONValue], keys: [JSONValue]) -> [JSONValue] {
        let order = items.indices.sorted { i, j in
            let c = Self.order(keys[i], keys[j])
            return c != 0 ? c < 0 : i < j
        }
        return order.map { items[$0] }
    }

    /// `dict.update(arg)`: an object's members, or an array of [key, value] pairs; anything else is refused.
    private static func update(_ merged: inout QueryObject, with arg: QueryArgument, position: Int) throws(JMESPathFailure) {
        guard case let .value(v) = arg else { throw .runtime("merge() argument \(position) is an expression reference, not an object") }
        switch v {
        case let .object(members):
            for (key, member) in members { merged.set(key, member) }
        case let .string(s) where s.isEmpty:
            return
        case let .array(items):
            // Each element must be a pair: a two-element array (hashable key), a two-character string,
            // or an object with two keys (its keys are the pair).
            for item in items {
                switch item {
                case let .array(pair) where pair.count == 2:
                    guard let key = hashableKey(pair[0]) else {
                        throw .runtime("merge() argument \(position): a key cannot be a \(pair[0].typeName)")
                    }
                    merged.set(key, pair[1])
                case let .string(s) where s.unicodeScalars.count == 2:
                    let scalars = Array(s.unicodeScalars)
                    merged.set(String(scalars[0]), .string(String(scalars[1])))
                case let .object(members) where members.count == 2:
                    merged.set(members[0].0, .string(members[1].0))
                default:
                    throw .runtime("merge() argument \(position) is an array whose elements are not key/value pairs")
                }
            }
        default:
            throw .runtime("merge() argument \(position) must be an object, got \(v.typeName)")
        }
    }

    /// A dict key's text as `json.dumps` writes a non-string key.
    private static func hashableKey(_ v: JSONValue) -> String? {
        switch v {
        case let .string(s): s
        case let .bool(b): b ? "true" : "false"
        case .null: "null"
        case .number: pythonJSON(v)
        default: nil
        }
    }

    /// `json.dumps(value, separators=(',', ':'))`: compact, ASCII only, floats as Python's repr.
    static func pythonJSON(_ value: JSONValue) -> String {
        value.text(JSONTextStyle(indent: nil, asciiOnly: true, number: { text in
            switch QueryNumber(text: text) {
            case let .int(i): String(i)
            // An integer too long for Int is still an int to Python: its digits, as written.
            case let .float(d): text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) ? QueryText.floatRepr(d) : text
            }
        }))
    }
}

extension JSONValue {
    fileprivate var isNumber: Bool { if case .number = self { return true }; return false }
}

extension QueryPythonSyntax {
    /// `to_number` of a string: Python's `int(s)`, else `float(s)`, else null. Unicode digits and
    /// spaces count as Python counts them; underscores may separate digits.
    static func number(_ s: String) -> JSONValue? {
        var ascii = ""
        for u in s.unicodeScalars {
            if u.value < 0x80 { ascii.unicodeScalars.append(u); continue }
            if isSpace(u) { ascii += " "; continue }
            if u.properties.numericType == .decimal, let d = u.properties.numericValue, d >= 0, d <= 9 {
                ascii += String(Int(d))
                continue
            }
            return nil
        }
        let trimmed = Substring(ascii).drop(while: { isSpace($0.unicodeScalars.first!) }).reversed()
            .drop(while: { isSpace($0.unicodeScalars.first!) }).reversed()
        let text = String(trimmed)
        if let digits = integerDigits(text) {
            return .number(digits)
        }
        if let f = floatValue(text) { return QueryNumber.float(f).json }
        return nil
    }

    /// `[+-]digits` with single underscores between digits; returns "-123" style text without underscores.
    private static func integerDigits(_ text: String) -> String? {
        var chars = Array(text)
        var sign = ""
        if let first = chars.first, first == "+" || first == "-" { sign = first == "-" ? "-" : ""; chars.removeFirst() }
        guard let digits = underscoredDigits(chars[...]), digits.count == chars.count else { return nil }
        var body = String(digits.text.drop(while: { $0 == "0" }))
        if body.isEmpty { body = "0"; sign = "" }
        return sign + body
    }

    /// The longest run of digits with single underscores between them, from the start of `chars`.
    private static func underscoredDigits(_ chars: ArraySlice<Character>) -> (text: String, count: Int)? {
        var text = ""
        var count = 0
        var i = chars.startIndex
        while i < chars.endIndex {
            let c = chars[i]
            if c.isASCII, c.isNumber {
                text.append(c)
            } else if c == "_", !text.isEmpty, i + 1 < chars.endIndex, chars[i + 1].isASCII, chars[i + 1].isNumber,
                      chars[i - 1] != "_" {
                // an underscore between two digits
            } else {
                break
            }
            i += 1
            count += 1
        }
        return text.isEmpty ? nil : (text, count)
    }

    /// Python's float() grammar: digits, optional fraction and exponent, or inf/infinity/nan.
    private static func floatValue(_ text: String) -> Double? {
        var chars = Array(text)[...]
        var negative = false
        if let first = chars.first, first == "+" || first == "-" { negative = first == "-"; chars = chars.dropFirst() }
        let word = String(chars).lowercased()
        if word == "inf" || word == "infinity" { return negative ? -.infinity : .infinity }
        if word == "nan" { return .nan }
        var plain = negative ? "-" : ""
        var sawDigits = false
        if let d = underscoredDigits(chars) {
            plain += d.text
            chars = chars.dropFirst(d.count)
            sawDigits = true
        }
        if chars.first == "." {
            plain += sawDigits ? "." : "0."
            chars = chars.dropFirst()
            if let d = underscoredDigits(chars) {
                plain += d.text
                chars = chars.dropFirst(d.count)
                sawDigits = true
            } else {
                plain += "0"
            }
        }
        guard sawDigits else { return nil }
        if let e = chars.first, e == "e" || e == "E" {
            plain += "e"
            chars = chars.dropFirst()
            if let s = chars.first, s == "+" || s == "-" { plain.append(s); chars = chars.dropFirst() }
            guard let d = underscoredDigits(chars) else { return nil }
            plain += d.text
            chars = chars.dropFirst(d.count)
        }
        guard chars.isEmpty else { return nil }
        return Double(plain)
    }
}
