// The production transport: one libcurl easy handle, reused so connections stay alive between calls.
import CCurl
import FoundationEssentials
import Glibc
import Synchronization

/// Set from a signal handler (Ctrl-C, SIGTERM); transfers in flight abort at their next progress tick.
public enum Interruption {
    public static let signal = Atomic<Int32>(0)
    public static var isRequested: Bool { signal.load(ordering: .relaxed) != 0 }
}

private let curlGlobalInit: Bool = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK }()

/// Accumulates one response; curl's callbacks reach it through an unmanaged pointer.
private final class ResponseSink {
    var body = Data()
    var headers: [(String, String)] = []
    var statusLineSeen = false
    let limit: Int
    var overflowed = false
    /// The status of the response being received (from its status line), to send 2xx bodies to `filePath`.
    var status = 0
    /// `HTTPRequest.responseFile`: opened (truncated) at the first 2xx body byte, or at the end for an empty body.
    let filePath: String?
    var fileDescriptor: Int32 = -1
    var fileError: Int32 = 0
    var fileBytes: Int64 = 0
    /// `HTTPRequest.bodyFile`, read with pread from `offset`; `sent` counts what curl has taken.
    let upload: FileRegion?
    var uploadDescriptor: Int32 = -1
    var sent: Int64 = 0
    var readError: Int32 = 0
    let progress: (@Sendable (Int64, Int64) -> Void)?
    /// Request header blocks sent so far (libcurl's own re-sends included), and who to tell.
    var sends = 0
    let method: [UInt8]
    let onSend: (@Sendable (Int) -> Void)?

    init(limit: Int, request: HTTPRequest) {
        self.limit = limit
        filePath = request.responseFile
        upload = request.bodyFile
        progress = request.progress
        method = Array((request.method + " ").utf8)
        onSend = request.onSend
    }

    /// A header block going out: a send when it starts with the request line ("POST /path ...").
    func headerOut(_ ptr: UnsafeRawPointer, _ count: Int) {
        guard count >= method.count, memcmp(ptr, method, method.count) == 0 else { return }
        sends += 1
        onSend?(sends)
    }

    var toFile: Bool { filePath != nil && (200..<300).contains(status) }

    func openFile() -> Bool {
        guard fileDescriptor < 0, let filePath else { return fileDescriptor >= 0 }
        fileDescriptor = open(filePath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)   // less the umask, as curl -o
        if fileDescriptor < 0 { fileError = errno; return false }
        return true
    }

    func write(_ ptr: UnsafeRawPointer, _ count: Int) -> Bool {
        guard openFile() else { return false }
        var done = 0
        while done < count {
            let n = Glibc.write(fileDescriptor, ptr + done, count - done)
            if n < 0 { if errno == EINTR { continue }; fileError = errno; return false }
            done += n
        }
        fileBytes += Int64(count)
        return true
    }

    /// Fills `buffer` from the upload region; 0 at its end, nil on a read error.
    func read(into buffer: UnsafeMutableRawPointer, max: Int) -> Int? {
        guard let upload else { return 0 }
        let left = upload.length - sent
        if left <= 0 { return 0 }
        let n = pread(uploadDescriptor, buffer, Int(min(Int64(max), left)), off_t(upload.offset + sent))
        if n < 0 { readError = errno; return nil }
        if n == 0 { readError = EIO; return nil }   // the file shrank under us
        sent += Int64(n)
        return n
    }

    deinit {
        if fileDescriptor >= 0 { close(fileDescriptor) }
        if uploadDescriptor >= 0 { close(uploadDescriptor) }
    }
}

public final class CurlTransport: HTTPTransport, @unchecked Sendable {
    // The handle is used by one request at a time (the lock); curl handles are not thread-safe.
    private let handle: UnsafeMutableRawPointer
    private let lock = Lock()
    public let options: TransferOptions

    public init(options: TransferOptions = TransferOptions()) throws(MediaError) {
        guard curlGlobalInit, let h = curl_easy_init() else {
            let why = String(cString: ccurl_load_error())
            throw .network("libcurl could not be initialised\(why.isEmpty ? "" : ": \(why)")")
        }
        handle = h
        self.options = options
    }

    deinit { curl_easy_cleanup(handle) }

    public func send(_ request: HTTPRequest) throws(MediaError) -> HTTPResponse {
        lock.lock()
        defer { lock.unlock() }
        if Interruption.isRequested { throw .cancelled("interrupted") }
        curl_easy_reset(handle)

        let sink = ResponseSink(limit: options.maxResponseBytes, request: request)
        let sinkPtr = Unmanaged.passUnretained(sink).toOpaque()
        if let region = request.bodyFile {
            sink.uploadDescriptor = open(region.path, O_RDONLY | O_CLOEXEC)
            if sink.uploadDescriptor < 0 { throw .usage("cannot read \(region.path): \(String(cString: strerror(errno)))") }
        }
        // Streamed transfers may take long: instead of a total time limit they fail when stalled that long.
        let streamed = request.bodyFile != nil || request.responseFile != nil
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)

