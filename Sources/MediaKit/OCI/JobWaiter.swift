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
    /// `.stillPending` at the deadline. `onPoll` sees every state read. `id` (the job polled) lets an interrupt during
    /// the first poll say which job runs on; after a poll the job's own id does.
    public func wait(id: String? = nil, timeout: Double, poll: () throws(MediaError) -> Resource,
                     onPoll: (Resource) -> Void = { _ in }) throws(MediaError) -> Resource {
        let deadline = clock.now().addingTimeInterval(timeout)
        var n = 0
        var known = id
        while true {
            let job: Resource
            do throws(MediaError) { job = try poll() } catch {
                // Ctrl-C during a status read: the job runs on all the same, and that is what the person needs to hear.
                if case .cancelled = error, let known { throw .cancelled(Self.interruptedText(job: known)) }
                throw error
            }
            known = job.id
            onPoll(job)
            let state = job.lifecycleState ?? "UNKNOWN"
            if state == "SUCCEEDED" { return job }
            if JobState.terminal.contains(state) { throw .operationFailed(Self.failureText(job)) }
            let left = deadline.timeIntervalSince(clock.now())
            if left <= 0 {
                throw .stillPending("job \(job.id) is still \(state) after \(Int(timeout)) s; not waiting longer (raise --timeout, or check later with `mediactl job get \(job.id)`)")
            }
            guard clock.sleep(min(delay(afterPoll: n), left)) else { throw .cancelled(Self.interruptedText(job: job.id)) }
            n += 1
        }
    }

    /// What a Ctrl-C during a job wait leaves behind: the job, running on at the service, how to look at it and how
    /// to stop it (DeleteMediaWorkflowJob cancels a running job: CANCELING, then CANCELED).
    public static func interruptedText(job id: String, label: String = "job") -> String {
        "interrupted while waiting for \(label) \(id): it keeps running at the service; check it with `mediactl job get \(id)`, "
            + "stop it with `mediactl job delete \(id)`"
    }

    /// What a Ctrl-C during `--wait-for-state` leaves behind: the resource, whose operation goes on at the service,
    /// and the command that shows it. A job's wait says how to stop it too.
    public static func interruptedText(kind: ResourceKind, id: String, waitingFor wanted: String) -> String {
        if kind == .job { return interruptedText(job: id) + " (waiting for \(wanted))" }
        return "interrupted while waiting for \(kind.noun) \(id) to be \(wanted): the operation goes on at the service; "
            + "check it with `mediactl \(kind.rawValue) get \(id)`"
    }

    /// `job X FAILED in task transcode: first cause` (the one-line error); `JobReport.failedTaskLines` has the rest.
    public static func failureText(_ job: Resource) -> String { JobReport(job).failureSummary }
}

/// What a person wants to see of a job while it runs and when it ends: which task is running, how far it got,
/// and, when it fails, one line per failed task with its first cause (canceled follow-ons summarised).
public struct JobReport: Sendable {
    public let job: Resource

    public init(_ job: Resource) { self.job = job }

    /// Tasks that ended (succeeded, skipped, failed, canceled) and how many there are.
    public var progress: (done: Int, total: Int) {
        let tasks = job.tasks
        return (tasks.filter { $0.state?.isTerminal == true }.count, tasks.count)
    }

    /// The task running now (the first one in progress, else the first not ended).
    public var currentTask: JobTask? {
        let tasks = job.tasks
        return tasks.first { $0.state == .inProgress } ?? tasks.first { $0.state?.isTerminal != true }
    }

    /// `transcode ▸ 2/6` while tasks run; the job's state alone before the service lists any.
    public var progressText: String {
        let (done, total) = progress
        guard total > 0 else { return "no tasks yet" }
        guard let task = currentTask else { return "\(done)/\(total)" }
        return "\(task.key ?? "?") ▸ \(done)/\(total)"
    }

    /// A key that changes whenever any task's state does (the non-terminal display prints one line per change).
    public var stateKey: String {
        ([job.lifecycleState ?? ""] + job.tasks.map { "\($0.key ?? "?")=\($0.state?.rawValue ?? "")" }).joined(separator: ",")
    }

    /// The first cause of a details text: its first line, and of that the part before a repeated "; ".
    static func firstCause(_ details: String?) -> String? {
        guard let details else { return nil }
        let line = details.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? ""
        let first = line.split(separator: "; ", maxSplits: 1).first.map(String.init) ?? line
        let trimmed = first.trimming(.whitespaces)
        return trimmed.isEmpty ? nil : trimmed
    }

    var failedTasks: [JobTask] { job.tasks.filter { $0.state == .failed || $0.state == .rejected } }

    /// One line: the job, how it ended, the first failed task and its first cause (the cause once, not twice).
    public var failureSummary: String {
        var text = "job \(job.id) \(job.lifecycleState ?? "ended")"
        if let task = failedTasks.first {
            text += " in task \(task.key ?? "?")"
            if let cause = Self.firstCause(task.details) ?? Self.firstCause(job.lifecycleDetails) { text += ": \(cause)" }
        } else if let cause = Self.firstCause(job.lifecycleDetails) {
            text += ": \(cause)"
        }
        return text
    }

    /// After the summary: each further failed task with its first cause, then the canceled follow-ons in one line.
    public var failedTaskLines: [String] {
        var lines = failedTasks.dropFirst().map { task in
            "  task \(task.key ?? "?") \(task.state?.rawValue ?? "FAILED")" + (Self.firstCause(task.details).map { ": \($0)" } ?? "")
        }
        let canceled = job.tasks.filter { $0.state == .canceled || $0.state == .canceling }.compactMap(\.key)
        if !canceled.isEmpty {
            lines.append("  \(canceled.count) follow-on task\(canceled.count == 1 ? "" : "s") canceled: \(canceled.joined(separator: ", "))")
        }
        return lines
    }
}

extension JobWaiter {
    /// `--wait-for-state`: polls with the same backoff until the resource is in one of `states`. `poll` returns nil
    /// when the resource is gone (404), which counts as DELETED (the service forgets deleted resources). Stops early,
    /// with `.operationFailed`, on a state nothing leaves (FAILED, REJECTED, CANCELED, DELETED, or gone) that was not
    /// asked for; throws `.stillPending` at the deadline. Returns the last resource read (nil when gone).
    /// `kind` and `id` name the resource when an interrupt stops the wait (`interruptedText(kind:id:waitingFor:)`).
    public func wait(for states: [LifecycleState], timeout: Double, label: String, kind: ResourceKind? = nil, id: String? = nil,
                     poll: () throws(MediaError) -> Resource?, onPoll: (Resource?) -> Void = { _ in }) throws(MediaError) -> Resource? {
        let wanted = states.map(\.rawValue).joined(separator: " or ")
        let interrupted = { () -> String in
            guard let kind, let id else { return "interrupted while waiting for \(label) to be \(wanted) (the operation goes on at the service)" }
            return Self.interruptedText(kind: kind, id: id, waitingFor: wanted)
        }
        let deadline = clock.now().addingTimeInterval(timeout)
        var n = 0
        while true {
            let resource: Resource?
            do throws(MediaError) { resource = try poll() } catch {
                if case .cancelled = error { throw .cancelled(interrupted()) }
                throw error
            }
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
            guard clock.sleep(min(delay(afterPoll: n), left)) else { throw .cancelled(interrupted()) }
            n += 1
        }
    }
}
