// No file of Sources/mediactl names a wire field (issue 15, point 4): API results are read through MediaKit's
// typed accessors (OpenTokObject.createdAt, Resource.mediaAssetID, ObjectSummary.name, ...), never by indexing
// JSON with a field name. `wireReads` is the rule; the self-check feeds it made-up lines so the test can be seen to fail.
import Foundation
import Testing

@Suite struct WireFieldTests {
    // Keep this list empty: a file here would still read a JSON document by field name and be skipped until it moves.
    static let wireReadsToMove: Set<String> = []
    /// Receivers that are looked up by a name but are no API document: the parsed flag values (`line.values["profile"]`).
    static let notDocuments: Set<String> = ["values"]

    /// `x["someField"]`, `x?["someField"]`, `f()["someField"]`: a lowerCamelCase literal subscript right after an
    /// expression (array literals such as `["ingest"]` follow a space, `(` or `,`, and environment variables are upper case).
    static var literalSubscript: Regex<AnyRegexOutput> { try! Regex(#"(\w*)([)\]]?[?!]?)\["([a-z][A-Za-z0-9_]*)"\]"#) }
    /// `something.json[...]`, `json[key]`: an API object's raw JSON indexed by any key, literal or not.
    static var rawJSONSubscript: Regex<AnyRegexOutput> { try! Regex(#"(^|[^\w])json\s*\["#) }

    /// The wire reads in one file (its path from the package root, its text); empty when it has none.
    static func wireReads(path: String, text: String) -> [String] {
        guard path.hasPrefix("Sources/mediactl/") else { return [] }
        var found: [String] = []
        for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            // Comments and the text of string literals may name anything; a subscript key is a literal, so only
            // whole-line comments and trailing `//` comments are dropped.
            let line = raw.split(separator: "//", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            for match in line.matches(of: literalSubscript) {
                let receiver = match.output[1].substring.map(String.init) ?? ""
                let closer = match.output[2].substring.map(String.init) ?? ""
                // After a space, `(` or `,` it is an array literal, not a subscript.
                if receiver.isEmpty && closer.isEmpty || notDocuments.contains(receiver) { continue }
                let field = match.output[3].substring.map(String.init) ?? ""
                found.append("\(path):\(offset + 1): reads the wire field \"\(field)\" (add a typed accessor in MediaKit)")
            }
            if line.contains(rawJSONSubscript) { found.append("\(path):\(offset + 1): indexes an API object's json (add a typed accessor in MediaKit)") }
        }
        return found
    }

    @Test func noCLIFileNamesAWireField() throws {
        let files = try LayeringTests.sources(under: "Sources/mediactl")
        #expect(files.count > 50)
        let found = files.filter { !Self.wireReadsToMove.contains($0.0) }.flatMap { Self.wireReads(path: $0.0, text: $0.1) }
        #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
    }

    /// A file on the TODO list that no longer reads the wire must leave it, so the list only shrinks.
    @Test func theTodoListNamesOnlyFilesThatStillNeedIt() throws {
        let cli = Dictionary(try LayeringTests.sources(under: "Sources/mediactl"), uniquingKeysWith: { a, _ in a })
        for path in Self.wireReadsToMove.sorted() {
            let text = try #require(cli[path], "\(path) is gone: take it off wireReadsToMove")
            #expect(!Self.wireReads(path: path, text: text).isEmpty, "\(path) reads no wire field any more: take it off wireReadsToMove")
        }
    }

    @Test func theRuleCanFail() {
        let path = "Sources/mediactl/Commands/Fake.swift"
        let bad: [(String, String)] = [
            (#"add("session", j["sessionId"]?.stringValue)"#, #""sessionId""#),
            (#"let s = object["size"]?.intValue"#, #""size""#),
            (#"for t in urls["rtmp"]?.arrayValue ?? [] {}"#, #""rtmp""#),
            (#"let u = o.json?["url"]"#, #""url""#),
            (#"let c = f()["connectionId"]"#, #""connectionId""#),
            (#"let v = a.json[key]?.stringValue"#, "indexes an API object's json"),
        ]
        for (text, expected) in bad {
            let found = Self.wireReads(path: path, text: text)
            #expect(!found.isEmpty && found.allSatisfy { $0.contains(expected) || $0.contains("indexes an API object's json") }
                    && found.contains { $0.contains(expected) }, "\(text) → \(found)")
        }
        let good = [
            #"static let kmsKey = Flag.ocid("kms-key-id", types: ["key"], help: "a key")"#,
            #"("ingest", "ingest a playlist", ["ingest"]),"#,
            #"case ["flags"], ["exit-codes"]: return words"#,
            #"let home = environment["HOME"] ?? "/""#,
            #"line.values["profile"]?.last ?? "DEFAULT""#,
            #"var doc: JSONValue = ["objects": .array(objects)]"#,
            #"add("created", o.createdAt?.internetDateTime()) // was j["createdAt"]"#,
            #"let x = cond ? ["a"] : []"#,
        ]
        for text in good { #expect(Self.wireReads(path: path, text: text).isEmpty, "\(text) → \(Self.wireReads(path: path, text: text))") }
        // Only the CLI is held to it: MediaKit is where the wire is read.
        #expect(Self.wireReads(path: "Sources/MediaKit/OpenTok/Fake.swift", text: #"json["sessionId"]"#).isEmpty)
    }
}
