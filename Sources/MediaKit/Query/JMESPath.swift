// JMESPath (https://jmespath.org) for `--query`: compile once, search JSON results. Behaviour follows
// the reference the OCI CLI itself uses, Python's `jmespath` (version pinned in
// Tests/conformance/requirements.txt), and is checked against it differentially
// (Tests/conformance/test_jmespath_differential.py).

public struct JMESPath: Sendable {
    public let expression: String
    private let root: JMESPathNode

    /// Compiles an expression; a syntax error is `.usage` naming the 1-based column.
    public init(_ expression: String) throws(MediaError) {
        self.expression = expression
        do {
            root = try JMESPathParser.parse(expression)
        } catch {
            throw Self.mediaError(error)
        }
    }

    /// Applies the expression. A type or arity error (e.g. `length(\`1\`)`) is `.usage` with its reason.
    public func search(_ document: JSONValue) throws(MediaError) -> JSONValue {
        do {
            return try JMESPathInterpreter.evaluate(root, document)
        } catch {
            throw Self.mediaError(error)
        }
    }

    private static func mediaError(_ failure: JMESPathFailure) -> MediaError {
        switch failure {
        case let .syntax(position, message): .usage("syntax error at column \(position + 1): \(message)")
        case let .runtime(message): .usage(message)
        }
    }

    /// One answer of the hidden `mediactl __query` batch command, used by the differential test against
    /// the reference implementation. The input line is `{"expression": "...", "document": ...}`; the
    /// answer is `{"result": ...}` or `{"error": "syntax"|"runtime"|"input", "message": "..."}`.
    public static func batchAnswer(_ line: String) -> String {
        func failure(_ kind: String, _ message: String) -> String {
            JSONValue.object([("error", .string(kind)), ("message", .string(message))]).compactText
        }
        let request: JSONValue
        do { request = try JSONParser.parse(line) } catch { return failure("input", "not JSON: \(error.description)") }
        guard let expression = request["expression"]?.stringValue else { return failure("input", "no \"expression\" string") }
        let document = request["document"] ?? .null
        let root: JMESPathNode
        do {
            root = try JMESPathParser.parse(expression)
        } catch {
            return failure("syntax", mediaError(error).message)
        }
        do {
            return JSONValue.object([("result", try JMESPathInterpreter.evaluate(root, document))]).compactText
        } catch {
            return failure("runtime", mediaError(error).message)
        }
    }
}
