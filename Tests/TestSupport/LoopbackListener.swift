// The listening half shared by the loopback test servers: an ephemeral 127.0.0.1 port, a thread per
// connection, and a stop that closes the listener once and shuts down every open connection.
import Foundation

public final class LoopbackListener: @unchecked Sendable {
    public let port: UInt16
    private let fd: Int32
    private let lock = NSLock()
    private var stopped = false
    private var connections: [Int32] = []

    public init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LoopbackServer.ServerError.socket("socket: \(errno)") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else { close(fd); throw LoopbackServer.ServerError.socket("bind/listen: \(errno)") }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.fd = fd
        port = UInt16(bigEndian: actual.sin_port)
    }

    deinit { stop() }

    public var isStopped: Bool { lock.withLock { stopped } }

    /// Accepts until stopped; `serve` runs on a thread of its own per connection, which is closed after.
    public func start(_ serve: @escaping @Sendable (Int32) -> Void) {
        Thread { [weak self] in
            while let self {
                let conn = accept(self.fd, nil, nil)
                if conn < 0 {
                    if errno == EINTR { continue }
                    return
                }
                let accepted = self.lock.withLock { () -> Bool in
                    if self.stopped { return false }
                    self.connections.append(conn)
                    return true
                }
                guard accepted else { close(conn); return }
                Thread { [weak self] in
                    serve(conn)
                    close(conn)
                    self?.lock.withLock { self?.connections.removeAll { $0 == conn } }
                }.start()
            }
        }.start()
    }

    public func stop() {
        let fds: [Int32]? = lock.withLock {
            if stopped { return nil }
            stopped = true
            return connections
        }
        // A second stop (explicit, then deinit) must not close the listener's number again: by then it
        // may belong to another test's socket.
        guard let fds else { return }
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
        for conn in fds { shutdown(conn, Int32(SHUT_RDWR)) }
    }
}
