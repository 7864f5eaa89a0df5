// CopyObject's work request: GetWorkRequest as oci 2.189.0 sends it, the waiter's ends (COMPLETED, FAILED, the
// deadline), GetNamespace's optional compartment, a PAR's link, and --debug never showing a PAR's link.
import Foundation
import MediaKit
import Testing
import TestSupport

@Suite struct ObjectStorageWorkRequestTests {
    static let endpoint = RequestURL(scheme: "https", host: "objectstorage.us-ashburn-1.oraclecloud.com", port: nil, path: "/", query: nil)

    static func workRequest(_ status: String, percent: Int) -> HTTPResponse {
        HTTPResponse(status: 200, headers: [("content-type", "application/json")],
                     body: Data("{\"id\": \"ocid1.objectstorageworkrequest.oc1.iad.w1\", \"operationType\": \"COPY_OBJECT\", \"status\": \"\(status)\", \"percentComplete\": \(percent)}".utf8))
    }

    /// A clock whose sleeps only move its own time forward.
    final class TestClock: @unchecked Sendable {
        let lock = NSLock()
        var now = Date(timeIntervalSince1970: 1_800_000_000)
        var slept: [Double] = []
        var clock: Clock {
            Clock(now: { self.lock.withLock { self.now } },
                  sleep: { s in self.lock.withLock { self.slept.append(s); self.now += s }; return true })
        }
    }

    @Test func getWorkRequestIsTheSDKsGetOnTheBareEndpoint() throws {
        let transport = RecordingTransport(responses: [Self.workRequest("IN_PROGRESS", percent: 40)])
        let client = ObjectStorageClient(transport: transport, endpoint: Self.endpoint, requestID: { "R" })
        let request = try client.getWorkRequest(id: "ocid1.objectstorageworkrequest.oc1.iad.w1")
        #expect(request.status == "IN_PROGRESS")
        #expect(request.percentComplete == 40)
        #expect(request.operationType == "COPY_OBJECT")
        let sent = try #require(transport.requests.first)
        #expect(sent.method == "GET")
        #expect(sent.url.description == "https://objectstorage.us-ashburn-1.oraclecloud.com/workRequests/ocid1.objectstorageworkrequest.oc1.iad.w1")
        #expect(sent.header("opc-request-id") == "R")
        #expect(sent.header("accept") == "application/json")
    }

    @Test func theWaiterPollsWithBackoffUntilCompleted() throws {
        let transport = RecordingTransport(responses: [Self.workRequest("ACCEPTED", percent: 0), Self.workRequest("IN_PROGRESS", percent: 50),
                                                       Self.workRequest("COMPLETED", percent: 100)])
        let client = ObjectStorageClient(transport: transport, endpoint: Self.endpoint)
        let clock = TestClock()
        var seen: [String] = []
        let done = try client.waitForWorkRequest(id: "w1", timeout: 60, clock: clock.clock) { seen.append($0.status ?? "") }
        #expect(done.status == "COMPLETED")
        #expect(seen == ["ACCEPTED", "IN_PROGRESS", "COMPLETED"])
        #expect(clock.slept == [1, 2])
    }

    @Test func aFailedCopyIsAnOperationFailure() {
        let transport = RecordingTransport(responses: [Self.workRequest("FAILED", percent: 10)])
        let client = ObjectStorageClient(transport: transport, endpoint: Self.endpoint)
        #expect(throws: MediaError.operationFailed("work request w1 FAILED")) {
            try client.waitForWorkRequest(id: "w1", timeout: 60, clock: TestClock().clock)
        }
    }

    @Test func theDeadlineLeavesTheCopyPending() {
        let transport = RecordingTransport(responses: [Self.workRequest("IN_PROGRESS", percent: 10)])
        let client = ObjectStorageClient(transport: transport, endpoint: Self.endpoint)
        do {
            _ = try client.waitForWorkRequest(id: "w1", timeout: 5, clock: TestClock().clock)
            Issue.record("the wait returned")
        } catch {
            guard case let .stillPending(text) = error else { Issue.record("\(error)"); return }
            #expect(text.hasPrefix("work request w1 is still IN_PROGRESS after 5 s"))
        }
    }

    @Test func getNamespaceSendsTheCompartmentOnlyWhenGiven() throws {
        let answer = HTTPResponse(status: 200, headers: [], body: Data("\"tenancyns\"".utf8))
        let transport = RecordingTransport(responses: [answer])
        let client = ObjectStorageClient(transport: transport, endpoint: Self.endpoint)
        #expect(try client.namespace() == "tenancyns")
        #expect(try client.namespace(compartmentID: "ocid1.compartment.oc1..c") == "tenancyns")
        #expect(transport.requests.map(\.url.description) == ["https://objectstorage.us-ashburn-1.oraclecloud.com/n",
                                                               "https://objectstorage.us-ashburn-1.oraclecloud.com/n?compartmentId=ocid1.compartment.oc1..c"])
    }

    @Test func aPARsLinkIsTheEndpointAndItsAccessURI() {
        let client = ObjectStorageClient(transport: RecordingTransport(responses: []), endpoint: Self.endpoint)
        #expect(client.accessURL(accessURI: "/p/tok/n/ns/b/media/o/clip.mp4", namespace: "ns")
            == "https://objectstorage.us-ashburn-1.oraclecloud.com/p/tok/n/ns/b/media/o/clip.mp4")
        #expect(client.accessURL(accessURI: "https://elsewhere.example/p/x", namespace: "ns") == "https://elsewhere.example/p/x")
        // A realm-specific template: the link is on the namespace's own host, as every call naming it.
        let templated = ObjectStorageClient(transport: RecordingTransport(responses: []), endpoint: Self.endpoint, namespacedEndpoint: { ns in
            RequestURL(scheme: "https", host: "\(ns).objectstorage.us-ashburn-1.oci.customer-oci.com", port: nil, path: "/", query: nil)
        })
        #expect(templated.accessURL(accessURI: "/p/tok/n/ns/b/media/o/", namespace: "ns")
            == "https://ns.objectstorage.us-ashburn-1.oci.customer-oci.com/p/tok/n/ns/b/media/o/")
    }

    @Test func debugLogsNeverShowAPARsLink() {
        let body = Data(#"{"id":"par1","name":"share","accessUri":"/p/SECRET-TOKEN/n/ns/b/media/o/clip.mp4","fullPath":"https://h/p/SECRET-TOKEN/n/ns/b/media/o/clip.mp4","accessType":"ObjectRead"}"#.utf8)
        let logged = Redactor.body(body)
        #expect(!logged.contains("SECRET-TOKEN"), "\(logged)")
        #expect(logged.contains("\"accessType\":\"ObjectRead\""), "\(logged)")
        #expect(logged.contains("\"accessUri\":\"[REDACTED]\""), "\(logged)")
    }
}
