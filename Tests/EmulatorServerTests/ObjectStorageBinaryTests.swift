// `mediactl object ...` (the real binary) against the real `mediactl-emulator`: round trips with byte comparison,
// parallel multipart, resume after kill -9, list paging, delete, refused signatures, and bad input that sends nothing.
import Foundation
import MediaKit
import Testing
import TestSupport

@Suite(.serialized) struct ObjectStorageBinaryTests {
    /// `size` pseudo-random bytes (deterministic per seed) in a file.
    static func makeFile(_ dir: TemporaryDirectory, _ name: String, size: Int, seed: UInt64) throws -> String {
        var state = seed &+ 0x9E37_79B9_7F4A_7C15
        var data = Data(capacity: size)
        while data.count < size {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            withUnsafeBytes(of: state.bigEndian) { data.append(contentsOf: $0.prefix(min(8, size - data.count))) }
        }
        let path = "\(dir.path)/\(name)"
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    static func stats(_ emu: EmulatorUnderTest) throws -> JSONValue {
        try JSONParser.parse(try emu.send("GET", "/_emulator/stats").body)
    }

    static func calls(_ emu: EmulatorUnderTest, _ key: String) throws -> Int { try stats(emu)["byCall"]?[key]?.intValue ?? 0 }

    /// A client signed with the emulator's throw-away key, to look at the service's side directly.
    static func client(_ emu: EmulatorUnderTest) throws -> ObjectStorageClient {
        let key = try RSAPrivateKey.load(pem: Data(contentsOf: URL(fileURLWithPath: "\(emu.state.path)/emulator_api_key.pem")), passphrase: nil)
        let signer = APIKeySigner(tenancy: "ocid1.tenancy.oc1..aaaaaaaaemulatortenancy", user: "ocid1.user.oc1..aaaaaaaaemulatoruser",
                                  fingerprint: key.fingerprint, key: key)
        let transport = SigningTransport(inner: try CurlTransport(), signer: signer)
        return ObjectStorageClient(transport: transport, endpoint: try #require(RequestURL(emu.endpoint)))
    }

    @Test func theEmulatorExportsItsObjectStorageEndpoint() throws {
        let emu = try EmulatorUnderTest()
        #expect(emu.environment["MEDIACTL_OBJECTSTORAGE_ENDPOINT"] == emu.endpoint)
        #expect(emu.environment["MEDIACTL_NAMESPACE"] == "emulator")
    }

    @Test func singlePutGetRoundTripAndTheNamespaceFromTheService() throws {
        let emu = try EmulatorUnderTest()
        let dir = TemporaryDirectory()
        let file = try Self.makeFile(dir, "clip.bin", size: 700_001, seed: 1)
        var env = emu.environment
        env["MEDIACTL_NAMESPACE"] = nil   // asked of the service (GetNamespace)
        _ = try emu.send("DELETE", "/_emulator/stats")
        let put = try CLIRunner.run(["object", "put", file, "--bucket", "media-in", "--name", "in/clip one+ü.bin", "--output", "json"], environment: env)
        #expect(put.status == 0, "\(put.stderr)")
        let json = try JSONParser.parse(put.stdout)
        #expect(json["namespace"] == "emulator")
        #expect(json["parts"]?.intValue == 1)
        #expect(json["md5"]?.stringValue == Digest.md5(try Data(contentsOf: URL(fileURLWithPath: file))).base64EncodedString())
        #expect(try Self.calls(emu, "GET /n") == 1)
        #expect(try Self.calls(emu, "PUT /n/b/o") == 1)

        let head = try CLIRunner.run(["object", "head", "in/clip one+ü.bin", "--bucket", "media-in", "--output", "json"], environment: env)
        #expect(head.status == 0, "\(head.stderr)")
        #expect(try JSONParser.parse(head.stdout)["size"]?.intValue == 700_001)

        let out = "\(dir.path)/copy.bin"
        let get = try emu.run(["object", "get", "in/clip one+ü.bin", "--bucket", "media-in", "--file", out])
        #expect(get.status == 0, "\(get.stderr)")
        #expect(FileManager.default.contents(atPath: out) == FileManager.default.contents(atPath: file))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["clip.bin", "copy.bin"])
    }

    @Test func multipartUploadsSeveralPartsInParallel() throws {
        let emu = try EmulatorUnderTest()
        let dir = TemporaryDirectory()
        let file = try Self.makeFile(dir, "big.bin", size: 4 * 1_048_576 + 12_345, seed: 2)
        _ = try emu.send("DELETE", "/_emulator/stats")
        // (That parts really overlap is checked in-process: ObjectUploaderTests.partsGoUpConcurrently.)
        let put = try emu.run(["object", "put", file, "--bucket", "media-in", "--part-size", "1", "--parallel", "4", "--output", "json"])
        #expect(put.status == 0, "\(put.stderr)")
        let json = try JSONParser.parse(put.stdout)
        #expect(json["parts"]?.intValue == 5)
        #expect(json["partsSent"]?.intValue == 5)
        #expect(json["multipartMd5"]?.stringValue?.hasSuffix("-5") == true)
        #expect(try Self.calls(emu, "PUT /n/b/u") == 5)
        #expect(try Self.calls(emu, "POST /n/b/u") == 2)   // create and commit

        let out = "\(dir.path)/back.bin"
        let get = try emu.run(["object", "get", "big.bin", "--bucket", "media-in", "--file", out])
        #expect(get.status == 0, "\(get.stderr)")
        #expect(FileManager.default.contents(atPath: out) == FileManager.default.contents(atPath: file))
        // Nothing left recorded once committed.
        let uploads = "\(emu.state.path)/.state/mediactl/uploads"
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: uploads)) ?? []).isEmpty)
        // The object survives an emulator kill -9 and restart.
        let port = emu.port
        emu.kill9()
        try emu.start(port: port)
        let again = try emu.run(["object", "get", "big.bin", "--bucket", "media-in", "--file", "\(dir.path)/again.bin"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(FileManager.default.contents(atPath: "\(dir.path)/again.bin") == FileManager.default.contents(atPath: file))
    }

    @Test func aKilledUploadResumesSendingOnlyTheMissingParts() throws {
        let emu = try EmulatorUnderTest()
        let dir = TemporaryDirectory()
        let file = try Self.makeFile(dir, "movie.bin", size: 5 * 1_048_576, seed: 3)
        // Slow parts, one at a time, so the kill lands mid-upload.
        _ = try emu.send("POST", "/_emulator/faults", body: ["operation": "PUT /n/emulator/b/media-in/u/*", "latencyMs": 700])
        _ = try emu.send("DELETE", "/_emulator/stats")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLIRunner.binary)
        process.arguments = ["object", "put", file, "--bucket", "media-in", "--part-size", "1", "--parallel", "1"]
        process.environment = emu.environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while try Self.calls(emu, "PUT /n/b/u") < 3, Date() < deadline, process.isRunning { usleep(20_000) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)

        // The recorded upload and what the service holds of it.
        let uploads = "\(emu.state.path)/.state/mediactl/uploads"
        // The record, and the lock file the killed run could not remove (the kernel released its lock).
        let records = try FileManager.default.contentsOfDirectory(atPath: uploads).filter { $0.hasSuffix(".json") }
        try #require(records.count == 1)
        let uploadID = try #require(ObjectUploader.recordedUploadID("\(uploads)/\(records[0])"))
        let held = try Self.client(emu).listUploadParts(namespace: "emulator", bucket: "media-in", object: "movie.bin", uploadID: uploadID)
        #expect(held.count >= 1 && held.count < 5, "held \(held.count) parts")

        _ = try emu.send("DELETE", "/_emulator/faults")
        _ = try emu.send("DELETE", "/_emulator/stats")
        let rerun = try emu.run(["object", "put", file, "--bucket", "media-in", "--part-size", "1", "--parallel", "1", "--output", "json"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let json = try JSONParser.parse(rerun.stdout)
        #expect(json["resumed"] == true)
        #expect(json["uploadId"]?.stringValue == uploadID)
        #expect(json["partsSent"]?.intValue == 5 - held.count)
        #expect(try Self.calls(emu, "PUT /n/b/u") == 5 - held.count)
        #expect(try Self.calls(emu, "POST /n/b/u") == 1)   // the commit only: no new upload was created
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: uploads)) ?? []).isEmpty)

        let out = "\(dir.path)/back.bin"
        let get = try emu.run(["object", "get", "movie.bin", "--bucket", "media-in", "--file", out])
        #expect(get.status == 0, "\(get.stderr)")
        #expect(FileManager.default.contents(atPath: out) == FileManager.default.contents(atPath: file))
    }

    @Test func listPagesByPrefixAndDeleteRemoves() throws {
        let emu = try EmulatorUnderTest()
        let dir = TemporaryDirectory()
        for (i, name) in ["page/a", "page/b", "page/c", "page/d", "page/e", "other/x"].enumerated() {
            let file = try Self.makeFile(dir, "f\(i)", size: 100 + i, seed: UInt64(i))
            let r = try emu.run(["object", "put", file, "--bucket", "media-out", "--name", name])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let first = try emu.run(["object", "ls", "--bucket", "media-out", "--prefix", "page/", "--limit", "2", "--output", "json"])
        #expect(first.status == 0, "\(first.stderr)")
        let p1 = try JSONParser.parse(first.stdout)
        #expect(p1["objects"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["page/a", "page/b"])
        #expect(p1["objects"]?.arrayValue?.first?["size"]?.intValue == 100)
        #expect(p1["nextStartWith"] == "page/c")
        let second = try emu.run(["object", "ls", "--bucket", "media-out", "--prefix", "page/", "--limit", "2", "--start", "page/c", "--output", "id"])
        #expect(second.stdoutLines == ["page/c", "page/d"])
        #expect(second.stderr.contains("--start page/e"))
        let all = try emu.run(["object", "ls", "--bucket", "media-out", "--prefix", "page/", "--limit", "2", "--all", "--output", "id"])
        #expect(all.stdoutLines == ["page/a", "page/b", "page/c", "page/d", "page/e"])

        let refused = try emu.run(["object", "rm", "page/a", "--bucket", "media-out"])
        #expect(refused.status == 64)   // no terminal to confirm on, no --yes
        let rm = try emu.run(["object", "rm", "page/a", "--bucket", "media-out", "--yes"])
        #expect(rm.status == 0, "\(rm.stderr)")
        let head = try emu.run(["object", "head", "page/a", "--bucket", "media-out"])
        #expect(head.status == 5)
        let again = try emu.run(["object", "rm", "page/a", "--bucket", "media-out", "--yes"])
        #expect(again.status == 5)
        #expect(again.stderr.contains("ObjectNotFound"))
        let noBucket = try emu.run(["object", "ls", "--bucket", "no-such-bucket"])
        #expect(noBucket.status == 5)
        #expect(noBucket.stderr.contains("BucketNotFound"))
    }

    @Test func aFailedGetLeavesNoFileBehind() throws {
        let emu = try EmulatorUnderTest()
        let dir = TemporaryDirectory()
        let file = try Self.makeFile(dir, "src.bin", size: 2_000_000, seed: 9)
        #expect(try emu.run(["object", "put", file, "--bucket", "media-in", "--name", "src.bin"]).status == 0)
        let missing = try emu.run(["object", "get", "nope.bin", "--bucket", "media-in", "--file", "\(dir.path)/nope.bin"])
        #expect(missing.status == 5)
        // The connection drops before an answer: no destination, no temporary file.
        _ = try emu.send("POST", "/_emulator/faults", body: ["operation": "GET /n/emulator/b/media-in/o/*", "dropConnection": true])
        let dropped = try emu.run(["object", "get", "src.bin", "--bucket", "media-in", "--file", "\(dir.path)/dest.bin", "--no-retry"])
        #expect(dropped.status == 7, "\(dropped.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["src.bin"])
    }

    @Test func badInputIsRefusedBeforeAnythingIsSent() throws {
        let emu = try EmulatorUnderTest()
        let dir = TemporaryDirectory()
        let file = try Self.makeFile(dir, "ok.bin", size: 10, seed: 4)
        _ = try emu.send("DELETE", "/_emulator/stats")
        let cases: [([String], String)] = [
            (["object", "put", "\(dir.path)/missing.bin", "--bucket", "media-in"], "missing.bin"),
            (["object", "put", dir.path, "--bucket", "media-in"], "is a directory"),
            (["object", "put", file, "--bucket", "bad/bucket"], "--bucket"),
            (["object", "put", file, "--bucket", "media-in", "--part-size", "0"], "--part-size"),
            (["object", "put", file, "--bucket", "media-in", "--part-size", "60000"], "--part-size"),
            (["object", "put", file, "--bucket", "media-in", "--parallel", "0"], "--parallel"),
            (["object", "put", file, "--bucket", "media-in", "--name", ""], "--name"),
            (["object", "get", "x", "--bucket", "media-in", "--file", dir.path], "is a directory"),
            (["object", "ls", "--bucket", "media-in", "--limit", "5000"], "--limit"),
        ]
        for (args, needle) in cases {
            let r = try emu.run(args)
            #expect(r.status == 64, "\(args): \(r.stderr)")
            let lines = r.stderr.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].hasPrefix("error: ") && lines[0].contains(needle), "\(args): \(r.stderr)")
            #expect(r.stdout.isEmpty)
        }
        #expect(try Self.stats(emu)["total"]?.intValue == 0)
    }

    @Test func uploadsWithoutAValidSignatureAreRefused() throws {
        let emu = try EmulatorUnderTest()
        let body = JSONValue.string("payload")
        // Unsigned.
        let unsigned = try emu.send("PUT", "/n/emulator/b/media-in/o/x", body: body)
        #expect(unsigned.status == 401)
        // Signed with content headers (allowed), but the body does not match x-content-sha256.
        let tampered = try emu.send("PUT", "/n/emulator/b/media-in/o/x", body: body, sign: true) { $0.body = Data("other!!!!".utf8) }
        #expect(tampered.status == 401)
        #expect(OCIErrorBody.code(in: tampered.body) == "NotAuthenticated")
        // Signed properly with content headers: accepted, as the service accepts more signed headers than required.
        let good = try emu.send("PUT", "/n/emulator/b/media-in/o/x", body: body, sign: true)
        #expect(good.status == 200, "\(String(decoding: good.body, as: UTF8.self))")
        #expect(good.header("opc-content-md5") == Digest.md5(body.data).base64EncodedString())
        // A signature over another target does not carry over.
        let moved = try emu.send("DELETE", "/n/emulator/b/media-in/o/x", sign: true) { r in
            r.url = r.url.appending(path: "2")
        }
        #expect(moved.status == 401)
        // A create bucket (POST) signed without content headers is refused: only uploads may leave them out.
        let bucket = try emu.send("POST", "/n/emulator/b", body: ["name": "b2", "compartmentId": "ocid1.compartment.oc1..aaaaaaaaemulatorcompartment"], sign: false) { r in
            r.signsBodyHeaders = false
            let key = try! RSAPrivateKey.load(pem: Data(contentsOf: URL(fileURLWithPath: "\(emu.state.path)/emulator_api_key.pem")), passphrase: nil)
            try! OCIRequestSigner.sign(&r, keyID: "ocid1.tenancy.oc1..aaaaaaaaemulatortenancy/ocid1.user.oc1..aaaaaaaaemulatoruser/\(key.fingerprint)", key: key, date: Date())
        }
        #expect(bucket.status == 401)
        let made = try emu.send("POST", "/n/emulator/b", body: ["name": "b2", "compartmentId": "ocid1.compartment.oc1..aaaaaaaaemulatorcompartment"], sign: true)
        #expect(made.status == 200)
        let twice = try emu.send("POST", "/n/emulator/b", body: ["name": "b2", "compartmentId": "ocid1.compartment.oc1..aaaaaaaaemulatorcompartment"], sign: true)
        #expect(twice.status == 409)
    }
}

