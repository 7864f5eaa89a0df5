// Real `mediactl object put` processes against the real emulator: a second upload of the same object while the
// first runs is refused at once naming the first's pid (and the first finishes intact); uploads of different
// objects never interfere; a killed upload resumes whatever spelling of the path the rerun uses; a changed
// file starts over.
import Foundation
import MediaKit
import Testing
import TestSupport

@Suite(.serialized) struct ConcurrentUploadTests {
    /// A running `mediactl` with its output collected in files (no pipe to fill up while it is stopped).
    final class Run {
        let process = Process()
        let out: String
        let err: String

        init(_ arguments: [String], environment: [String: String], directory: String? = nil, scratch: TemporaryDirectory) throws {
            let tag = UUID().uuidString
            out = "\(scratch.path)/\(tag).out"
            err = "\(scratch.path)/\(tag).err"
            _ = FileManager.default.createFile(atPath: out, contents: nil)
            _ = FileManager.default.createFile(atPath: err, contents: nil)
            process.executableURL = URL(fileURLWithPath: CLIRunner.binary)
            process.arguments = arguments
            process.environment = environment
            if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
            try process.run()
        }

        var pid: Int32 { process.processIdentifier }

        func finish(timeout: Double = 60) -> (status: Int32, stdout: String, stderr: String) {
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning, Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(pid, SIGKILL) }
            process.waitUntilExit()
            return (process.terminationStatus, (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                    (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
        }
    }

    static func uploads(_ emu: EmulatorUnderTest) -> String { "\(emu.state.path)/.state/mediactl/uploads" }

    static func records(_ emu: EmulatorUnderTest) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: uploads(emu))) ?? []).filter { $0.hasSuffix(".json") }
    }

    /// Waits until `condition` holds (or fails the test after 20 s).
    static func waitFor(_ what: String, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(20)
        while try !condition() {
            guard Date() < deadline else { throw EmulatorTestError("timed out waiting for \(what)") }
            usleep(20_000)
        }
    }

    static func slowParts(_ emu: EmulatorUnderTest, ms: Int = 300) throws {
        #expect(try emu.send("POST", "/_emulator/faults", body: ["operation": "PUT /n/emulator/b/media-in/u/*", "latencyMs": .int(ms)]).status == 200)
    }

    static func download(_ emu: EmulatorUnderTest, _ name: String, _ dir: TemporaryDirectory) throws -> Data? {
        let target = "\(dir.path)/dl-\(UUID().uuidString)"
        let r = try emu.run(["object", "get", name, "--bucket", "media-in", "--file", target])
        #expect(r.status == 0, "\(r.stderr)")
        return FileManager.default.contents(atPath: target)
    }

    static let put = ["--bucket", "media-in", "--part-size", "1", "--parallel", "1"]

    @Test func aSecondUploadOfTheSameObjectIsRefusedNamingTheFirstWhichFinishesIntact() throws {
        let emu = try EmulatorUnderTest()
        let dir = TemporaryDirectory()
        let file = try ObjectStorageBinaryTests.makeFile(dir, "big.bin", size: 6 * 1_048_576, seed: 11)
        let other = try ObjectStorageBinaryTests.makeFile(dir, "other.bin", size: 6 * 1_048_576, seed: 12)
        try Self.slowParts(emu)
        let first = try Run(["object", "put", file, "--name", "x.bin"] + Self.put, environment: emu.environment, scratch: dir)
        try Self.waitFor("the first upload's record") { !Self.records(emu).isEmpty }
        kill(first.pid, SIGSTOP)   // still running, holding its record, for as long as the test needs
        usleep(700_000)            // let a part already in the emulator's hands be counted before the count is reset
        _ = try emu.send("DELETE", "/_emulator/stats")

        for source in [file, other] {   // the same file again, or another file for the same object
            let second = try emu.run(["object", "put", source, "--name", "x.bin"] + Self.put)
            #expect(second.status == 6, "\(second.stderr)")
            let lines = second.stderr.split(separator: "\n").map(String.init)
            #expect(lines == ["error: emulator/media-in/x.bin is being uploaded by mediactl process \(first.pid): wait for it to end (or stop it), then run this command again"],
                    "\(second.stderr)")
            #expect(second.stdout.isEmpty)
        }
        #expect(try ObjectStorageBinaryTests.stats(emu)["total"]?.intValue == 0, "the refused runs sent nothing")

        kill(first.pid, SIGCONT)
        let done = first.finish()
        #expect(done.status == 0, "\(done.stderr)")
        #expect(try Self.download(emu, "x.bin", dir) == FileManager.default.contents(atPath: file))
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: Self.uploads(emu))) ?? []).isEmpty, "record and lock removed")

        // Once the first has ended, the same command runs.
        _ = try emu.send("DELETE", "/_emulator/faults")
        let after = try emu.run(["object", "put", other, "--name", "x.bin"] + Self.put)
        #expect(after.status == 0, "\(after.stderr)")
        #expect(try Self.download(emu, "x.bin", dir) == FileManager.default.contents(atPath: other))
    }

    @Test func uploadsOfDifferentObjectsRunSideBySide() throws {
        let emu = try EmulatorUnderTest()
        let dir = TemporaryDirectory()
        let file = try ObjectStorageBinaryTests.makeFile(dir, "big.bin", size: 5 * 1_048_576, seed: 13)
        try Self.slowParts(emu, ms: 150)
        let a = try Run(["object", "put", file, "--name", "a.bin"] + Self.put, environment: emu.environment, scratch: dir)
        try Self.waitFor("a's record") { !Self.records(emu).isEmpty }
        kill(a.pid, SIGSTOP)
        let b = try emu.run(["object", "put", file, "--name", "b.bin", "--output", "json"] + Self.put)
        #expect(b.status == 0, "\(b.stderr)")
        #expect(try JSONParser.parse(b.stdout)["resumed"] == false)
        kill(a.pid, SIGCONT)
        let aDone = a.finish()
        #expect(aDone.status == 0, "\(aDone.stderr)")
        let bytes = FileManager.default.contents(atPath: file)
        #expect(try Self.download(emu, "a.bin", dir) == bytes)
        #expect(try Self.download(emu, "b.bin", dir) == bytes)
    }

    @Test func twoUploadsStartedTogetherOneRunsOneIsRefused() throws {
        let emu = try EmulatorUnderTest()
        let dir = TemporaryDirectory()
        let file = try ObjectStorageBinaryTests.makeFile(dir, "big.bin", size: 5 * 1_048_576, seed: 14)
        try Self.slowParts(emu, ms: 500)   // the first runs 2.5 s at least: the second, started just after, finds it running
        let runs = try (0..<2).map { _ in try Run(["object", "put", file, "--name", "same.bin"] + Self.put, environment: emu.environment, scratch: dir) }
        let results = runs.map { $0.finish() }
        #expect(results.map(\.status).sorted() == [0, 6], "\(results.map(\.stderr))")
        let refused = try #require(results.first { $0.status == 6 })
        #expect(refused.stderr.contains("is being uploaded by mediactl process \(runs[results[0].status == 0 ? 0 : 1].pid)"), "\(refused.stderr)")
        #expect(!refused.stderr.contains("the upload is recorded"))
        #expect(try Self.download(emu, "same.bin", dir) == FileManager.default.contents(atPath: file))
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: Self.uploads(emu))) ?? []).isEmpty)
    }

    /// Starts `put` of `path` from `cwd`, kills it once `parts` parts are in, and returns what the service holds.
    static func killMidway(_ emu: EmulatorUnderTest, _ path: String, cwd: String, dir: TemporaryDirectory, parts: Int) throws -> Int {
        _ = try emu.send("DELETE", "/_emulator/stats")
        try slowParts(emu)
        let run = try Run(["object", "put", path, "--name", "movie.bin"] + put, environment: emu.environment, directory: cwd, scratch: dir)
        try waitFor("\(parts) parts") { try ObjectStorageBinaryTests.calls(emu, "PUT /n/b/u") >= parts || !run.process.isRunning }
        kill(run.pid, SIGKILL)
        _ = run.finish()
        _ = try emu.send("DELETE", "/_emulator/faults")
        let record = try #require(records(emu).first)
        let uploadID = try #require(ObjectUploader.recordedUploadID("\(uploads(emu))/\(record)"))
        return try ObjectStorageBinaryTests.client(emu).listUploadParts(namespace: "emulator", bucket: "media-in", object: "movie.bin",
                                                                        uploadID: uploadID).count
    }

    @Test func aKilledUploadResumesWhateverSpellingOfThePathTheRerunUses() throws {
        let emu = try EmulatorUnderTest()
        let dir = TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: "\(dir.path)/t4", withIntermediateDirectories: true)
        let absolute = try ObjectStorageBinaryTests.makeFile(dir, "t4/big.bin", size: 6 * 1_048_576, seed: 15)

        for (first, rerun) in [("t4/big.bin", "./t4/big.bin"), ("./t4/big.bin", absolute), (absolute, "t4/../t4/big.bin")] {
            let held = try Self.killMidway(emu, first, cwd: dir.path, dir: dir, parts: 2)
            #expect(held >= 1 && held < 6, "held \(held)")
            _ = try emu.send("DELETE", "/_emulator/stats")
            // The rerun, from the same folder, with another spelling.
            let r = try Run(["object", "put", rerun, "--name", "movie.bin", "--output", "json"] + Self.put,
                                   environment: emu.environment, directory: dir.path, scratch: dir).finish()
            #expect(r.status == 0, "\(first) then \(rerun): \(r.stderr)")
            let json = try JSONParser.parse(r.stdout)
            #expect(json["resumed"] == true, "\(first) then \(rerun)")
            #expect(json["partsSent"]?.intValue == 6 - held, "\(first) then \(rerun)")
            #expect(try ObjectStorageBinaryTests.calls(emu, "PUT /n/b/u") == 6 - held)
            #expect(try Self.download(emu, "movie.bin", dir) == FileManager.default.contents(atPath: absolute))
        }

        // A changed file (same size, same path) starts over: its old parts are useless.
        _ = try Self.killMidway(emu, "t4/big.bin", cwd: dir.path, dir: dir, parts: 2)
        _ = try ObjectStorageBinaryTests.makeFile(dir, "t4/big.bin", size: 6 * 1_048_576, seed: 16)
        _ = try emu.send("DELETE", "/_emulator/stats")
        let changed = try Run(["object", "put", "./t4/big.bin", "--name", "movie.bin", "--output", "json"] + Self.put,
                              environment: emu.environment, directory: dir.path, scratch: dir).finish()
        #expect(changed.status == 0, "\(changed.stderr)")
        let json = try JSONParser.parse(changed.stdout)
        #expect(json["resumed"] == false)
        #expect(json["partsSent"]?.intValue == 6)
        #expect(try Self.download(emu, "movie.bin", dir) == FileManager.default.contents(atPath: absolute))
    }
}
