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

    public let port: UInt16
    private let listener: Int32
    private let handler: Handler
    private let lock = NSLock()
    private var stopped = false
    private var connections: [Int32] = []

    /// Binds an ephemeral port on 127.0.0.1 and starts accepting.
    public init(handler: @escaping Handler) throws {
        self.handler = handler
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerError.socket("socket: \(errno)") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else { close(fd); throw ServerError.socket("bind/listen: \(errno)") }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = UInt16(bigEndian: actual.sin_port)
        let t = Thread { [weak self] in self?.acceptLoop() }
        t.start()
    }

    deinit { stop() }

    public var baseURL: String { "http://127.0.0.1:\(port)" }
    public var hostPort: String { "127.0.0.1:\(port)" }

    public func stop() {
        let fds: [Int32]? = lock.withLock {
            if stopped { return nil }
            stopped = true
            return connections
        }
        // A second stop (explicit, then deinit) must not close the listener's number again: by then it
        // may belong to another test's socket.
        guard let fds else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        for fd in fds { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    private func acceptLoop() {
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR { continue }
                return
            }
            let accepted = lock.withLock { () -> Bool in
                if stopped { return false }
                connections.append(fd)
                return true
            }
            guard accepted else { close(fd); return }
            let t = Thread { [weak self] in
                self?.serve(fd)
                close(fd)
                self?.lock.withLock { self?.connections.removeAll { $0 == fd } }
            }
            t.start()
        }
    }

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
                let n = bytes.withUnsafeBytes { raw in write(fd, raw.baseAddress.map { $0 + offset }, total - offset) }
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
