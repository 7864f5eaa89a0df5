// The library's errors: a small set of named cases a caller can switch on, each with a message a
// user can act on. The CLI maps each case to one exit code (Sources/mediactl/CLI/ExitCode.swift).

/// What a service said when it refused a call (OCI's `{code, message}` body, or OpenTok's `message`).
public struct ServiceFailure: Error, Equatable, Sendable {
    public var status: Int
    public var code: String
    public var message: String
    public var requestID: String?
    public var method: String
    public var url: String

    public init(status: Int, code: String, message: String, requestID: String?, method: String, url: String) {
        self.status = status
        self.code = code
        self.message = message
        self.requestID = requestID
        self.method = method
        self.url = url
    }

    /// One line: status, code, message, then the request and its opc-request-id.
    public var summary: String {
        var line = "\(status) \(code): \(message) (\(method) \(url)"
        if let requestID, !requestID.isEmpty { line += ", opc-request-id: \(requestID)" }
        return line + ")"
    }
}

public enum MediaError: Error, Equatable, Sendable {
    /// Input that cannot be sent: a flag, field or document is wrong. The message names it.
    case usage(String)
    /// The config file, profile, key file or defaults are missing or wrong.
    case config(String)
    /// Credentials are missing, unusable or were refused (HTTP 401/403).
    case auth(String, ServiceFailure?)
    case notFound(ServiceFailure)
    /// 409/412: the resource is in the wrong state, or already exists.
    case conflict(ServiceFailure)
    /// Any other refusal from the service (400, 429 after retries, 5xx).
    case service(ServiceFailure)
    /// The connection failed, or the response could not be read.
    case network(String)
    /// Nothing listens at a loopback address (connection refused): not retried, since no wait brings a stopped
    /// local server (the emulator) back, and nothing was sent.
    case unreachable(String)
    case timeout(String)
    /// An answer larger than the transport's cap: refused, and not retried (a repeat would fetch it again).
    case tooLarge(String)
    case cancelled(String)
    /// A job or ingest reached a terminal state other than success.
    case operationFailed(String)
    /// A wait gave up while the operation was still running.
    case stillPending(String)
    /// A person declined: Ctrl-D at a prompt, or "no" to a confirmation. Nothing was sent.
    case declined
    /// Anything else that stopped the work (e.g. a local process that is not there).
    case failed(String)
    /// An error already told to the user in its own words (e.g. one line per failed item of a batch): the caller
    /// prints nothing more and ends with the wrapped error's exit code.
    indirect case reported(MediaError)

    public var message: String {
        switch self {
        case let .usage(m), let .config(m), let .network(m), let .timeout(m), let .tooLarge(m), let .cancelled(m),
             let .operationFailed(m), let .stillPending(m), let .failed(m), let .unreachable(m):
            return m
        case .declined:
            return "Cancelled."
        case let .reported(inner):
            return inner.message
        case let .auth(m, failure):
            if let failure { return "\(m): \(failure.summary)" }
            return m
        case let .notFound(f), let .conflict(f), let .service(f):
            return f.summary
        }
    }

    /// Classifies a refusal by HTTP status, as the error classes in the docs describe.
    public static func from(_ failure: ServiceFailure) -> MediaError {
        switch failure.status {
        case 401: return .auth("not authenticated (check the key, fingerprint, clock and token)", failure)
        case 403: return .auth("not authorized", failure)
        case 404: return .notFound(failure)
        case 409, 412: return .conflict(failure)
        default: return .service(failure)
        }
    }
}
