// Layers around a transport: signing (fresh date per attempt), retries, and redacted debug logging.
import FoundationEssentials
import Glibc

/// Injected time, so retries and waits are exact in tests.
public struct Clock: Sendable {
    public var now: @Sendable () -> Date
    /// Sleeps; returns false when interrupted (Ctrl-C) before the time was up.
    public var sleep: @Sendable (Double) -> Bool

    public init(now: @escaping @Sendable () -> Date, sleep: @escaping @Sendable (Double) -> Bool) {
        self.now = now
        self.sleep = sleep
    }

    public static let system = Clock(now: { Date() }, sleep: { seconds in
        var left = seconds
        while left > 0 {
            if Interruption.isRequested { return false }
            let step = min(left, 0.05)
            usleep(useconds_t(step * 1_000_000))
            left -= step
        }
        return !Interruption.isRequested
    })
}

/// Signs each attempt just before it is sent; resends once after a 401 when the signer can refresh.
public struct SigningTransport: HTTPTransport {
    let inner: any HTTPTransport
    let signer: any OCISigner
    let clock: Clock

    public init(inner: any HTTPTransport, signer: any OCISigner, clock: Clock = .system) {
        self.inner = inner
        self.signer = signer
        self.clock = clock
    }

    public func send(_ request: HTTPRequest) throws(MediaError) -> HTTPResponse {
        var signed = request
        try signer.sign(&signed, now: clock.now())
        let response = try inner.send(signed)
        if response.status == 401, signer.refreshAfterUnauthorized() {
            var again = request
            try signer.sign(&again, now: clock.now())
            return try inner.send(again)
        }
        return response
    }
}

/// The OCI SDKs' default retry strategy (protocols.md §5.5), honouring Retry-After.
public struct RetryPolicy: Sendable, Equatable {
    public var maxAttempts: Int
    public var maxElapsed: Double
    public var baseDelay: Double
    public var maxDelay: Double

    public init(maxAttempts: Int = 8, maxElapsed: Double = 600, baseDelay: Double = 1, maxDelay: Double = 30) {
        self.maxAttempts = maxAttempts
        self.maxElapsed = maxElapsed
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    public static let none = RetryPolicy(maxAttempts: 1)

    /// 429, 409 IncorrectState/LockConflict, and every 5xx but 501 are retried; all else is final.
    public func isRetryable(status: Int, code: String?) -> Bool {
        if status == 429 { return true }
        if status == 409 { return code == "IncorrectState" || code == "LockConflict" }
        return status >= 500 && status != 501
    }

    /// Delay before retry `n` (1 after the first failure): min(base·2^(n−1) + jitter, max), or Retry-After.
    public func delay(retry n: Int, jitter: Double, retryAfter: Double?) -> Double {
        if let retryAfter, retryAfter >= 0 { return min(retryAfter, maxDelay) }
        return min(baseDelay * pow(2, Double(n - 1)) + jitter, maxDelay)
    }
}

public struct RetryingTransport: HTTPTransport {
    let inner: any HTTPTransport
    let policy: RetryPolicy
    let clock: Clock
    let jitter: @Sendable () -> Double
    /// Told about each retry (the CLI shows it with --debug).
    let onRetry: @Sendable (String) -> Void

    public init(inner: any HTTPTransport, policy: RetryPolicy, clock: Clock = .system,
                jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
                onRetry: @escaping @Sendable (String) -> Void = { _ in }) {
        self.inner = inner
        self.policy = policy
        self.clock = clock
        self.jitter = jitter
        self.onRetry = onRetry
    }

