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
        case .stillPending: "a wait hit its --timeout while the job was still running"
        case .operationFailed: "the job or ingest ended FAILED, CANCELED or REJECTED"
        case .usage: "bad command line or input document: nothing was sent"
        case .interrupted: "interrupted by Ctrl-C (SIGINT)"
        case .terminated: "terminated by SIGTERM"
        }
    }
}

/// Errors the CLI reports: the library's, plus command-line problems.
enum CLIError: Error {
    case usage(String)
    case media(MediaError)
    /// A clean stop with a code but no message (e.g. --help on a bad line already printed).
    case exit(ExitCode)

    var exitCode: ExitCode {
        switch self {
        case .usage: return .usage
        case let .exit(code): return code
        case let .media(error):
            switch error {
            case .usage: return .usage
            case .config: return .config
            case .auth: return .auth
            case .notFound: return .notFound
            case .conflict: return .conflict
            case .service: return .error
            case .network, .timeout, .tooLarge: return .network
            case .cancelled: return Interruption.signal.load(ordering: .relaxed) == 15 ? .terminated : .interrupted
            case .operationFailed: return .operationFailed
            case .stillPending: return .stillPending
            }
        }
    }

    var message: String? {
        switch self {
        case let .usage(m): return m
        case let .media(e): return e.message
        case .exit: return nil
        }
    }
}

extension MediaError {
    var cli: CLIError { .media(self) }
}
