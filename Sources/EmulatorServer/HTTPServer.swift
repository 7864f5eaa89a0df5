// The emulator's HTTP/1.1 transport on Hummingbird: turns each request into a ServerRequest, and the service's reply into bytes (or a dropped connection).
import EmulatorCore
import Foundation
import HTTPTypes
import Hummingbird
import MediaKit
import NIOCore

/// Hummingbird's basic context plus the connection, so a fault can close it without answering.
struct EmulatorRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}

struct EmulatorResponder: HTTPResponder {
    typealias Context = EmulatorRequestContext
    let service: EmulatorService
    /// Bodies above this are refused; the largest real request (a workflow) is a few kilobytes.
    static let maxBody = 8 << 20

    func respond(to request: Request, context: Context) async throws -> Response {
        var request = request
        var server: ServerRequest
        let path = String((request.head.path ?? "/").prefix { $0 != "?" })
        if let objects = service.objectStorage, ObjectStorageEmulator.isStreamedUpload(method: request.method.rawValue, path: path) {
            // Object and part bodies go straight to a file in the store (any size, flat memory), hashed on the way.
            let file = objects.store.temporaryFile()
            let md5 = try await Self.stream(request.body, to: file)
            server = Self.serverRequest(request, body: Data())
            server.bodyFile = file
            server.bodyFileMD5 = md5
        } else {
            let buffer = try await request.collectBody(upTo: Self.maxBody)
            server = Self.serverRequest(request, body: Data(buffer.readableBytesView))
        }
        defer { if let file = server.bodyFile { try? FileManager.default.removeItem(at: file) } }
        // Object Storage calls read, write, rename and assemble files (a multipart commit copies every part): they run
        // on the blocking-I/O threads. The rest are short and in memory, and stay on the task's thread.
        let call = server
        let reply: EmulatorReply
        if ObjectStorageEmulator.owns(path) {
            let service = self.service
            reply = try await BlockingIO.run { service.handle(call) }
        } else {
            reply = service.handle(server)
        }
        switch reply {
        case let .respond(response, delay):
            if delay > 0 { try await Task.sleep(nanoseconds: UInt64(delay) * 1_000_000) }
            return Self.response(response)
        case let .drop(delay):
            if delay > 0 { try await Task.sleep(nanoseconds: UInt64(delay) * 1_000_000) }
            try await context.channel.close()
            throw CancellationError()
        }
    }

    /// Bytes gathered before one write: large enough that a hop to the blocking-I/O threads per write costs nothing.
    static let writeBatch = 1 << 20

    /// Writes the body to `file` and returns its MD5. The writes (and the hashing) happen on the blocking-I/O threads
    /// in 1 MiB batches: done on the task's own thread, two large uploads kept the two cooperative threads of a
    /// 2-core machine busy and every other call waited (issue 16, item 9).
    static func stream(_ body: RequestBody, to file: URL) async throws -> Data {
        guard FileManager.default.createFile(atPath: file.path, contents: nil), let out = FileHandle(forWritingAtPath: file.path) else {
            throw CancellationError()
        }
        let writer = BodyFileWriter(out)
        defer { try? out.close() }
        do {
            var pending = ByteBuffer()
            for try await buffer in body {
                var buffer = buffer
                pending.writeBuffer(&buffer)
                if pending.readableBytes >= writeBatch {
                    let batch = pending
                    pending = ByteBuffer()
                    try await BlockingIO.run { try writer.write(batch) }
                }
            }
            let last = pending
            return try await BlockingIO.run {
                try writer.write(last)
                return writer.finish()
            }
        } catch {
            try? FileManager.default.removeItem(at: file)
            throw error
        }
    }

