// A small HTTP/1.1 server on 127.0.0.1 for tests: real sockets, keep-alive, Content-Length
// bodies, a thread per connection. It hosts a handler (usually the emulator's service logic).
import Foundation
import MediaKit

/// A request as the loopback server read it off the socket.
public struct LoopbackRequest: Sendable {
    public let method: String
    /// Path and query exactly as received.
    public let target: String
    public let headers: [(String, String)]
    public let body: Data

    public func header(_ name: String) -> String? { headers.last { $0.0.lowercased() == name.lowercased() }?.1 }
    public var path: String { String(target.split(separator: "?", maxSplits: 1).first ?? "") }
}

public final class LoopbackServer: @unchecked Sendable {
    public typealias Handler = @Sendable (LoopbackRequest) -> HTTPResponse

    public var port: UInt16 { listener.port }
    private let listener: LoopbackListener
    private let handler: Handler

    /// Binds an ephemeral port on 127.0.0.1 and starts accepting.
    public init(handler: @escaping Handler) throws {
        self.handler = handler
        listener = try LoopbackListener()
        listener.start { [weak self] fd in self?.serve(fd) }
    }

    deinit { stop() }

    public var baseURL: String { "http://127.0.0.1:\(port)" }
    public var hostPort: String { "127.0.0.1:\(port)" }

    public func stop() { listener.stop() }

    /// Reads requests until the peer closes; answers each with the handler's response.
    private func serve(_ fd: Int32) {
        var buffer = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            // Head.
            var headEnd: Int?
            while headEnd == nil {
                headEnd = Self.find([13, 10, 13, 10], in: buffer)
                if headEnd != nil { break }
                let n = read(fd, &chunk, chunk.count)
                if n <= 0 { return }
                buffer += chunk[0..<n]
                if buffer.count > 1 << 20 { return }
            }
            guard let end = headEnd else { return }
            let head = String(decoding: buffer[0..<end], as: UTF8.self)
            buffer.removeFirst(end + 4)
            var lines = head.components(separatedBy: "\r\n")
            let requestLine = lines.removeFirst().split(separator: " ")
            guard requestLine.count >= 2 else { return }
            var headers: [(String, String)] = []
            for line in lines {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            }
            let length = headers.first { $0.0.lowercased() == "content-length" }.flatMap { Int($0.1) } ?? 0
            while buffer.count < length {
                let n = read(fd, &chunk, chunk.count)
                if n <= 0 { return }
                buffer += chunk[0..<n]
            }
            let body = Data(buffer[0..<length])
            buffer.removeFirst(length)
            let request = LoopbackRequest(method: String(requestLine[0]), target: String(requestLine[1]), headers: headers, body: body)
            let response = handler(request)
            if response.header("x-test-drop-connection") != nil { return }
            var out = "HTTP/1.1 \(response.status) \(Self.reason(response.status))\r\n"
            for (name, value) in response.headers where name.lowercased() != "content-length" { out += "\(name): \(value)\r\n" }
            out += "content-length: \(response.body.count)\r\nconnection: keep-alive\r\n\r\n"
            let bytes = Array(out.utf8) + Array(response.body)
            let total = bytes.count
            var offset = 0
            while offset < total {
                // MSG_NOSIGNAL: a client that already hung up (interrupted, timed out) must not SIGPIPE the test process.
                let n = bytes.withUnsafeBytes { raw in send(fd, raw.baseAddress.map { $0 + offset }, total - offset, Int32(MSG_NOSIGNAL)) }
                if n <= 0 { return }
                offset += n
            }
        }
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if Array(haystack[i..<i + needle.count]) == needle { return i }
        }
        return nil
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 204: "No Content"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 404: "Not Found"
        case 409: "Conflict"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }

    public enum ServerError: Error { case socket(String) }
}
