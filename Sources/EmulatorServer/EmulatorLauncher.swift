// Starting one emulator: state directory and key, SQLite state restored, OpenTok project and Vonage application, faults, the job clock, then the HTTP server.
import EmulatorCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import MediaKit

public enum EmulatorLauncher {
    /// Serves until SIGTERM/SIGINT. Progress and problems go to `log` (stderr); the endpoint alone to stdout.
    public static func serve(_ options: ServeOptions, environment: [String: String],
                             log: @escaping @Sendable (String) -> Void) async throws {
        let dir = StateDirectory(path: options.stateDirectory)
        let key = try dir.prepareKey()
        try dir.writeConfig(fingerprint: key.fingerprint)
        guard let publicKey = key.publicKey else { throw StateDirectoryError(description: "the key in \(dir.keyFile) has no usable public half") }
        if options.writeProfile { try UserProfileWriter.addEmulatorProfile(dir: dir, fingerprint: key.fingerprint, environment: environment) }

        // The stream host (every channel's domainName) needs the port before the server binds it.
        // With port 0, the port of the previous run when it is free, so exports from before a restart still work.
        let port = options.port == 0 ? try FreePort.pick(host: options.host, preferring: dir.lastPort) : options.port
        let hostPort = "\(options.host):\(port)"
        let endpoint = "http://\(hostPort)"

        var emulatorOptions = EmulatorOptions(streamHost: hostPort)
        emulatorOptions.jobDuration = options.jobSeconds
        // One SQLite file for both services: Media Services' tables, and OpenTok's under its scope.
        let persistence = try SQLiteStatePersistence(path: dir.databaseFile)
        emulatorOptions.persistence = persistence
        emulatorOptions.keepsRequestLog = false
        // Object Storage keeps its bytes as files in <state>/objects, the lab's buckets there from the start; real jobs
        // read their inputs from the same store and write their outputs to it (that needs ffmpeg and ffprobe).
        let objects = try ObjectStore(root: URL(fileURLWithPath: dir.objectsDirectory, isDirectory: true))
        let objectStorage = try ObjectStorageEmulator(store: objects, namespace: EmulatorIdentity.namespace, buckets: EmulatorIdentity.buckets,
                                                         compartment: EmulatorIdentity.compartment, createdBy: EmulatorIdentity.user)
        emulatorOptions.objectStorage = objectStorage
        emulatorOptions.objectStore = objects
        emulatorOptions.mediaTools = options.simulateMedia ? nil : MediaTools.find(environment: environment)
        emulatorOptions.mediaWorkDirectory = URL(fileURLWithPath: dir.workDirectory, isDirectory: true)
        // Whatever a job left behind when the last run was killed belongs to a job that now reads FAILED.
        try? FileManager.default.removeItem(atPath: dir.workDirectory)
        emulatorOptions.log = log
        let jobs = emulatorOptions.mediaTools.map { "jobs run with \($0.ffmpeg) against \(dir.objectsDirectory)" }
            ?? "jobs are simulated and take \(options.jobSeconds) s"
        let media = MediaServicesEmulator(options: emulatorOptions)
        let restored = try media.restoreState()
        media.registerAPIKey(keyID: StateDirectory.keyID(fingerprint: key.fingerprint), publicKey: publicKey)

        let secret = try dir.openTokSecret()
        let vonageKey = try dir.vonageKey()
        guard let vonagePublicKey = vonageKey.publicKey else {
            throw StateDirectoryError(description: "the key in \(dir.vonageKeyFile) has no usable public half")
        }
        let openTok = try OpenTokRoute.handler(apiKey: EmulatorIdentity.openTokAPIKey, apiSecret: secret,
                                               vonage: (EmulatorIdentity.vonageApplicationID, vonagePublicKey), persistence: persistence)

        // Reading the state back allocated every record's text and parse on the way; glibc keeps what was freed in its
        // heaps unless asked. Handing it back now makes a restarted emulator's RSS its state's, as when built live.
        Heap.trim()

        var rules = options.faults
        if options.latencyMilliseconds > 0 { rules.append(FaultRule(operation: "*", latencyMilliseconds: options.latencyMilliseconds)) }
        let service = EmulatorService(media: media, openTok: openTok.handler, faults: FaultInjector(rules: rules), objectStorage: objectStorage)
        for rule in options.jobFaults { service.add(.job(rule)) }

        // Jobs move on the clock even when nobody polls, and each step is written to SQLite.
        let clock: @Sendable () async -> Void = {
            while !Task.isCancelled {
                media.tick()
                try? await Task.sleep(nanoseconds: 250_000_000)
            }
        }
        let server = EmulatorHTTPServer(service: service, host: options.host, port: port, background: [clock])
        let env = dir.environment(endpoint: endpoint, openTokSecret: secret)
        try await server.run { boundPort in
            do {
                try dir.writeRunning(port: boundPort, endpoint: endpoint, pid: getpid(), environment: env)
            } catch {
                log("mediactl-emulator: \(error)")
            }
            log("mediactl-emulator \(MediaKitVersion.string) listening on \(endpoint) (state \(dir.path), \(restored + openTok.restored) records restored, "
                + "\(jobs))")
            FileHandle.standardOutput.write(Data((endpoint + "\n").utf8))
        }
        dir.clearRunning()
        log("mediactl-emulator: stopped")
    }
}