    public func send(_ request: HTTPRequest) throws(MediaError) -> HTTPResponse {
        let started = clock.now()
        var attempt = 1
        // Sends the transport made by itself (libcurl after a reused connection closed unanswered) are attempts too.
        let sends = SendCount()
        var counted = request
        let outer = request.onSend
        counted.onSend = { n in sends.record(n); outer?(n) }
        while true {
            sends.reset()
            // A re-send by the transport spends an attempt: none on the last one (--no-retry has only that one).
            counted.allowsTransportResend = request.transportMayResend && attempt < policy.maxAttempts
            let outcome: Result<HTTPResponse, MediaError>
            do { outcome = .success(try inner.send(counted)) } catch { outcome = .failure(error) }
            let extra = max(0, sends.value - 1)
            if extra > 0 {
                onRetry("\(request.method) \(request.url.path) was sent \(sends.value) times on attempt \(attempt): "
                        + "libcurl re-sent it after a reused connection closed without an answer")
                attempt += extra
            }

            var retryAfter: Double?
            let reason: String
            var quick = false
            switch outcome {
            case let .success(response):
                let code = OCIErrorBody.code(in: response.body)
                guard policy.isRetryable(status: response.status, code: code) else { return response }
                // A call that is not safe to repeat (an OpenTok archive start, a SIP dial: no retry token)
                // may have taken effect before a 5xx or 409; only a 429, which was refused unprocessed, is retried.
                guard request.isRetrySafe || response.status == 429 else { return response }
                retryAfter = response.header("retry-after").flatMap { Double($0.trimming(.whitespaces)) }
                reason = "HTTP \(response.status)\(code.map { " \($0)" } ?? "")"
                if attempt >= policy.maxAttempts { return response }
            case let .failure(error):
                switch error {
                case .network, .timeout:
                    guard request.isRetrySafe, attempt < policy.maxAttempts else { throw error }
                    reason = error.message
                case .unreachable:
                    // A refused loopback connection: a server starting up or briefly overloaded gets two quick tries;
                    // a stopped one (a restarted emulator's old port) fails in half a second, not after the whole budget.
                    guard request.isRetrySafe, attempt < min(policy.maxAttempts, 3) else { throw error }
                    reason = error.message
                    quick = true
                default: throw error
                }
            }
            let wait = quick ? 0.25 : policy.delay(retry: attempt, jitter: jitter(), retryAfter: retryAfter)
            let elapsed = clock.now().timeIntervalSince(started)
            if elapsed + wait > policy.maxElapsed {
                switch outcome {
                case let .success(response): return response
                case let .failure(error): throw error
                }
            }
            onRetry("retry \(attempt)/\(policy.maxAttempts - 1) of \(request.method) \(request.url.path) in \(String(cFormat: "%.1f", wait)) s after \(reason)")
            guard clock.sleep(wait) else { throw .cancelled("interrupted while waiting to retry \(request.method) \(request.url.path)") }
            attempt += 1
        }
    }
}

/// The sends of one attempt, told from the transport's thread.
final class SendCount: @unchecked Sendable {
    // @unchecked: `count` is only touched under `lock`.
    private let lock = Lock()
    private var count = 0
    func record(_ n: Int) { lock.withLock { count = max(count, n) } }
    func reset() { lock.withLock { count = 0 } }
    var value: Int { lock.withLock { count } }
}

/// Logs each request and response with every secret redacted (`--debug`).
public struct DebugLogTransport: HTTPTransport {
    let inner: any HTTPTransport
    let log: @Sendable (String) -> Void

    public init(inner: any HTTPTransport, log: @escaping @Sendable (String) -> Void) {
        self.inner = inner
        self.log = log
    }

