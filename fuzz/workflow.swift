// Fuzz target: a workflow document through the JSON parser, the validator and the `${...}` reference resolver.
import MediaKit

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWorkflow(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    let text = FuzzInput.text(bytes, count)
    _ = ReferenceSyntax.parse(text)
    guard let json = try? JSONParser.parse(FuzzInput.data(bytes, count)) else { return 0 }
    if let definition = try? WorkflowDefinition(json: json) {
        let report = definition.validate()
        _ = report.problems.map(\.description)
        _ = definition.createBody(compartmentID: "ocid1.compartment.oc1..x", displayName: "d").compactText
    }
    for pointer in ["/", "/tasks/0/parameters", "/a~1b/~0c", "/parameters/video/srcVideo"] {
        _ = Pointer.resolve(Pointer.tokens(pointer), in: json)
    }
    return 0
}
