// JMESPath for `--query`: examples from the JMESPath specification and its compliance suite
// (basic, slices, filters, functions, literals, pipes, projections, multi-selects), plus the
// reference implementation's (Python jmespath) number and key-order behaviour. Results are compared
// as compact JSON text, so 1 and 1.0 differ and so does key order. The generated differential
// corpus against the Python package itself is Tests/conformance/test_jmespath_differential.py.
import MediaKit
import Testing

private func search(_ expression: String, _ document: String) throws -> String {
    try JMESPath(expression).search(try JSONParser.parse(document)).compactText
}

struct JMESPathCase: CustomTestStringConvertible, Sendable {
    let expression: String
    let document: String
    let expected: String
    init(_ expression: String, _ document: String, _ expected: String) {
        self.expression = expression
        self.document = document
        self.expected = expected
    }
    var testDescription: String { expression }
}

@Suite struct JMESPathComplianceTests {
    static let basic: [JMESPathCase] = [
        JMESPathCase("foo", #"{"foo": {"bar": {"baz": "correct"}}}"#, #"{"bar":{"baz":"correct"}}"#),
        JMESPathCase("foo.bar.baz", #"{"foo": {"bar": {"baz": "correct"}}}"#, #""correct""#),
        JMESPathCase("foo.bar.bad", #"{"foo": {"bar": {"baz": "correct"}}}"#, "null"),
        JMESPathCase("foo.bad.baz", #"{"foo": {"bar": 1}}"#, "null"),
        JMESPathCase(#""foo"."bar""#, #"{"foo": {"bar": 1}}"#, "1"),
        JMESPathCase(#""with space""#, #"{"with space": 2}"#, "2"),
        JMESPathCase(#""\u00e9""#, #"{"é": 3}"#, "3"),
        JMESPathCase(#""opc-next-page""#, #"{"opc-next-page": "p2"}"#, #""p2""#),
        JMESPathCase("foo[0]", #"{"foo": [1, 2, 3]}"#, "1"),
        JMESPathCase("foo[-1]", #"{"foo": [1, 2, 3]}"#, "3"),
        JMESPathCase("foo[3]", #"{"foo": [1, 2, 3]}"#, "null"),
        JMESPathCase("foo[-4]", #"{"foo": [1, 2, 3]}"#, "null"),
        JMESPathCase("[0][1]", "[[1, 2]]", "2"),
        JMESPathCase("@", "[1]", "[1]"),
        JMESPathCase("foo.bar", #"{"foo": [{"bar": 1}]}"#, "null"),
    ]

    static let slices: [JMESPathCase] = [
        JMESPathCase("[0:3]", "[0,1,2,3,4]", "[0,1,2]"),
        JMESPathCase("[1:]", "[0,1,2,3,4]", "[1,2,3,4]"),
        JMESPathCase("[:2]", "[0,1,2,3,4]", "[0,1]"),
        JMESPathCase("[::2]", "[0,1,2,3,4]", "[0,2,4]"),
        JMESPathCase("[::-1]", "[0,1,2,3,4]", "[4,3,2,1,0]"),
        JMESPathCase("[-2:]", "[0,1,2,3,4]", "[3,4]"),
        JMESPathCase("[3:0:-1]", "[0,1,2,3,4]", "[3,2,1]"),
        JMESPathCase("[10:-10:-3]", "[0,1,2,3,4,5,6,7]", "[7,4,1]"),
        JMESPathCase("[-10:10]", "[0,1]", "[0,1]"),
        JMESPathCase("[5:2]", "[0,1,2,3,4,5,6]", "[]"),
        JMESPathCase("foo[:2].a", #"{"foo": [{"a": 1}, {"a": 2}, {"a": 3}]}"#, "[1,2]"),
        JMESPathCase("foo[0:1]", #"{"foo": "abc"}"#, "null"),
        // The reference extends an index expression in place: a slice after an index is not projected.
        JMESPathCase("[0][0:2].a", #"[[{"a":1},{"a":2}]]"#, "null"),
    ]

    static let projections: [JMESPathCase] = [
        JMESPathCase("foo[*].bar", #"{"foo": [{"bar": 1}, {"baz": 2}, {"bar": 3}]}"#, "[1,3]"),
        JMESPathCase("foo[*].bar[0]", #"{"foo": [{"bar": [1]}, {"bar": [2]}]}"#, "[1,2]"),
        JMESPathCase("foo[*]", #"{"foo": {"a": 1}}"#, "null"),
        JMESPathCase("foo.*.name", #"{"foo": {"a": {"name": "x"}, "b": {"name": "y"}, "c": 1}}"#, #"["x","y"]"#),
        JMESPathCase("*", #"{"a": 1, "b": [2]}"#, "[1,[2]]"),
        JMESPathCase("foo[]", #"{"foo": [[1, 2], 3, [4, [5]]]}"#, "[1,2,3,4,[5]]"),
        JMESPathCase("foo[][]", #"{"foo": [[1, [2]], 3]}"#, "[1,2,3]"),
        JMESPathCase("foo[].bar", #"{"foo": [[{"bar": 1}], {"bar": 2}]}"#, "[1,2]"),
        JMESPathCase("reservations[*].instances[*].state", #"{"reservations": [{"instances": [{"state": "up"}, {"state": "down"}]}, {"instances": [{"state": "up"}]}]}"#,
             #"[["up","down"],["up"]]"#),
        JMESPathCase("reservations[].instances[].state", #"{"reservations": [{"instances": [{"state": "up"}, {"state": "down"}]}, {"instances": [{"state": "up"}]}]}"#,
             #"["up","down","up"]"#),
        JMESPathCase("foo[*].bar | [0]", #"{"foo": [{"bar": 1}, {"bar": 2}]}"#, "1"),
        JMESPathCase("foo[*].bar[0]", #"{"foo": [{"bar": 1}, {"bar": 2}]}"#, "[]"),
    ]

    static let filters: [JMESPathCase] = [
        JMESPathCase("foo[?name == 'a'].v", #"{"foo": [{"name": "a", "v": 1}, {"name": "b", "v": 2}]}"#, "[1]"),
        JMESPathCase("foo[?v > `1`].v", #"{"foo": [{"v": 1}, {"v": 2}, {"v": 3.5}]}"#, "[2,3.5]"),
        JMESPathCase("foo[?v >= `2`] | length(@)", #"{"foo": [{"v": 1}, {"v": 2}, {"v": 2.0}]}"#, "2"),
        JMESPathCase("foo[?a == b]", #"{"foo": [{"a": 1, "b": 1.0}, {"a": [1], "b": [1]}, {"a": 1, "b": 2}]}"#, #"[{"a":1,"b":1.0},{"a":[1],"b":[1]}]"#),
        JMESPathCase("foo[?v]", #"{"foo": [{"v": 0}, {"v": ""}, {"v": []}, {"v": {}}, {"v": false}, {"v": null}, {"v": "x"}]}"#, #"[{"v":0},{"v":"x"}]"#),
        JMESPathCase("foo[?!v]", #"{"foo": [{"v": 0}, {"v": ""}, {"v": true}]}"#, #"[{"v":""}]"#),
        JMESPathCase("foo[?a == `1` && b == `2`].c", #"{"foo": [{"a": 1, "b": 2, "c": "x"}, {"a": 1, "b": 3, "c": "y"}]}"#, #"["x"]"#),
        JMESPathCase("foo[?a == `1` || b == `3`].c", #"{"foo": [{"a": 1, "b": 2, "c": "x"}, {"a": 0, "b": 3, "c": "y"}]}"#, #"["x","y"]"#),
        JMESPathCase("foo[?v < 'b'].v", #"{"foo": [{"v": "a"}, {"v": "c"}, {"v": true}]}"#, #"["a"]"#),
        JMESPathCase("foo[?v < `true`]", #"{"foo": [{"v": 1}]}"#, "[]"),
        JMESPathCase("[?@ > `1`]", "[1, 2, 3]", "[2,3]"),
        // true is not 1 at the top of a comparison, but inside arrays Python's == applies.
        JMESPathCase("[?@ == `true`]", "[1, true, 1.0]", "[true]"),
        JMESPathCase("[?@ == `[true]`]", "[[1], [true], [2]]", "[[1],[true]]"),
        JMESPathCase("foo[?bar==`10`]|[0]", #"{"foo": [{"bar": 1}, {"bar": 10}]}"#, #"{"bar":10}"#),
    ]

    static let operators: [JMESPathCase] = [
        JMESPathCase("a || b", #"{"a": [], "b": "x"}"#, #""x""#),
        JMESPathCase("a || b", #"{"a": 0, "b": "x"}"#, "0"),
        JMESPathCase("a && b", #"{"a": "", "b": "x"}"#, #""""#),
        JMESPathCase("a && b", #"{"a": 1, "b": "x"}"#, #""x""#),
        JMESPathCase("!a", #"{"a": 0}"#, "false"),
        JMESPathCase("!a", #"{"a": {}}"#, "true"),
        JMESPathCase("a == `1`", #"{"a": 1.0}"#, "true"),
        JMESPathCase("a == `false`", #"{"a": 0}"#, "false"),
        JMESPathCase("a != b", #"{"a": "é", "b": "e\u0301"}"#, "true"),
        JMESPathCase("a < b", #"{"a": "é", "b": "z"}"#, "false"),
        JMESPathCase("a > b", #"{"a": {}, "b": 1}"#, "null"),
        JMESPathCase("a | b | c", #"{"a": {"b": {"c": 7}}}"#, "7"),
        JMESPathCase("(a || b).c", #"{"b": {"c": 1}}"#, "1"),
    ]

    static let multiSelect: [JMESPathCase] = [
        JMESPathCase("[a, b]", #"{"a": 1, "b": 2}"#, "[1,2]"),
        JMESPathCase("{y: b, x: a}", #"{"a": 1, "b": 2}"#, #"{"y":2,"x":1}"#),
        JMESPathCase("{a: a, a: b}", #"{"a": 1, "b": 2}"#, #"{"a":2}"#),
        JMESPathCase("foo[*].[a, b]", #"{"foo": [{"a": 1}, {"b": 2}]}"#, "[[1,null],[null,2]]"),
        JMESPathCase("foo.{n: name, s: size}", #"{"foo": {"name": "x", "size": 3}}"#, #"{"n":"x","s":3}"#),
        JMESPathCase("[a]", "null", "null"),
        JMESPathCase("{a: a}", "null", "null"),
        JMESPathCase("{\"the key\": a}", #"{"a": 1}"#, #"{"the key":1}"#),
    ]

    static let literals: [JMESPathCase] = [
        JMESPathCase("`\"x\"`", "{}", #""x""#),
        JMESPathCase("`[1, 2.50, {\"b\": null, \"a\": 1}]`", "{}", #"[1,2.50,{"b":null,"a":1}]"#),
        JMESPathCase("`{\"a\": 1, \"a\": 2, \"b\": 3}`", "{}", #"{"a":2,"b":3}"#),
        JMESPathCase("`foo`", "{}", #""foo""#),
        JMESPathCase("` bar`", "{}", #""bar""#),
        JMESPathCase(#"`"a\`b"`"#, "{}", #""a`b""#),
        JMESPathCase("'raw'", "{}", #""raw""#),
        JMESPathCase(#"'it\'s'"#, "{}", #""it's""#),
        JMESPathCase(#"'a\\b'"#, "{}", #""a\\\\b""#),
        JMESPathCase("'\\n'", "{}", #""\\n""#),
        JMESPathCase("`true`", "{}", "true"),
        JMESPathCase("`null` || 'd'", "{}", #""d""#),
    ]

    static let functions: [JMESPathCase] = [
        JMESPathCase("abs(`-1`)", "{}", "1"), JMESPathCase("abs(`-1.5`)", "{}", "1.5"), JMESPathCase("abs(a)", #"{"a": -2.0}"#, "2.0"),
        JMESPathCase("avg(@)", "[1, 2, 3, 4]", "2.5"), JMESPathCase("avg(@)", "[1, 2]", "1.5"), JMESPathCase("avg(@)", "[2, 2]", "2.0"), JMESPathCase("avg(@)", "[]", "null"),
        JMESPathCase("ceil(`1.2`)", "{}", "2"), JMESPathCase("floor(`-1.2`)", "{}", "-2"), JMESPathCase("ceil(`3`)", "{}", "3"), JMESPathCase("floor(`1e20`)", "{}", "100000000000000000000"),
        JMESPathCase("contains('foobar', 'oba')", "{}", "true"), JMESPathCase("contains(@, `1`)", "[1.0, 2]", "true"), JMESPathCase("contains(@, `1`)", "[true]", "true"),
        JMESPathCase("contains(@, 'e\u{301}')", #"["é"]"#, "false"),
        JMESPathCase("ends_with('foobar', 'bar')", "{}", "true"), JMESPathCase("starts_with('foobar', 'bar')", "{}", "false"),
        JMESPathCase("join(', ', @)", #"["a", "b"]"#, #""a, b""#), JMESPathCase("join('', @)", "[]", #""""#),
        JMESPathCase("keys(@)", #"{"b": 1, "a": 2}"#, #"["b","a"]"#), JMESPathCase("values(@)", #"{"b": 1, "a": 2}"#, "[1,2]"),
        JMESPathCase("length('名前🎬')", "{}", "3"), JMESPathCase("length(@)", #"{"a":1}"#, "1"), JMESPathCase("length(@)", "[1,2]", "2"),
        JMESPathCase("map(&a, @)", #"[{"a": 1}, {}, {"a": 3}]"#, "[1,null,3]"),
        JMESPathCase("map(&[], @)", "[[1, [2]], [3]]", "[[1,2],[3]]"),
        JMESPathCase("max(@)", "[1, 3.5, 2]", "3.5"), JMESPathCase("min(@)", #"["b", "a", "c"]"#, #""a""#), JMESPathCase("max(@)", "[]", "null"),
        JMESPathCase("max(@)", "[1, 1.0]", "1"), JMESPathCase("min(@)", "[1.0, 1]", "1.0"),
        JMESPathCase("max_by(@, &a).n", #"[{"a": 1, "n": "x"}, {"a": 3, "n": "y"}, {"a": 3, "n": "z"}]"#, #""y""#),
        JMESPathCase("min_by(@, &a).n", #"[{"a": "b", "n": "x"}, {"a": "a", "n": "y"}]"#, #""y""#),
        JMESPathCase("merge(`{\"a\": 1, \"b\": 2}`, `{\"a\": 3, \"c\": 4}`)", "{}", #"{"a":3,"b":2,"c":4}"#),
        JMESPathCase("merge(`{}`, `[[\"k\", 1]]`)", "{}", #"{"k":1}"#),
        JMESPathCase("not_null(a, b, `3`)", #"{"b": 0}"#, "0"), JMESPathCase("not_null(a)", "{}", "null"),
        JMESPathCase("reverse('abc')", "{}", #""cba""#), JMESPathCase("reverse(@)", "[1, 2]", "[2,1]"),
        JMESPathCase("sort(@)", "[3, 1.5, 2, 1]", "[1,1.5,2,3]"), JMESPathCase("sort(@)", #"["b", "a", "B"]"#, #"["B","a","b"]"#),
        JMESPathCase("sort(@)", "[1.0, 1]", "[1.0,1]"),
        JMESPathCase("sort_by(@, &a)[*].n", #"[{"a": 2, "n": 1}, {"a": 1, "n": 2}, {"a": 2, "n": 3}]"#, "[2,1,3]"),
        JMESPathCase("sum(@)", "[1, 2]", "3"), JMESPathCase("sum(@)", "[1, 2.0]", "3.0"), JMESPathCase("sum(@)", "[]", "0"),
        JMESPathCase("sum(@)", "[0.1, 0.2]", "0.30000000000000004"),
        JMESPathCase("to_array(`1`)", "{}", "[1]"), JMESPathCase("to_array(@)", "[1]", "[1]"),
        JMESPathCase("to_number('12')", "{}", "12"), JMESPathCase("to_number(' 7 ')", "{}", "7"), JMESPathCase("to_number('1e3')", "{}", "1000.0"),
        JMESPathCase("to_number('1_000')", "{}", "1000"), JMESPathCase("to_number('abc')", "{}", "null"), JMESPathCase("to_number(`true`)", "{}", "null"),
        JMESPathCase("to_number('.5')", "{}", "0.5"), JMESPathCase("to_number('007')", "{}", "7"),
        JMESPathCase("to_string(@)", #"{"a": [1, 1.50, "é"], "b": null}"#, #""{\"a\":[1,1.5,\"\\u00e9\"],\"b\":null}""#),
        JMESPathCase("to_string(`1e16`)", "{}", #""1e+16""#), JMESPathCase("to_string(`0.0001`)", "{}", #""0.0001""#),
        JMESPathCase("to_string(`0.00001`)", "{}", #""1e-05""#), JMESPathCase("to_string('x')", "{}", #""x""#),
        JMESPathCase("type(@)", "[]", #""array""#), JMESPathCase("type(`1.0`)", "{}", #""number""#), JMESPathCase("type(`false`)", "{}", #""boolean""#),
        JMESPathCase("type(`null`)", "{}", #""null""#), JMESPathCase("type(@)", "{}", #""object""#), JMESPathCase("type('')", "{}", #""string""#),
        JMESPathCase("length(@) > `1`", "[1, 2]", "true"),
        JMESPathCase("a.length(@)", #"{"a": "abc"}"#, "3"),
        JMESPathCase("(length)(@)", "[1]", "1"),
    ]

    @Test(arguments: basic + slices + projections + filters + operators + multiSelect + literals + functions)
    func compliance(_ c: JMESPathCase) throws {
        #expect(try search(c.expression, c.document) == c.expected)
    }

    /// The OCI list result shape the CLI applies --query to.
    @Test func ociListQuery() throws {
        let doc = #"""
        {"data": {"items": [
          {"id": "ocid1.mediaworkflow.oc1..a", "display-name": "ingest", "lifecycle-state": "ACTIVE", "size": 10},
          {"id": "ocid1.mediaworkflow.oc1..b", "display-name": "transcode", "lifecycle-state": "DELETED", "size": 30},
          {"id": "ocid1.mediaworkflow.oc1..c", "display-name": "publish", "lifecycle-state": "ACTIVE", "size": 20}]}}
        """#
        #expect(try search(#"data.items[?"lifecycle-state"=='ACTIVE'].id"#, doc) == #"["ocid1.mediaworkflow.oc1..a","ocid1.mediaworkflow.oc1..c"]"#)
        #expect(try search(#"data.items | sort_by(@, &size) | [-1]."display-name""#, doc) == #""transcode""#)
        #expect(try search(#"data.items[].{name: "display-name", state: "lifecycle-state"} | [0]"#, doc) == #"{"name":"ingest","state":"ACTIVE"}"#)
        #expect(try search("sum(data.items[*].size)", doc) == "60")
        #expect(try search("length(data.items[?size > `15`])", doc) == "2")
    }
}

@Suite struct JMESPathErrorTests {
    private func syntaxMessage(_ expression: String) -> String? {
        do {
            _ = try JMESPath(expression)
            return nil
        } catch {
            guard case let .usage(message) = error else { return "not a usage error" }
            return message
        }
    }

    private func runtimeMessage(_ expression: String, _ document: String) throws -> String? {
        let query = try JMESPath(expression)
        let parsed = try JSONParser.parse(document)
        do {
            _ = try query.search(parsed)
            return nil
        } catch {
            guard case let .usage(message) = error else { return "not a usage error" }
            return message
        }
    }

    @Test(arguments: [
        ("", 1), ("foo.", 5), ("foo[", 5), ("a = b", 3), ("[?", 3), ("`unclosed", 1), ("'x", 1), ("a.@", 3),
        ("-", 1), ("a[1:2:3:4]", 8), ("\"foo\"(@)", 6), ("{a:}", 4), ("[a,]", 4), ("a b", 3), ("a.`1`", 3),
        ("!&a", 2), ("[&a]", 2), ("&a", 1), ("a ^ b", 3), ("a[?b", 5), ("(a", 3),
    ])
    func syntaxErrorsNameTheColumn(expression: String, column: Int) {
        let message = syntaxMessage(expression)
        #expect(message?.hasPrefix("syntax error at column \(column):") == true, "\(expression): \(message ?? "compiled")")
    }

    @Test func lexerAndParserQuirksOfTheReferenceAreKept() throws {
        // Python's jmespath compiles these; so must we (they differ only in spelling).
        #expect(try search("{a: a b: b}", #"{"a": 1, "b": 2}"#) == #"{"a":1,"b":2}"#)
        #expect(try search("not_null(a b)", #"{"b": 2}"#) == "2")
        #expect(try search("[1:2 3]", "[0,1,2,3,4]") == "[1,2]")
    }

    @Test(arguments: [
        ("length(`1`)", "{}", "invalid type for length() argument 1"),
        ("abs('x')", "{}", "invalid type for abs() argument 1"),
        ("sum(@)", "[1, \"2\"]", "invalid type for sum() argument 1"),
        ("max(@)", "[1, \"a\"]", "invalid type for max() argument 1"),
        ("sort_by(@, &a)", #"[{"a": 1}, {"a": "x"}]"#, "sort_by() needs every key to be a number"),
        ("max_by(@, &a)", #"[{"a": true}]"#, "max_by() needs each key"),
        ("length(@, @)", "{}", "length() takes 1 argument, got 2"),
        ("merge()", "{}", "merge() takes at least 1 argument, got 0"),
        ("nope(@)", "{}", "unknown function nope()"),
        ("[::0]", "[1]", "a slice step cannot be zero"),
        ("a < b", #"{"a": 1, "b": "x"}"#, "cannot order a number against a string"),
        ("contains('abc', `1`)", "{}", "contains() on a string needs a string"),
        ("map(&a, 'x')", "{}", "invalid type for map() argument 2"),
    ])
    func runtimeErrorsNameTheFunctionAndType(expression: String, document: String, fragment: String) throws {
        let message = try runtimeMessage(expression, document)
        #expect(message?.contains(fragment) == true, "\(expression): \(message ?? "no error")")
    }

    @Test func errorsAreOnlyRaisedWhereEvaluated() throws {
        // Like the reference: an unknown function or bad arity inside an empty projection is never called.
        #expect(try search("[*].nope(@)", "[]") == "[]")
        #expect(try search("a || length(`1`)", #"{"a": 1}"#) == "1")
    }

    @Test func hostileNestingIsRefusedNotRecursed() {
        let deep = String(repeating: "(", count: 5000) + "a" + String(repeating: ")", count: 5000)
        #expect(syntaxMessage(deep)?.contains("nested deeper") == true)
    }
}

@Suite struct JMESPathBatchTests {
    @Test func batchAnswersOneLinePerRequest() {
        #expect(JMESPath.batchAnswer(#"{"expression": "a[1]", "document": {"a": [1, 2.0]}}"#) == #"{"result":2.0}"#)
        #expect(JMESPath.batchAnswer(#"{"expression": "a[", "document": {}}"#).hasPrefix(#"{"error":"syntax","message":"syntax error at column 3"#))
        #expect(JMESPath.batchAnswer(#"{"expression": "abs(a)", "document": {}}"#).hasPrefix(#"{"error":"runtime""#))
        #expect(JMESPath.batchAnswer("not json").hasPrefix(#"{"error":"input""#))
    }
}
