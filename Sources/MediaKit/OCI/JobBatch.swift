// Many media workflow jobs from one file (users batch-process libraries of videos): the file's
// entries, and a submitter that creates them with a bounded number of worker threads.
import FoundationEssentials

/// One job to create: its parameters and where it came from in the file (1-based line, or array index + 1).
public struct JobBatchEntry: Sendable, Equatable {
    public let line: Int
    public let parameters: JSONValue

    public init(line: Int, parameters: JSONValue) {
        self.line = line
        self.parameters = parameters
    }
}

public enum JobBatchFile {
    /// A JSON array of job-parameter objects, or JSON lines (one object a line; blank lines skipped).
    /// Every entry must be an object of objects (`{"video": {...}}`); all problems are reported, by line.
    public static func entries(_ data: Data) throws(MediaError) -> [JobBatchEntry] {
        let firstByte = data.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        var entries: [JobBatchEntry] = []
        var problems: [String] = []
        if firstByte == UInt8(ascii: "[") {
            let doc: JSONValue
            do { doc = try JSONParser.parse(data) } catch { throw .usage("not a valid JSON array: \(error.description)") }
            for (i, item) in (doc.arrayValue ?? []).enumerated() {
                if let problem = problem(item) { problems.append("item \(i + 1): \(problem)") }
                else { entries.append(JobBatchEntry(line: i + 1, parameters: item)) }
            }
        } else {
            var number = 0
            for raw in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
                number += 1
                guard raw.contains(where: { ![0x20, 0x09, 0x0D].contains($0) }) else { continue }
                do {
                    let item = try JSONParser.parse(Data(raw))
                    if let problem = problem(item) { problems.append("line \(number): \(problem)") }
                    else { entries.append(JobBatchEntry(line: number, parameters: item)) }
                } catch {
                    problems.append("line \(number): not valid JSON: \(error.description)")
                }
            }
        }
        if !problems.isEmpty {
            let shown = problems.prefix(10).joined(separator: "; ")
            throw .usage(problems.count > 10 ? "\(shown); and \(problems.count - 10) more" : shown)
        }
        guard !entries.isEmpty else { throw .usage("no jobs in the file: expected JSON lines or a JSON array of objects such as {\"video\": {...}}") }
        return entries
    }

    /// Job parameters are an object whose values are objects (top key = group or task key).
    static func problem(_ item: JSONValue) -> String? {
        guard let groups = item.objectValue else { return "expected an object such as {\"video\": {...}}, got \(item.typeName)" }
        for (name, value) in groups where !value.isObject {
            return "/\(Pointer.escape(name)) must be an object of parameters, got \(value.typeName)"
        }
        return nil
    }
}

/// What happened to one entry.
public struct JobBatchResult: Sendable {
    public let entry: JobBatchEntry
    public let outcome: Result<Resource, MediaError>
}

/// Creates every entry's job against one workflow. Each worker thread owns one client (and so one
/// libcurl handle, which is not thread-safe); workers take the next entry until none are left, so
/// at most `clients.count` requests are in flight. Results come back in the file's order.
public struct JobBatchSubmitter: Sendable {
    public let workflowID: String
    public let compartmentID: String
    public let displayName: String?
    /// When set, the entry at line L is created with the opc-retry-token `prefix-L`: a rerun with the same
    /// prefix and file gets back the jobs already created instead of making them twice.
    public var retryTokenPrefix: String?

    public init(workflowID: String, compartmentID: String, displayName: String?) {
        self.workflowID = workflowID
        self.compartmentID = compartmentID
        self.displayName = displayName
    }

    public func submit(_ entries: [JobBatchEntry], clients: [MediaServicesClient],
                       onResult: @escaping @Sendable (JobBatchResult) -> Void = { _ in }) -> [JobBatchResult] {
        let board = ResultBoard(count: entries.count)
        let workers = Array(clients.prefix(max(1, entries.count)))
        runOnThreads(workers.count) { [self] worker in
            let client = workers[worker]
            while let index = board.next() {
                let entry = entries[index]
                let outcome: Result<Resource, MediaError>
                do throws(MediaError) {
                    let once = retryTokenPrefix.map { client.withRetryToken("\($0)-\(entry.line)") } ?? client
                    outcome = .success(try once.createJob(workflowID: workflowID, compartmentID: compartmentID,
                                                            displayName: displayName, parameters: entry.parameters))
                } catch {
                    outcome = .failure(error)
                }
                let result = JobBatchResult(entry: entry, outcome: outcome)
                board.store(result, at: index)
                onResult(result)
            }
        }
        return board.results
    }
}

/// The shared work queue and result slots of one batch.
private final class ResultBoard: @unchecked Sendable {
    // @unchecked: `nextIndex` and `slots` are only touched under `lock`.
    private let lock = Lock()
    private var nextIndex = 0
    private var slots: [JobBatchResult?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func next() -> Int? {
        lock.withLock {
            guard nextIndex < slots.count else { return nil }
            defer { nextIndex += 1 }
            return nextIndex
        }
    }

    func store(_ result: JobBatchResult, at index: Int) { lock.withLock { slots[index] = result } }

    var results: [JobBatchResult] { lock.withLock { slots.compactMap { $0 } } }
}