    /// HTTP/1's Host header lives in `authority` in swift-http-types; OCI signs `host`, so it goes back in.
    static func serverRequest(_ request: Request, body: Data) -> ServerRequest {
        var headers: [(String, String)] = []
        if let authority = request.head.authority { headers.append(("host", authority)) }
        for field in request.headers { headers.append((field.name.canonicalName, field.value)) }
        return ServerRequest(method: request.method.rawValue, target: request.head.path ?? "/", headers: headers, body: body)
    }

    static func response(_ response: ServerResponse) -> Response {
        var fields = HTTPFields()
        // A HEAD answer (empty body, no file) keeps its content-length: the size of what a GET would send.
        let keepLength = response.body.isEmpty && response.bodyFile == nil
        for (name, value) in response.headers {
            // Hummingbird sets content-length from the body; a second one would be a protocol error.
            guard let fieldName = HTTPField.Name(name), fieldName != .contentLength || keepLength else { continue }
            fields.append(HTTPField(name: fieldName, value: value))
        }
        if let file = response.bodyFile, let input = FileHandle(forReadingAtPath: file.path) {
            // GetObject: the file streams out 256 KiB at a time (opened now, so a replace meanwhile cannot cut it short),
            // each read on the blocking-I/O threads.
            let length = response.bodyLength
            let body = ResponseBody(contentLength: Int(length)) { writer in
                defer { try? input.close() }
                var left = length
                while left > 0 {
                    let want = Int(min(left, 256 << 10))
                    guard let chunk = try await BlockingIO.run({ try input.read(upToCount: want) }), !chunk.isEmpty else { break }
                    try await writer.write(ByteBuffer(bytes: chunk))
                    left -= Int64(chunk.count)
                }
                try await writer.finish(nil)
            }
            return Response(status: .init(code: response.status), headers: fields, body: body)
        }
        var buffer = ByteBuffer()
        buffer.writeBytes(response.body)
        return Response(status: .init(code: response.status), headers: fields, body: .init(byteBuffer: buffer))
    }
}

/// Work that blocks a thread (file I/O, hashing large files) runs on these threads (Dispatch's, which grow as needed)
/// rather than on Swift concurrency's cooperative ones, of which there is one per core and on which every request runs.
enum BlockingIO {
    static let queue = DispatchQueue(label: "mediactl-emulator.blocking-io", attributes: .concurrent)

    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try work() }) }
        }
    }
}

/// A streamed body's file and the MD5 of what was written to it.
final class BodyFileWriter: @unchecked Sendable {
    // @unchecked: one request's stream uses it, each write awaited before the next, so never two threads at once.
    private let out: FileHandle
    private let digest = IncrementalDigest(.md5)

    init(_ out: FileHandle) { self.out = out }

    func write(_ buffer: ByteBuffer) throws {
        try buffer.withUnsafeReadableBytes { bytes in
            digest.update(bytes)
            try out.write(contentsOf: bytes)
        }
    }

    func finish() -> Data { digest.finish() }
}

/// Runs the service on 127.0.0.1 until SIGTERM/SIGINT (graceful) or the process dies.
public struct EmulatorHTTPServer: Sendable {
    public let service: EmulatorService
    public let host: String
    public let port: Int
    /// Extra background work that lives as long as the server (the job clock).
    public let background: [@Sendable () async -> Void]

    public init(service: EmulatorService, host: String = "127.0.0.1", port: Int, background: [@Sendable () async -> Void] = []) {
        self.service = service
        self.host = host
        self.port = port
        self.background = background
    }

    /// Serves until a signal stops it; `onListening` gets the bound port (useful with port 0).
    public func run(onListening: @escaping @Sendable (Int) async -> Void) async throws {
        let app = Application(
            responder: EmulatorResponder(service: service),
            configuration: .init(address: .hostname(host, port: port), serverName: "mediactl-emulator"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) })
        let background = self.background
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService() }
            for work in background { group.addTask { await work() } }
            // The server ends on a signal; the background loops end when cancelled.
            _ = try await group.next()
            group.cancelAll()
        }
    }
}