        var headerList: UnsafeMutablePointer<curl_slist>?
        for (name, value) in request.headers { headerList = curl_slist_append(headerList, "\(name): \(value)") }
        // Signed requests must go out exactly as signed: no Expect: 100-continue, no default content-type.
        headerList = curl_slist_append(headerList, "Expect:")
        if request.header("content-type") == nil { headerList = curl_slist_append(headerList, "Content-Type:") }
        if request.header("accept") == nil { headerList = curl_slist_append(headerList, "Accept:") }
        defer { curl_slist_free_all(headerList) }

        let code: CURLcode = request.body.withUnsafeBytes { body in
            errorBuffer.withUnsafeMutableBufferPointer { errbuf in
                set(CURLOPT_URL, request.url.description)
                set(CURLOPT_PATH_AS_IS, 1)
                set(CURLOPT_NOSIGNAL, 1)
                set(CURLOPT_FOLLOWLOCATION, 0)
                set(CURLOPT_PROTOCOLS_STR, "http,https")
                set(CURLOPT_CONNECTTIMEOUT_MS, Int(options.connectTimeout * 1000))
                // libcurl re-sends a request by itself when a reused connection closes before any answer (up to
                // 5 times, unseen by the layers above). A call that is not safe to repeat (no retry token: an
                // OpenTok archive start, a SIP dial), or one on the retry layer's last attempt, goes on a fresh
                // connection, where libcurl never does that; FORBID_REUSE is not needed, the connection may serve
                // later calls. Every other send is counted below and reported through `onSend`.
                if !request.transportMayResend { set(CURLOPT_FRESH_CONNECT, 1) }
                set(CURLOPT_VERBOSE, 1)   // only feeds DEBUGFUNCTION: nothing is printed
                ccurl_setopt_pointer(handle, CURLOPT_DEBUGDATA, sinkPtr)
                ccurl_setopt_debug_callback(handle) { _, type, data, size, userdata in
                    guard type == CURLINFO_HEADER_OUT, let data, let userdata else { return 0 }
                    Unmanaged<ResponseSink>.fromOpaque(userdata).takeUnretainedValue().headerOut(data, size)
                    return 0
                }
                if streamed {
                    set(CURLOPT_LOW_SPEED_LIMIT, 1)
                    set(CURLOPT_LOW_SPEED_TIME, max(1, Int(options.totalTimeout)))
                } else {
                    set(CURLOPT_TIMEOUT_MS, Int(options.totalTimeout * 1000))
                }
                set(CURLOPT_USERAGENT, options.userAgent)
                set(CURLOPT_SSLVERSION, Int(CURL_SSLVERSION_TLSv1_2))
                // TLS verification is always on: no flag or variable turns it off (--ca-bundle only adds trust).
                set(CURLOPT_SSL_VERIFYPEER, 1)
                set(CURLOPT_SSL_VERIFYHOST, 2)
                if let ca = options.caBundle { set(CURLOPT_CAINFO, ca) }
                // Unset, libcurl honours HTTPS_PROXY, https_proxy, ALL_PROXY and NO_PROXY; set, NO_PROXY still applies.
                if let proxy = options.proxy { set(CURLOPT_PROXY, proxy) }
                ccurl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errbuf.baseAddress)
                ccurl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList)

                switch request.method {
                case _ where request.bodyFile != nil:
                    // Streamed upload: Content-Length from the region's size, bytes pulled by READFUNCTION.
                    set(CURLOPT_UPLOAD, 1)
                    if request.method != "PUT" { set(CURLOPT_CUSTOMREQUEST, request.method) }
                    ccurl_setopt_off(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(request.bodyLength))
                    ccurl_setopt_data_callback(handle, CURLOPT_READFUNCTION) { ptr, size, count, userdata in
                        guard let ptr, let userdata else { return Int(CURL_READFUNC_ABORT) }
                        let sink = Unmanaged<ResponseSink>.fromOpaque(userdata).takeUnretainedValue()
                        return sink.read(into: ptr, max: size * count) ?? Int(CURL_READFUNC_ABORT)
                    }
                    ccurl_setopt_pointer(handle, CURLOPT_READDATA, sinkPtr)
                case "GET": set(CURLOPT_HTTPGET, 1)
                case "HEAD": set(CURLOPT_NOBODY, 1)
                default:
                    set(CURLOPT_CUSTOMREQUEST, request.method)
                    if request.method != "DELETE" || !request.body.isEmpty {
                        // POSTFIELDS with an explicit size: Content-Length equals the signed length, no chunking.
                        set(CURLOPT_POST, 1)
                        ccurl_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
                        ccurl_setopt_pointer(handle, CURLOPT_POSTFIELDS,
                                             UnsafeMutableRawPointer(mutating: body.baseAddress ?? UnsafeRawPointer(bitPattern: 1)))
                    }
                }

