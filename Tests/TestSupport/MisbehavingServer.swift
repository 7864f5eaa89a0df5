// A loopback server that answers badly on purpose: raw bytes then close (truncated bodies), no answer
// at all (a stalled server), one byte at a time (slow drip), or a TCP reset. For hostile-response tests.
import Foundation

public final class MisbehavingServer: @unchecked Sendable {
    public enum Behaviour: Sendable {
        /// Writes these bytes as the whole answer, then closes.
        case raw(Data)
        /// Reads the request and never answers (the connection stays open until stop()).
        case stall
        /// Writes the bytes one at a time, `interval` seconds apart.
        case drip(Data, interval: Double)
        /// Closes with SO_LINGER 0, so the client sees a connection reset.
        case reset
    }

    public var port: UInt16 { listener.port }
    private let listener: LoopbackListener
    private let behaviour: Behaviour
    private let lock = NSLock()
    private var count = 0

    public init(_ behaviour: Behaviour) throws {
        self.behaviour = behaviour
        listener = try LoopbackListener()
        listener.start { [weak self] fd in self?.serve(fd) }
    }

    deinit { stop() }

    public var baseURL: String { "http://127.0.0.1:\(port)" }
    /// Requests whose head was read.
    public var requestCount: Int { lock.withLock { count } }

    public func stop() { listener.stop() }

    /// An HTTP/1.1 200 head with this body and a Content-Length (pass `declaredLength` to lie about it).
    public static func response(_ body: String, status: Int = 200, declaredLength: Int? = nil) -> Data {
        let bytes = Data(body.utf8)
        return Data("HTTP/1.1 \(status) X\r\ncontent-type: application/json\r\ncontent-length: \(declaredLength ?? bytes.count)\r\nconnection: close\r\n\r\n".utf8) + bytes
    }

    private func serve(_ fd: Int32) {
        // Read the head (and whatever body arrived with it); these tests never need the body.
        var seen = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 65536)
        while LoopbackServer.find([13, 10, 13, 10], in: seen) == nil {
            let n = read(fd, &chunk, chunk.count)
            if n <= 0 { return }
            seen += chunk[0..<n]
        }
        lock.withLock { count += 1 }
        switch behaviour {
        case let .raw(data):
            writeAll(fd, data)
        case .stall:
            while read(fd, &chunk, chunk.count) > 0 {}
        case let .drip(data, interval):
            for byte in data {
                if listener.isStopped { return }
                guard writeAll(fd, Data([byte])) else { return }
                usleep(useconds_t(interval * 1_000_000))
            }
        case .reset:
            var linger = Foundation.linger(l_onoff: 1, l_linger: 0)
            setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Foundation.linger>.size))
        }
    }

    @discardableResult
    private func writeAll(_ fd: Int32, _ data: Data) -> Bool {
        let bytes = [UInt8](data)
        var offset = 0
        while offset < bytes.count {
            // MSG_NOSIGNAL: a client that hangs up mid-answer (it refused a huge body) must not SIGPIPE the test process.
            let n = bytes.withUnsafeBytes { raw in send(fd, raw.baseAddress.map { $0 + offset }, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }
}
