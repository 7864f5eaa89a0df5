// Fault injection: rules that make the next N calls of an operation fail (status, Retry-After), slow down, or lose their connection; the rule documents, which may also script a simulated job's failure (JobFaults.swift).
import EmulatorCore
import Foundation
import MediaKit

/// One rule, as posted to `POST /_emulator/faults` or given with `--fault JSON`:
/// `{"operation": "POST /20211101/mediaWorkflows", "status": 503, "count": 2, "retryAfter": 1}`,
/// `{"operation": "*", "latencyMs": 200}`, `{"operation": "GET /20211101/mediaWorkflowJobs/*", "dropConnection": true, "count": 1}`.
public struct FaultRule: Sendable, Equatable {
    /// `METHOD /path`; a trailing `*` on the path matches any rest, a lone `*` every call, and the method may be `*`.
    public var operation: String
    /// The status to answer instead of handling the call (429, 500, 503, ...); nil = handle it (after any latency).
    public var status: Int?
    /// How many matching calls this rule affects; nil = every call until the rules are cleared.
    public var remaining: Int?
    public var retryAfter: Int?
    public var latencyMilliseconds: Int
    public var dropConnection: Bool
    /// Handle the call, then fail or drop its answer: a lost response, which a client's retry with the
    /// same `opc-retry-token` must not turn into a second resource.
    public var afterHandling: Bool

    public init(operation: String, status: Int? = nil, count: Int? = nil, retryAfter: Int? = nil,
                latencyMilliseconds: Int = 0, dropConnection: Bool = false, afterHandling: Bool = false) {
        self.operation = operation
        self.status = status
        self.remaining = count
        self.retryAfter = retryAfter
        self.latencyMilliseconds = latencyMilliseconds
        self.dropConnection = dropConnection
        self.afterHandling = afterHandling
    }

    /// Parses and checks a rule document; the message names the bad field.
    public init(json: JSONValue) throws(FaultRuleError) {
        guard json.isObject else { throw FaultRuleError("a fault rule must be a JSON object") }
        guard let operation = json["operation"]?.stringValue, !operation.isEmpty else {
            throw FaultRuleError("'operation' is required: \"METHOD /path\" (a trailing * matches any rest), or \"*\"")
        }
        if operation != "*" {
            let parts = operation.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count == 2, parts[1].hasPrefix("/") || parts[1] == "*" else {
                throw FaultRuleError("'operation' must look like \"POST /20211101/mediaWorkflows\", got \"\(operation)\"")
            }
        }
        func int(_ key: String, _ range: ClosedRange<Int>) throws(FaultRuleError) -> Int? {
            guard let v = json[key], v != .null else { return nil }
            guard let n = v.intValue, range.contains(n) else {
                throw FaultRuleError("'\(key)' must be an integer from \(range.lowerBound) to \(range.upperBound)")
            }
            return n
        }
        let status = try int("status", 400...599)
        let count = try int("count", 1...1_000_000)
        let retryAfter = try int("retryAfter", 0...3600)
        let latency = try int("latencyMs", 0...600_000) ?? 0
        func bool(_ key: String) throws(FaultRuleError) -> Bool {
            guard let v = json[key], v != .null else { return false }
            guard let b = v.boolValue else { throw FaultRuleError("'\(key)' must be true or false") }
            return b
        }
        let drop = try bool("dropConnection")
        let after = try bool("afterHandling")
        guard status != nil || latency > 0 || drop else {
            throw FaultRuleError("a fault rule needs at least one of 'status', 'latencyMs', 'dropConnection'")
        }
        self.init(operation: operation, status: status, count: count, retryAfter: retryAfter,
                  latencyMilliseconds: latency, dropConnection: drop, afterHandling: after)
    }

    public var json: JSONValue {
        var doc: JSONValue = ["operation": .string(operation)]
        if let status { doc.set("status", .int(status)) }
        if let remaining { doc.set("count", .int(remaining)) }
        if let retryAfter { doc.set("retryAfter", .int(retryAfter)) }
        if latencyMilliseconds > 0 { doc.set("latencyMs", .int(latencyMilliseconds)) }
        if dropConnection { doc.set("dropConnection", true) }
        if afterHandling { doc.set("afterHandling", true) }
        return doc
    }

    func matches(method: String, path: String) -> Bool {
        if operation == "*" { return true }
        let parts = operation.split(separator: " ", maxSplits: 1)
        guard parts.count == 2 else { return false }
        let (m, p) = (parts[0], parts[1])
        guard m == "*" || m.uppercased() == method.uppercased() else { return false }
        if p.hasSuffix("*") { return path.hasPrefix(p.dropLast()) }
        return path == p
    }
}

