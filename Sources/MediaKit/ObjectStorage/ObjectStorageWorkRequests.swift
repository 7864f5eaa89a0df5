// Object Storage work requests: CopyObject answers at once with a work request id and copies in the background;
// GetWorkRequest (`GET /workRequests/{id}`, oci 2.189.0 get_work_request) reports it, and the waiter polls it to an end.
import FoundationEssentials

/// A work request as received (`id`, `operationType`, `status`, `percentComplete`, `resources`, times).
public struct ObjectStorageWorkRequest: Sendable, Equatable {
    public let json: JSONValue
    public init(json: JSONValue) { self.json = json }

    public var id: String { json["id"]?.stringValue ?? "" }
    /// ACCEPTED, IN_PROGRESS, FAILED, COMPLETED, CANCELING, CANCELED (WorkRequest.status).
    public var status: String? { json["status"]?.stringValue }
    public var operationType: String? { json["operationType"]?.stringValue }
    public var percentComplete: Double? { if case let .number(n)? = json["percentComplete"] { return Double(n) }; return nil }

    /// The statuses after which a work request never changes.
    public static let terminal: Set<String> = ["COMPLETED", "FAILED", "CANCELED"]
}

extension ObjectStorageClient {
    /// GetWorkRequest: not under a namespace, so it goes to the service's bare endpoint.
    public func getWorkRequest(id: String) throws(MediaError) -> ObjectStorageWorkRequest {
        let reply = try core.json("GET", "/workRequests/\(Self.segment(id))")
        guard reply.json.isObject, reply.json["id"]?.stringValue?.isEmpty == false else {
            throw .network("GET /workRequests/\(id): the response is not a work request")
        }
        return ObjectStorageWorkRequest(json: reply.json)
    }

    /// Polls a work request with the job waiter's backoff until COMPLETED (returned); FAILED or CANCELED throw
    /// `.operationFailed`, the deadline `.stillPending`, an interrupted sleep `.cancelled`.
    public func waitForWorkRequest(id: String, timeout: Double, clock: Clock = .system,
                                   onPoll: (ObjectStorageWorkRequest) -> Void = { _ in }) throws(MediaError) -> ObjectStorageWorkRequest {
        let backoff = JobWaiter(clock: clock)
        let deadline = clock.now().addingTimeInterval(timeout)
        var n = 0
        while true {
            let request: ObjectStorageWorkRequest
            do throws(MediaError) { request = try getWorkRequest(id: id) } catch {
                if case .cancelled = error { throw .cancelled(Self.interruptedText(workRequest: id)) }
                throw error
            }
            onPoll(request)
            let status = request.status ?? "UNKNOWN"
            if status == "COMPLETED" { return request }
            if ObjectStorageWorkRequest.terminal.contains(status) { throw .operationFailed("work request \(id) \(status)") }
            let left = deadline.timeIntervalSince(clock.now())
            if left <= 0 {
                throw .stillPending("work request \(id) is still \(status) after \(Int(timeout)) s; not waiting longer (raise --timeout)")
            }
            guard clock.sleep(min(backoff.delay(afterPoll: n), left)) else {
                throw .cancelled(Self.interruptedText(workRequest: id))
            }
            n += 1
        }
    }

    /// What a Ctrl-C during the wait leaves behind: the work request, copying on at the service.
    public static func interruptedText(workRequest id: String) -> String {
        "interrupted while waiting for work request \(id): the copy goes on at the service"
    }
}