                ccurl_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION) { ptr, size, count, userdata in
                    guard let ptr, let userdata else { return 0 }
                    let sink = Unmanaged<ResponseSink>.fromOpaque(userdata).takeUnretainedValue()
                    let n = size * count
                    if sink.toFile { return sink.write(ptr, n) ? n : 0 }
                    if sink.body.count + n > sink.limit { sink.overflowed = true; return 0 }
                    sink.body.append(UnsafeRawPointer(ptr).assumingMemoryBound(to: UInt8.self), count: n)
                    return n
                }
                ccurl_setopt_pointer(handle, CURLOPT_WRITEDATA, sinkPtr)
                ccurl_setopt_data_callback(handle, CURLOPT_HEADERFUNCTION) { ptr, size, count, userdata in
                    guard let ptr, let userdata else { return 0 }
                    let sink = Unmanaged<ResponseSink>.fromOpaque(userdata).takeUnretainedValue()
                    let n = size * count
                    let line = String(decoding: UnsafeRawBufferPointer(start: ptr, count: n), as: UTF8.self)
                        .trimming(.whitespacesAndNewlines)
                    if line.hasPrefix("HTTP/") {
                        sink.headers.removeAll()   // a new response (after 100-continue or similar)
                        let parts = line.split(separator: " ")
                        sink.status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
                    } else if let colon = line.firstIndex(of: ":") {
                        let name = line[..<colon].trimming(.whitespaces).lowercased()
                        let value = line[line.index(after: colon)...].trimming(.whitespaces)
                        sink.headers.append((name, value))
                    }
                    return n
                }
                ccurl_setopt_pointer(handle, CURLOPT_HEADERDATA, sinkPtr)
                set(CURLOPT_NOPROGRESS, 0)
                ccurl_setopt_pointer(handle, CURLOPT_XFERINFODATA, sinkPtr)
                ccurl_setopt_xferinfo_callback(handle) { userdata, _, received, _, sent in
                    if Interruption.isRequested { return 1 }
                    if let userdata {
                        let sink = Unmanaged<ResponseSink>.fromOpaque(userdata).takeUnretainedValue()
                        sink.progress?(Int64(sent), Int64(received))
                    }
                    return 0
                }
                return curl_easy_perform(handle)
            }
        }

        let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            .trimming(.whitespacesAndNewlines)
        var what = "\(request.method) \(request.url.scheme)://\(request.url.authority)\(request.url.path)"
        if sink.sends > 1 { what += " (sent \(sink.sends) times: libcurl re-sent it after a reused connection closed unanswered)" }
        if code != CURLE_OK, sink.readError != 0 {
            throw .usage("cannot read \(request.bodyFile?.path ?? "the body file"): \(String(cString: strerror(sink.readError)))")
        }
        switch code {
        case CURLE_OK: break
        case CURLE_ABORTED_BY_CALLBACK: throw .cancelled("interrupted during \(what)")
        case CURLE_OPERATION_TIMEDOUT:
            throw .timeout("\(what) timed out (\(detail.isEmpty ? "no response" : detail))")
        case CURLE_WRITE_ERROR where sink.overflowed:
            throw .tooLarge("\(what): response larger than \(options.maxResponseBytes) bytes; refused")
        case CURLE_WRITE_ERROR where sink.fileError != 0:
            throw .usage("cannot write \(sink.filePath ?? "the response file"): \(String(cString: strerror(sink.fileError)))")

        case CURLE_COULDNT_CONNECT where ["127.0.0.1", "localhost", "[::1]", "::1"].contains(request.url.host):
            throw .unreachable("\(what) failed: connection refused (nothing listens at \(request.url.authority))")
        default:
            let reason = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            throw .network("\(what) failed: \(reason)")
        }
        var status = 0
        ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        if request.responseFile != nil, (200..<300).contains(status), !sink.openFile() {
            throw .usage("cannot write \(sink.filePath ?? ""): \(String(cString: strerror(sink.fileError)))")
        }
        return HTTPResponse(status: status, headers: sink.headers, body: sink.body)
    }

    @discardableResult
    private func set(_ option: CURLoption, _ value: Int) -> CURLcode { ccurl_setopt_long(handle, option, value) }

    @discardableResult
    private func set(_ option: CURLoption, _ value: String) -> CURLcode {
        // libcurl copies string options (since 7.17), so the temporary C string may go.
        value.withCString { ccurl_setopt_string(handle, option, $0) }
    }
}
