// Flags and helpers shared by several command groups.
import FoundationEssentials
import MediaKit

enum CommonFlags {
    static let compartment = FlagSpec(name: "compartment-id", kind: .ocid(["compartment", "tenancy"]), meta: "OCID",
                                      help: "compartment OCID", env: "MEDIACTL_COMPARTMENT_ID", prompt: "Compartment OCID")
    static let namespace = FlagSpec(name: "namespace", meta: "NAME", help: "Object Storage namespace",
                                    env: "MEDIACTL_NAMESPACE", prompt: "Object Storage namespace")
    static let channel = FlagSpec(name: "channel-id", kind: .ocid(ResourceKind.channel.ocidTypes), meta: "OCID",
                                  help: "distribution channel OCID", env: "MEDIACTL_CHANNEL_ID", prompt: "Enter Channel OCID")
    static func timeout(default seconds: Int) -> FlagSpec {
        FlagSpec(name: "timeout", kind: .number(1...86_400), meta: "SECONDS", help: "give up waiting after this long (exit 8)",
                 defaultValue: String(seconds))
    }
    static let yes = FlagSpec(name: "yes", short: "y", kind: .bool, help: "do not ask for confirmation", fromDefaultsFile: false)
}

extension Invocation {
    /// Input documents (workflow definitions, job parameters) larger than this are refused.
    static let maxDocumentBytes = 8 << 20

    /// Reads a JSON document from a file flag (`-` = stdin), naming the flag and position on errors.
    func jsonDocument(flag name: String) throws(CLIError) -> JSONValue? {
        guard let path = try string(name) else { return nil }
        let data: Data
        if path == "-" {
            // The same cap as files: stdin is read in pieces and refused past it, never slurped whole.
            let read = StandardInput.read(limit: Self.maxDocumentBytes)
            guard read.count <= Self.maxDocumentBytes else { throw .usage("--\(name) -: larger than \(Self.maxDocumentBytes >> 20) MiB") }
            data = read
        } else {
            do { data = try LocalFiles(maxBytes: Self.maxDocumentBytes).read(expand(path)) } catch {
                throw .usage("--\(name) \(path): \(error.reason)")
            }
        }
        do { return try JSONParser.parse(data) } catch {
            let (line, column) = Self.position(of: error.offset, in: data)
            throw .usage("--\(name) \(path): not valid JSON: \(error.message) (line \(line), column \(column))")
        }
    }

    static func position(of offset: Int, in data: Data) -> (Int, Int) {
        var line = 1, column = 1
        for b in data.prefix(offset) { if b == 0x0A { line += 1; column = 1 } else { column += 1 } }
        return (line, column)
    }

    /// Runs a library call, turning its error into the CLI's.
    func call<T>(_ body: () throws(MediaError) -> T) throws(CLIError) -> T {
        do { return try body() } catch { throw .media(error) }
    }

    /// Runs steps that create resources; if one fails, the error says what already exists.
    func creating<T>(_ created: inout [(String, String)], _ body: () throws(MediaError) -> T) throws(CLIError) -> T {
        do { return try body() } catch {
            guard !created.isEmpty else { throw .media(error) }
            let list = created.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
            io.error("created before the failure: \(list)")
            throw .media(error)
        }
    }

    /// Destructive verbs ask on a terminal, and need --yes without one.
    func confirm(_ question: String) throws(CLIError) {
        if try bool("yes") { return }
        guard io.canPrompt else { throw .usage("refusing to \(question) without confirmation: pass --yes (no terminal to ask on)") }
        Readline.setUp(historyFile: Prompter.historyPath(self))
        guard let answer = Readline.read(prompt: "Really \(question)? [y/N]: ") else { throw .exit(.cancelled) }
        guard ["y", "yes"].contains(answer.lowercased().trimming(.whitespaces)) else { throw .exit(.cancelled) }
    }

    /// Waits for a job with a spinner on a terminal, plain progress lines otherwise.
    func waitForJob(_ client: MediaServicesClient, id: String, timeout: Double, label: String) throws(CLIError) -> Resource {
        let spinner = Spinner(io: io)
        spinner.start("\(label) \(id): waiting")
        defer { spinner.stop() }
        var lastState = ""
        let waiter = JobWaiter(clock: clock)
        let io = self.io
        return try call { () throws(MediaError) -> Resource in
            try waiter.wait(timeout: timeout, poll: { () throws(MediaError) -> Resource in try client.get(.job, id: id) }, onPoll: { job in
                let state = job.lifecycleState ?? "?"
                if spinner.isActive { spinner.update("\(label) \(id): \(state)") }
                else if state != lastState { io.progress("\(label) \(id): \(state)") }
                lastState = state
            })
        }
    }
}