@Suite struct ObjectStorageTerminalTests {
    /// On a terminal the upload shows bytes and a rate as it goes, and Ctrl-C stops it with 130, keeping it resumable.
    @Test func progressOnATerminalAndCtrlCKeepsTheUploadResumable() throws {
        let emu = try EmulatorUnderTest()
        let dir = TemporaryDirectory()
        let file = try ObjectStorageBinaryTests.makeFile(dir, "tty.bin", size: 4 << 20, seed: 5)
        _ = try emu.send("POST", "/_emulator/faults", body: ["operation": "PUT /n/emulator/b/media-in/u/*", "latencyMs": 600])
        let pty = try PseudoTerminalSession(["object", "put", file, "--bucket", "media-in", "--part-size", "1", "--parallel", "1"],
                                            environment: emu.environment)
        #expect(pty.expect("Uploading tty.bin: "))
        #expect(pty.expect("MiB/s)"))
        #expect(pty.expect("4 parts of 1 MiB"))
        pty.interrupt()
        #expect(pty.waitForExit() == 130)
        #expect(pty.terminalIsSane)
        let uploads = "\(emu.state.path)/.state/mediactl/uploads"
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: uploads)) ?? []).count == 1)
        _ = try emu.send("DELETE", "/_emulator/faults")
        let rerun = try emu.run(["object", "put", file, "--bucket", "media-in", "--part-size", "1", "--output", "json"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(try JSONParser.parse(rerun.stdout)["resumed"] == true)
    }

    /// --debug shows each call with the signature redacted and the body as a size, never the file's bytes.
    @Test func debugRedactsAndNeverDumpsTheFile() throws {
        let emu = try EmulatorUnderTest()
        let dir = TemporaryDirectory()
        let file = try ObjectStorageBinaryTests.makeFile(dir, "dbg.bin", size: 3000, seed: 6)
        let r = try emu.run(["object", "put", file, "--bucket", "media-in", "--debug"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("[3000 bytes streamed from \(file) at offset 0]"))
        #expect(r.stderr.contains("signature=\"[REDACTED]\""))
        #expect(r.stderr.contains("headers=\"date (request-target) host\""))
        let get = try emu.run(["object", "get", "dbg.bin", "--bucket", "media-in", "--file", "\(dir.path)/out.bin", "--debug"])
        #expect(get.status == 0, "\(get.stderr)")
        #expect(get.stderr.contains("[body written to \(dir.path)/.out.bin.mediactl-"))
    }
}
