// `${/path}` resolution as the emulator's real jobs do it (protocols.md §6.7): precedence, chains, types, failures.
import Foundation
import MediaKit
import Testing

@Suite struct ParameterResolutionTests {
    @Test func theLabWorkflowResolvesFromTheJobsVideoGroup() throws {
        let lab = LabWorkflow.definition
        let job = LabWorkflow.jobParameters(sourceBucket: "in", destinationBucket: "out", namespace: "ns", compartmentID: "ocid1.compartment.oc1..c",
                                            sourceVideo: "clip.mp4", outputPrefix: "run1")
        let resolved = try ParameterResolution.resolve(tasks: lab.tasks, layers: [lab.parameters, job])
        let get = try #require(resolved.tasks.first { $0["key"] == "getFiles" })
        #expect(get["parameters"]?["taskParameters"]?[0] == ["storageType": "objectStorage", "target": "getFiles/clip.mp4",
                                                              "namespaceName": "ns", "bucketName": "in", "objectName": "clip.mp4"])
        let put = try #require(resolved.tasks.first { $0["key"] == "putFiles" })
        // Chains (objectNamePath → input/objectName → video/srcVideo) and two references in one string.
        #expect(put["parameters"]?["taskParameters"]?[1]?["objectName"] == "sdk_test/clip.mp4/run1-master.m3u8")
        #expect(put["parameters"]?["taskParameters"]?[3]?["source"] == "*.jpg")
        #expect(resolved.runnable["parameters"]?["output"]?["objectNamePath"] == "sdk_test/clip.mp4/")
        #expect(resolved.runnable["parameters"]?["video"]?["srcVideo"] == "clip.mp4")
        #expect(resolved.runnable["tasks"]?.arrayValue?.count == 6)
    }

    @Test func laterLayersWinAndAWholeReferenceKeepsItsType() throws {
        let tasks: [JSONValue] = [["key": "t", "type": "thumbnail", "version": 1,
                                   "parameters": ["on": "${/flags/enabled}", "size": "${/flags/size}", "label": "w${/flags/size}-${/flags/enabled}"]]]
        let workflow: JSONValue = ["flags": ["enabled": false, "size": 100]]
        let job: JSONValue = ["flags": ["size": 200]]
        let resolved = try ParameterResolution.resolve(tasks: tasks, layers: [workflow, job])
        #expect(resolved.tasks[0]["parameters"] == ["on": false, "size": 200, "label": "w200-false"])
    }

    @Test func aMissingPointerOrACycleIsNamed() {
        let tasks: [JSONValue] = [["key": "t", "parameters": ["x": "${/video/srcVideo}"]]]
        #expect(throws: ParameterResolutionError(path: "/t/x", message: "${/video/srcVideo} does not resolve: / has no 'video'")) {
            try ParameterResolution.resolve(tasks: tasks, layers: [["other": ["a": 1]]])
        }
        let cyclic: JSONValue = ["g": ["a": "${/g/b}", "b": "${/g/a}"]]
        #expect {
            try ParameterResolution.resolve(tasks: [], layers: [cyclic])
        } throws: { error in
            (error as? ParameterResolutionError)?.message.hasPrefix("reference cycle: ${/g/b} → ${/g/a} → ${/g/b}") == true
        }
    }
}
