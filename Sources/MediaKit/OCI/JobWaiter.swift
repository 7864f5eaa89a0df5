// Waits for a media workflow job (or an ingest job) to end: polls with backoff, stops on every
// terminal state, and gives up at a deadline (protocols.md §8 G1).
import FoundationEssentials
import Glibc

public enum JobState {
    public static let terminal: Set<String> = ["SUCCEEDED", "FAILED", "REJECTED", "CANCELED"]
}

public struct JobWaiter: Sendable {
    public var firstDelay: Double = 1
    public var growth: Double = 2
    public var maxDelay: Double = 10
    let clock: Clock

    /// 1, 2, 4, 8, then every 10 s: a 30 s ingest costs 7 calls (12 a minute), not the lab's 300.
    public init(clock: Clock = .system, firstDelay: Double = 1, growth: Double = 2, maxDelay: Double = 10) {
        self.clock = clock
        self.firstDelay = firstDelay
        self.growth = growth
        self.maxDelay = maxDelay
    }

    /// The poll delays: about 1 s at first, growing to at most 10 s.
    public func delay(afterPoll n: Int) -> Double { min(firstDelay * pow(growth, Double(n)), maxDelay) }

    /// Returns the job when it SUCCEEDED; throws `.operationFailed` for FAILED/REJECTED/CANCELED and
    /// `.stillPending` at the deadline. `onPoll` sees every state read.
    public func wait(timeout: Double, poll: () throws(MediaError) -> Resource,
                     onPoll: (Resource) -> Void = { _ in }) throws(MediaError) -> Resource {
        let deadline = clock.now().addingTimeInterval(timeout)
        var n = 0
        while true {
            let job = try poll()
            onPoll(job)
            let state = job.lifecycleState ?? "UNKNOWN"
            if state == "SUCCEEDED" { return job }
            if JobState.terminal.contains(state) { throw .operationFailed(Self.failureText(job)) }
            let left = deadline.timeIntervalSince(clock.now())
            if left <= 0 {
                throw .stillPending("job \(job.id) is still \(state) after \(Int(timeout)) s; not waiting longer (raise --timeout, or check later with `mediactl job get \(job.id)`)")
            }
            guard clock.sleep(min(delay(afterPoll: n), left)) else {
                throw .cancelled("interrupted while waiting for job \(job.id) (it keeps running; check it with `mediactl job get \(job.id)`)")
            }
            n += 1
        }
    }

    /// `job X FAILED: details; task transcode FAILED: reason`.
    public static func failureText(_ job: Resource) -> String {
        var text = "job \(job.id) \(job.lifecycleState ?? "ended")"
        if let d = job.lifecycleDetails, !d.isEmpty { text += ": \(d)" }
        for task in job.json["taskLifecycleState"]?.arrayValue ?? [] {
            let state = task["lifecycleState"]?.stringValue ?? ""
            guard state != "SUCCEEDED", state != "SKIPPED", !state.isEmpty else { continue }
            text += "; task \(task["key"]?.stringValue ?? "?") \(state)"
            if let d = task["lifecycleDetails"]?.stringValue, !d.isEmpty { text += ": \(d)" }
        }
        return text
    }
}

extension JobWaiter {
    /// `--wait-for-state`: polls with the same backoff until the resource is in one of `states`. `poll` returns nil
    /// when the resource is gone (404), which counts as DELETED (the service forgets deleted resources). Stops early,
    /// with `.operationFailed`, on a state nothing leaves (FAILED, REJECTED, CANCELED, DELETED, or gone) that was not
    /// asked for; throws `.stillPending` at the deadline. Returns the last resource read (nil when gone).
    public func wait(for states: [LifecycleState], timeout: Double, label: String, poll: () throws(MediaError) -> Resource?,
                     onPoll: (Resource?) -> Void = { _ in }) throws(MediaError) -> Resource? {
        let wanted = states.map(\.rawValue).joined(separator: " or ")
        let deadline = clock.now().addingTimeInterval(timeout)
        var n = 0
        while true {
            let resource = try poll()
            onPoll(resource)
            let state = resource?.state ?? .deleted
            if states.contains(state) { return resource }
            switch state {
            case .failed, .rejected, .canceled, .deleted:
                let now = resource == nil ? "no longer exists" : "is \(state)"
                throw .operationFailed("\(label) \(now), not \(wanted)\(resource?.lifecycleDetails.map { ": \($0)" } ?? "")")
            default: break
            }
            let left = deadline.timeIntervalSince(clock.now())
            if left <= 0 {
                throw .stillPending("\(label) is still \(state) after \(Int(timeout)) s, not \(wanted); not waiting longer (raise --max-wait-seconds)")
            }
            guard clock.sleep(min(delay(afterPoll: n), left)) else {
                throw .cancelled("interrupted while waiting for \(label) to be \(wanted)")
            }
            n += 1
        }
    }
}