/// One rule document as posted to `POST /_emulator/faults` or given with `--fault`: a rule for calls' answers
/// (`operation`), or a scripted failure of simulated jobs (`job`, `task` or `ingest`; docs/emulator.md):
/// `{"job": "nightly", "task": "transcode", "message": "input could not be decoded", "count": 1}`,
/// `{"ingest": "failover-demo/master.m3u8", "message": "not a valid HLS master playlist"}`.
public enum EmulatorFault: Sendable, Equatable {
    case call(FaultRule)
    case job(JobFaultRule)

    static let jobRuleFields = ["job", "task", "ingest", "message", "count"]

    public init(json: JSONValue) throws(FaultRuleError) {
        guard let members = json.objectValue else { throw FaultRuleError("a fault rule must be a JSON object") }
        let present = Set(members.filter { $0.1 != .null }.map { $0.0 })
        guard !present.isDisjoint(with: ["job", "task", "ingest"]) else {
            guard present.contains("operation") else {
                throw FaultRuleError("a fault rule needs 'operation' (\"METHOD /path\": that call's answer fails), or 'job', 'task' "
                    + "or 'ingest' (that simulated job fails)")
            }
            self = .call(try FaultRule(json: json))
            return
        }
        if let other = members.map({ $0.0 }).first(where: { !Self.jobRuleFields.contains($0) }) {
            throw FaultRuleError("'\(other)' does not apply to a job rule ('job', 'task' or 'ingest' with 'message' and 'count')")
        }
        func string(_ key: String) throws(FaultRuleError) -> String? {
            guard let v = json[key], v != .null else { return nil }
            guard let s = v.stringValue, !s.isEmpty else { throw FaultRuleError("'\(key)' must be a non-empty string") }
            return s
        }
        let message = try string("message")
        var count: Int?
        if let v = json["count"], v != .null {
            guard let n = v.intValue, (1...1_000_000).contains(n) else { throw FaultRuleError("'count' must be an integer from 1 to 1000000") }
            count = n
        }
        if let ingest = try string("ingest") {
            guard !present.contains("job"), !present.contains("task") else {
                throw FaultRuleError("'ingest' names an ingest job: give it without 'job' or 'task'")
            }
            self = .job(JobFaultRule(target: .ingest(ingest), message: message, count: count))
        } else {
            self = .job(JobFaultRule(target: .job(try string("job"), task: try string("task")), message: message, count: count))
        }
    }
}

public struct FaultRuleError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// What to do with one call.
public struct FaultDecision: Sendable, Equatable {
    public var delayMilliseconds = 0
    public var dropConnection = false
    /// A canned failure to send instead of handling the call, and its Retry-After seconds.
    public var failureStatus: Int?
    public var retryAfter: Int?
    /// The call is handled first; only its answer is replaced (or dropped).
    public var afterHandling = false

    public static let none = FaultDecision()
}

/// The active rules. Each call consults them once: every matching rule adds its latency; the first
/// matching rule that fails or drops decides the outcome and uses up one of its count.
public final class FaultInjector: @unchecked Sendable {
    // @unchecked: `rules` is only touched under `lock`.
    private let lock = NSLock()
    private var rules: [FaultRule] = []

    public init(rules: [FaultRule] = []) { self.rules = rules }

    public func add(_ rule: FaultRule) { lock.withLock { rules.append(rule) } }
    public func clear() { lock.withLock { rules.removeAll() } }
    public var active: [FaultRule] { lock.withLock { rules } }

    public func decide(method: String, path: String) -> FaultDecision {
        lock.withLock {
            var decision = FaultDecision()
            var decided = false
            for i in rules.indices where rules[i].matches(method: method, path: path) {
                let rule = rules[i]
                let failing = rule.status != nil || rule.dropConnection
                if failing && decided { continue }
                decision.delayMilliseconds += rule.latencyMilliseconds
                if failing {
                    decided = true
                    decision.afterHandling = rule.afterHandling
                    if rule.dropConnection { decision.dropConnection = true }
                    else if let status = rule.status {
                        decision.failureStatus = status
                        decision.retryAfter = rule.retryAfter
                    }
                }
                if let n = rule.remaining { rules[i].remaining = n - 1 }
            }
            rules.removeAll { ($0.remaining ?? 1) <= 0 }
            return decision
        }
    }

    /// The OCI error body for an injected status, as the service words its throttling and outages.
    public static func errorBody(status: Int) -> JSONValue {
        let code: String
        switch status {
        case 429: code = "TooManyRequests"
        case 500: code = "InternalServerError"
        case 502: code = "BadGateway"
        case 503: code = "ServiceUnavailable"
        case 504: code = "GatewayTimeout"
        case 409: code = "IncorrectState"
        default: code = "InjectedFault"
        }
        return ["code": .string(code), "message": .string("Injected by the emulator's fault injection (HTTP \(status)).")]
    }
}
