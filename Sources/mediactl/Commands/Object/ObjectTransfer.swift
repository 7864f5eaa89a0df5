// A transfer's progress (bytes and rate on a terminal) and the upload id it recorded: what `object put|get` and `publish` show.
import FoundationEssentials
import MediaKit

/// The uploadId an upload recorded, told from the uploader.
final class RecordedUpload: @unchecked Sendable {
    private let lock = Lock()
    private var id: String?
    func set(_ value: String) { lock.withLock { id = value } }
    var value: String? { lock.withLock { id } }
}

/// Bytes and rate of a transfer: a live line on a terminal (the spinner), nothing in between otherwise.
final class TransferMeter: @unchecked Sendable {
    private let io: IOStreams
    private let spinner: Spinner
    private let verb: String
    private let label: String
    private let lock = Lock()
    private var total: Int64?
    private var done: Int64 = 0
    private var started: Date?
    private var finished: Date?
    private var lastDraw = Date.distantPast

    init(io: IOStreams, verb: String, label: String) {
        self.io = io
        self.verb = verb
        self.label = label
        spinner = Spinner(io: io)
    }

    func note(_ text: String) { io.progress("\(label): \(text)") }

    func start(total: Int64?) {
        lock.withLock { self.total = total; started = Date() }
        spinner.start("\(verb) \(label)")
    }

    func update(_ bytes: Int64) {
        let line: String? = lock.withLock {
            done = max(done, bytes)
            let now = Date()
            guard now.timeIntervalSince(lastDraw) >= 0.2 else { return nil }
            lastDraw = now
            let elapsed = max(0.001, now.timeIntervalSince(started ?? now))
            let of = total.map { " / \(Self.bytes($0))" } ?? ""
            return "\(verb) \(label): \(Self.bytes(done))\(of) (\(Self.bytes(Int64(Double(done) / elapsed)))/s)"
        }
        if let line, spinner.isActive { spinner.update(line) }
    }

    func stop() {
        lock.withLock { if finished == nil, started != nil { finished = Date() } }
        spinner.stop()
    }

    /// ", 12.3 MiB/s" once stopped.
    var rateText: String {
        lock.withLock {
            guard let started, let finished else { return "" }
            let seconds = finished.timeIntervalSince(started)
            guard seconds > 0.01 else { return "" }
            return String(cFormat: " in %.1f s, ", seconds) + Self.bytes(Int64(Double(done) / seconds)) + "/s"
        }
    }

    static func bytes(_ n: Int64) -> String { TableRenderer.humanSize(Int(n)) }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
