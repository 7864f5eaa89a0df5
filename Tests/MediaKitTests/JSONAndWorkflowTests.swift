// The order-keeping JSON reader/writer and the offline workflow validator.
import Foundation
import MediaKit
import Testing

@Suite struct JSONTests {
    @Test func roundTripKeepsOrderAndNumbers() throws {
        let text = #"{"b":1,"a":[true,null,1.50,-2e3],"s":"é\n\"x\" \u0001"}"#
        let value = try JSONParser.parse(text)
        #expect(value.compactText == #"{"b":1,"a":[true,null,1.50,-2e3],"s":"é\n\"x\" \u0001"}"#)
        #expect(value["a"]?[2] == .number("1.5"))
    }

    @Test(arguments: ["{", "[1,]", "{\"a\" 1}", "tru", "\"\\x\"", "01", "{} x", "\"\u{01}\""])
    func malformedDocumentsAreRefused(text: String) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
    }

    @Test func deepNestingIsRefusedNotRecursed() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
    }

    @Test func surrogatePairsDecode() throws {
        #expect(try JSONParser.parse(#""\ud83c\udfac""#) == .string("🎬"))
    }
}

@Suite struct WorkflowValidationTests {
    func problems(_ text: String) throws -> [String] {
        try WorkflowDefinition(json: JSONParser.parse(text)).validate().problems.map(\.description)
    }

    @Test func theLabWorkflowIsValidAndNeedsTheVideoParameters() {
        let report = LabWorkflow.definition.validate()
        #expect(report.problems.isEmpty)
        #expect(LabWorkflow.definition.tasks.count == 6)
        #expect(report.jobParameters == ["/video/compartmentID", "/video/dstBucket", "/video/namespace", "/video/outputPrefixName", "/video/srcBucket", "/video/srcVideo"])
    }

    @Test func duplicateKeysMissingPrerequisitesAndUnknownTypes() throws {
        let p = try problems("""
        {"tasks": [
          {"type": "getFiles", "version": 1, "key": "a", "parameters": {}},
          {"type": "transcode", "version": 1, "key": "a", "prerequisites": ["zz"], "parameters": {}},
          {"type": "sing", "version": 0, "key": "c", "prerequisites": ["c"], "parameters": []}
        ]}
        """)
        #expect(p.contains("/tasks/1/key: duplicate task key 'a' (also /tasks/0/key)"))
        #expect(p.contains("/tasks/1/prerequisites/0: no task has the key 'zz'"))
        #expect(p.contains("/tasks/2/type: unknown task type 'sing' (known: getFiles, transcode, thumbnail, putFiles, transcribe, visionDetection)"))
        #expect(p.contains("/tasks/2/version: expected a whole number of at least 1"))
        #expect(p.contains("/tasks/2/parameters: expected an object, got array"))
        #expect(p.contains("/tasks/2/prerequisites/0: a task cannot be its own prerequisite"))
    }

    @Test func prerequisiteCyclesAreNamed() throws {
        let p = try problems("""
        {"tasks": [
          {"type": "getFiles", "version": 1, "key": "a", "prerequisites": ["c"], "parameters": {}},
          {"type": "transcode", "version": 1, "key": "b", "prerequisites": ["a"], "parameters": {}},
          {"type": "thumbnail", "version": 1, "key": "c", "prerequisites": ["b"], "parameters": {}}
        ]}
        """)
        #expect(p == ["/tasks/0/prerequisites: prerequisite cycle: a → c → b → a"])
    }

    @Test func referencesMustResolveAndRespectPrerequisites() throws {
        let p = try problems("""
        {"tasks": [
          {"type": "getFiles", "version": 1, "key": "get", "parameters": {"target": "x/${/input/objectName}"}},
          {"type": "transcode", "version": 1, "key": "tc", "prerequisites": [], "parameters": {"input": "${/get/target}", "typo": "${/input/objectNam}"}},
          {"type": "putFiles", "version": 1, "key": "put", "prerequisites": ["tc"], "parameters": {"bad": "${input}", "open": "${/input", "ok": "${/tc/input}"}}
        ],
         "parameters": {"input": {"objectName": "${/video/srcVideo}"}, "loop": {"a": "${/loop/b}", "b": "${/loop/a}"}}}
        """)
        #expect(p.contains("/tasks/1/parameters/input: ${/get/target} refers to task 'get', which is not a prerequisite (direct or indirect) of task 'tc'"))
        #expect(p.contains("/tasks/1/parameters/typo: ${/input/objectNam} does not resolve: /input has no 'objectNam'"))
        #expect(p.contains("/tasks/2/parameters/bad: reference '${input}' is not a JSON pointer: expected ${/group/name}"))
        #expect(p.contains("/tasks/2/parameters/open: unterminated reference '${/input': expected ${/path}"))
        #expect(p.contains("/parameters/loop/a: reference cycle: ${/loop/b} → ${/loop/a} → ${/loop/b}"))
        #expect(!p.contains { $0.hasPrefix("/tasks/2/parameters/ok") })  // tc is a prerequisite of put; its value chains on
    }

    @Test func aDefinitionMustBeAnObjectWithTasks() throws {
        #expect(throws: MediaError.self) { try WorkflowDefinition(json: .array([])) }
        #expect(try problems("{}") == ["/tasks: missing: a workflow needs a \"tasks\" array"])
        #expect(try problems(#"{"tasks": {}}"#) == ["/tasks: expected an array of tasks, got object"])
    }

    @Test func createBodyPutsNameAndCompartmentFirst() throws {
        let body = try WorkflowDefinition(json: JSONParser.parse(#"{"tasks": [], "displayName": "x", "freeformTags": {"a": "b"}}"#))
            .createBody(compartmentID: "ocid1.compartment.oc1..c", displayName: "wf")
        #expect(body.compactText == #"{"displayName":"wf","compartmentId":"ocid1.compartment.oc1..c","tasks":[],"freeformTags":{"a":"b"}}"#)
    }
}

@Suite struct JobWaiterTests {
    @Test func pollDelaysGrowFromOneToTenSeconds() {
        let w = JobWaiter()
        #expect((0..<8).map { w.delay(afterPoll: $0) } == [1, 2, 4, 8, 10, 10, 10, 10])
    }

    /// A 30 s ingest costs at most 12 status calls a minute of waiting (issue 9's target).
    @Test func aThirtySecondWaitPollsFewTimes() throws {
        let w = JobWaiter()
        var t = 0.0, polls = 1
        while t < 30 { t += w.delay(afterPoll: polls - 1); polls += 1 }
        #expect(polls == 7)
        #expect(Double(polls) / t * 60 <= 12)
    }
}