/// glibc's malloc_trim, found at run time: Glibc's module map does not export malloc.h, and another C library
/// simply has nothing to trim.
enum Heap {
    static func trim() {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }   // RTLD_DEFAULT
        let trim = unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
        _ = trim(0)
    }
}

/// A free TCP port: bind port 0, read what the kernel chose, let it go. The server binds it a moment later.
enum FreePort {
    /// `preferring` (the previous run's port) when it can be bound now, else one the kernel picks.
    static func pick(host: String, preferring previous: Int?) throws(StateDirectoryError) -> Int {
        if let previous, previous > 0, (try? bindable(host: host, port: previous)) == previous { return previous }
        return try bindable(host: host, port: 0)
    }

    static func pick(host: String) throws(StateDirectoryError) -> Int { try bindable(host: host, port: 0) }

    /// Binds `port` (0: any) on `host` with SO_REUSEADDR, as the server will, and returns the port bound.
    static func bindable(host: String, port: Int) throws(StateDirectoryError) -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw StateDirectoryError(description: "socket() failed: errno \(errno)") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = UInt16(port).bigEndian
        addr.sin_addr.s_addr = inet_addr(host)
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw StateDirectoryError(description: "cannot bind \(host): errno \(errno)") }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: actual.sin_port))
    }
}

/// `--write-profile`: puts the [EMULATOR] profile into the user's own OCI config, replacing an older one.
enum UserProfileWriter {
    static func addEmulatorProfile(dir: StateDirectory, fingerprint: String, environment: [String: String]) throws(StateDirectoryError) {
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        let path = environment["OCI_CLI_CONFIG_FILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "\(home)/.oci/config"
        let existing = FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? ""
        var kept: [Substring] = []
        var inEmulator = false
        for line in existing.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("[") && trimmed.hasSuffix("]") { inEmulator = trimmed == "[\(EmulatorIdentity.profile)]" }
            if !inEmulator { kept.append(line) }
        }
        var text = kept.joined(separator: "\n")
        while text.hasSuffix("\n\n") { text.removeLast() }
        if !text.isEmpty && !text.hasSuffix("\n") { text += "\n" }
        text += (text.isEmpty ? "" : "\n") + """
        [\(EmulatorIdentity.profile)]
        user=\(EmulatorIdentity.user)
        fingerprint=\(fingerprint)
        key_file=\(dir.keyFile)
        tenancy=\(EmulatorIdentity.tenancy)
        region=\(EmulatorIdentity.region)

        """
        try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw StateDirectoryError(description: "cannot write \(path)")
        }
    }
}