    public func send(_ request: HTTPRequest) throws(MediaError) -> HTTPResponse {
        var lines = ["> \(request.method) \(Redactor.url(request.url.description))"]
        for (name, value) in request.headers { lines.append("> \(name): \(Redactor.header(name: name, value: value))") }
        if let file = request.bodyFile {
            lines.append("> [\(file.length) bytes streamed from \(file.path) at offset \(file.offset)]")
        } else if !request.body.isEmpty { lines.append("> " + Redactor.body(request.body)) }
        log(lines.joined(separator: "\n"))
        let started = Date()
        var observed = request
        let outer = request.onSend
        let log = self.log
        let what = "\(request.method) \(request.url.path)"
        observed.onSend = { n in
            if n > 1 { log("> sent again (send \(n)) by libcurl on a new connection: \(what)'s reused connection closed without an answer") }
            outer?(n)
        }
        do {
            let response = try inner.send(observed)
            var out = ["< HTTP \(response.status) (\(Int(Date().timeIntervalSince(started) * 1000)) ms)"]
            for (name, value) in response.headers { out.append("< \(name): \(Redactor.header(name: name, value: value))") }
            if let file = request.responseFile, response.isSuccess { out.append("< [body written to \(file)]") }
            else if !response.body.isEmpty { out.append("< " + Redactor.body(response.body)) }
            log(out.joined(separator: "\n"))
            return response
        } catch {
            log("< failed: \(error.message)")
            throw error
        }
    }
}

/// Removes secrets from what --debug shows: auth headers, tokens in URLs and JSON bodies, keys.
public enum Redactor {
    public static let secretHeaderNames: Set<String> = ["authorization", "x-opentok-auth", "x-tb-partner-auth", "cookie", "set-cookie", "proxy-authorization",
                                                           "opc-obo-token"]
    public static let secretFieldNames: Set<String> = ["token", "secret", "password", "passphrase", "pass_phrase", "privatekey", "private_key", "key_content", "apisecret", "api_secret", "sessiontoken", "authorization",
                                                          // instance-principal federation (/v1/x509) bodies
                                                          "certificate", "publickey", "intermediatecertificates",
                                                          // security-token refresh and the OKE proxymux exchange
                                                          "currenttoken", "podkey",
                                                          // resource principal v2.1.x token exchange
                                                          "resourceprincipaltoken", "serviceprincipalsessiontoken", "sessionpublickey"]

    public static func header(name: String, value: String) -> String {
        let n = name.lowercased()
        guard secretHeaderNames.contains(n) else { return value }
        if n == "authorization", value.hasPrefix("Signature ") {
            // Keep what helps debugging (algorithm, header list, API-key keyId); drop signature and tokens.
            var kept: [String] = []
            for part in value.dropFirst("Signature ".count).split(separator: ",") {
                if part.hasPrefix("signature=") { kept.append("signature=\"[REDACTED]\"") }
                else if part.hasPrefix("keyId=\"ST$") { kept.append("keyId=\"ST$[REDACTED]\"") }
                else { kept.append(String(part)) }
            }
            return "Signature " + kept.joined(separator: ",")
        }
        if let space = value.firstIndex(of: " "), value.hasPrefix("Bearer") { return value[..<space] + " [REDACTED]" }
        return "[REDACTED]"
    }

    public static func url(_ text: String) -> String {
        guard let q = text.firstIndex(of: "?") else { return text }
        let params = text[text.index(after: q)...].split(separator: "&").map { pair -> String in
            let name = pair.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
            return secretFieldNames.contains(name.lowercased()) ? "\(name)=[REDACTED]" : String(pair)
        }
        return text[...q] + params.joined(separator: "&")
    }

    public static func body(_ data: Data) -> String {
        // Object bytes and other binary bodies are never dumped, only sized.
        if isBinary(data) {
            return "[\(data.count) bytes of binary data]"
        }
        if let json = try? JSONParser.parse(data) { return redact(json).compactText.prefix(4000).description }
        let text = String(decoding: data.prefix(4000), as: UTF8.self)
        // Keys and certificates (the metadata service's identity/*.pem) never show, whatever their kind.
        if text.contains("-----BEGIN") { return "[REDACTED: \(data.count) bytes]" }
        // A bare JWT, or base64 of a JSON object (the OKE proxymux wraps its token so): both start with `eyJ`.
        if text.hasPrefix("eyJ") { return "[REDACTED: \(data.count) bytes]" }
        if text.contains("=") { return url("?" + text).dropFirst().description }  // form bodies
        return text
    }

    /// A NUL, or bytes that are not UTF-8 (a multi-byte character cut at the sample's end aside): object data, not text.
    static func isBinary(_ data: Data) -> Bool {
        let sample = data.prefix(4000)
        if sample.contains(0) { return true }
        return !(0...3).contains { cut in String(bytes: sample.dropLast(cut), encoding: .utf8) != nil }
    }

    public static func redact(_ value: JSONValue) -> JSONValue {
        switch value {
        case let .object(members):
            return .object(members.map { key, v in
                secretFieldNames.contains(key.lowercased()) && !v.isObject ? (key, .string("[REDACTED]")) : (key, redact(v))
            })
        case let .array(items): return .array(items.map(redact))
        case let .string(s) where s.contains("-----BEGIN"): return .string("[REDACTED]")
        default: return value
        }
    }
}
