// The exit codes, in one table that the docs and the tests read.
import MediaKit

enum ExitCode: Int32, CaseIterable, Sendable {
    case ok = 0
    case error = 1
    case cancelled = 2
    case config = 3
    case auth = 4
    case notFound = 5
    case conflict = 6
    case network = 7
    case stillPending = 8
    case operationFailed = 9
    case usage = 64
    case interrupted = 130
    case terminated = 143

    var meaning: String {
        switch self {
        case .ok: "success"
        case .error: "the service refused the request (400, 429 or 5xx after retries), or another error"
        case .cancelled: "cancelled at a prompt (Ctrl-D)"
        case .config: "configuration problem: config file, profile, key file, pass phrase, fingerprint, region"
        case .auth: "authentication or authorization refused (HTTP 401/403), or credentials expired"
        case .notFound: "the resource does not exist or is not visible (HTTP 404)"
        case .conflict: "conflict or wrong state (HTTP 409/412), or the object is being uploaded by another mediactl process"
        case .network: "network failure or timeout: no usable response"
        case .stillPending: "a wait hit its --timeout (or --wait-for-state its --max-wait-seconds) while the job or resource was still pending"
        case .operationFailed: "the job or ingest ended FAILED, CANCELED or REJECTED (or, under --wait-for-state, the resource reached such a state or was deleted)"
        case .usage: "bad command line or input document: nothing was sent"
        case .interrupted: "interrupted by Ctrl-C (SIGINT)"
        case .terminated: "terminated by SIGTERM"
        }
    }
}

/// The one error type, from MediaKit to the exit code: each case maps to one code here.
extension MediaError {
    var exitCode: ExitCode {
        switch self {
        case .usage: .usage
        case .config: .config
        case .auth: .auth
        case .notFound: .notFound
        case .conflict: .conflict
        case .service, .failed: .error
        case .network, .timeout, .tooLarge, .unreachable: .network
        case .cancelled: Interruption.signal.load(ordering: .relaxed) == 15 ? .terminated : .interrupted
        case .operationFailed: .operationFailed
        case .stillPending: .stillPending
        case .declined: .cancelled
        case let .reported(inner): inner.exitCode
        }
    }

    /// A line after the error saying what to do, in the CLI's words (MediaKit's messages name no command).
    var hint: String? {
        switch self {
        case .unreachable:
            "nothing answers at that local address: start the emulator with `eval \"$(mediactl emulator start)\"` "
                + "(it keeps its previous port when free), or check --endpoint / MEDIACTL_ENDPOINT"
        default: nil
        }
    }

    /// The `error:` line the runner prints: nil when the error was already told (`reported`) or a person declined
    /// (`declinedLine` says "Cancelled." instead: it is not an error).
    var reportLine: String? {
        switch self {
        case .reported, .declined: nil
        default: message
        }
    }

    /// What a declined prompt or confirmation prints: "Cancelled.", on stderr, as a plain line.
    var declinedLine: String? { if case .declined = self { "Cancelled." } else { nil } }
}
