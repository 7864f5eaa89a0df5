// Fuzz target: response decoders. Each client call gets the fuzz bytes as the body (status and
// headers chosen by the first byte) from a transport that never touches the network.
import Foundation
import MediaKit

private struct CannedTransport: HTTPTransport {
    let response: HTTPResponse
    func send(_ request: HTTPRequest) throws(MediaError) -> HTTPResponse { response }
}

private let statuses = [200, 200, 200, 201, 204, 400, 401, 404, 409, 429, 500, 503]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzResponses(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    guard count > 0 else { return 0 }
    let status = statuses[Int(bytes[0]) % statuses.count]
    let body = FuzzInput.data(bytes + 1, count - 1)
    var headers: [(String, String)] = [("content-type", "application/json")]
    if bytes[0] & 0x80 != 0 { headers.append(("opc-next-page", "p\(bytes[0] & 3)")) }
    let transport = CannedTransport(response: HTTPResponse(status: status, headers: headers, body: body))
    guard let endpoint = RequestURL("http://127.0.0.1:1/20211101") else { return 0 }
    let client = MediaServicesClient(transport: transport, endpoint: endpoint)
    _ = try? client.get(.job, id: "ocid1.mediaworkflowjob.oc1.iad.x")
    _ = try? client.list(.workflow, filters: [("compartmentId", "c")])
    _ = try? client.listAll(.channel, filters: [], maxPages: 3)
    _ = try? client.createChannel(compartmentID: "ocid1.compartment.oc1..x", displayName: "d")
    _ = try? client.ingest(channelID: "c", assetID: "a", compartmentID: "x")
    if let stream = try? MediaStreamClient(transport: transport, domainName: "127.0.0.1:1", scheme: "http") {
        _ = try? stream.generateSessionToken(packagingConfigID: "p", assetIDs: ["a"])
    }
    let opentok = OpenTokClient(transport: transport, baseURL: endpoint, apiKey: "1")
    _ = try? opentok.get(.archive, id: "a")
    _ = try? opentok.list(.broadcast)
    let request = HTTPRequest(method: "GET", url: endpoint)
    _ = OCIErrorBody.failure(transport.response, request: request).summary
    _ = OpenTokErrorBody.failure(transport.response, request: request).summary
    _ = Redactor.body(body)
    if let json = try? JSONParser.parse(body) { _ = json.compactText; _ = Redactor.redact(json) }
    let job = Resource(json: (try? JSONParser.parse(body)) ?? .null)
    _ = JobWaiter.failureText(job)
    return 0
}
