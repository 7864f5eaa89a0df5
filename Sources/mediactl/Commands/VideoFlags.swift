// Flags shared by the OpenTok (Vonage Video) commands, the credentials they read, and the client
// they build: libcurl, then (outermost first) retries → repeat guard → X-OPENTOK-AUTH → redacted debug log.
import FoundationEssentials
import Glibc
import MediaKit

enum VideoFlags {
    static let defaultAPIURL = "https://api.opentok.com"

    static let apiKey = FlagSpec(name: "api-key", meta: "KEY", help: "OpenTok project API key (a number)", env: "OPENTOK_API_KEY",
                                 prompt: "OpenTok API key")
    static let apiSecretFile = FlagSpec(name: "api-secret-file", kind: .file, meta: "PATH",
                                        help: "file holding the API secret; else OPENTOK_API_SECRET, else a no-echo prompt (never a flag value)",
                                        env: "OPENTOK_API_SECRET_FILE")
    /// Catches `--api-secret VALUE` to explain why it is refused; hidden from help and completion.
    static let apiSecretRefused = FlagSpec(name: "api-secret", meta: "SECRET", help: "refused: use OPENTOK_API_SECRET or --api-secret-file",
                                           fromDefaultsFile: false, hidden: true)
    static let apiURL = FlagSpec(name: "api-url", meta: "URL", help: "OpenTok REST base URL (a local emulator in tests)", env: "OPENTOK_API_URL",
                                 defaultValue: defaultAPIURL)
    static let requestTimeout = FlagSpec(name: "request-timeout", kind: .number(0.1...3600), meta: "SECONDS",
                                         help: "total time allowed per OpenTok request (default: --read-timeout)", env: "OPENTOK_REQUEST_TIMEOUT")

    /// Credentials only: `token` makes tokens locally and sends nothing.
    static let credentials = [apiKey, apiSecretFile, apiSecretRefused]
    /// Everything a command that calls the API needs.
    static let connection = credentials + [apiURL, requestTimeout]

    static let sessionID = FlagSpec(name: "session-id", meta: "ID", help: "the OpenTok session", env: "OPENTOK_SESSION_ID",
                                    prompt: "Session ID")
    /// Narrows a list; no env fallback, so an exported OPENTOK_SESSION_ID never filters a list silently.
    static let sessionFilter = FlagSpec(name: "session-id", meta: "ID", help: "only those of this session", fromDefaultsFile: false)
    static let connectionID = FlagSpec(name: "connection-id", meta: "ID", help: "one connection of the session (default: all)",
                                       fromDefaultsFile: false)
    static let streamID = FlagSpec(name: "stream-id", meta: "ID", help: "the stream", fromDefaultsFile: false, prompt: "Stream ID")

    static let resolution = FlagSpec(name: "resolution", kind: .choice(OpenTokResolution.allCases.map(\.rawValue)), meta: "WxH",
                                     help: "video size (landscape or portrait)", fromDefaultsFile: false)
    static let streamMode = FlagSpec(name: "stream-mode", kind: .choice(OpenTokStreamMode.allCases.map(\.rawValue)), meta: "MODE",
                                     help: "auto: every stream; manual: only those added with add-stream", defaultValue: "auto")
    static let maxBitrate = FlagSpec(name: "max-bitrate", kind: .integer(OpenTokLimits.maxBitrate), meta: "BPS",
                                     help: "maximum video bitrate in bits per second", fromDefaultsFile: false)
    static let noAudio = FlagSpec(name: "no-audio", kind: .bool, help: "leave the audio out", fromDefaultsFile: false)
    static let noVideo = FlagSpec(name: "no-video", kind: .bool, help: "leave the video out", fromDefaultsFile: false)

    static let layoutTypes = OpenTokLayoutType.allCases.map(\.rawValue)
    static func layout(required: Bool) -> [FlagSpec] {
        [FlagSpec(name: "layout", kind: .choice(layoutTypes), meta: "TYPE", help: "layout of the composed video", fromDefaultsFile: false,
                  prompt: required ? "Layout type" : nil),
         FlagSpec(name: "stylesheet", meta: "CSS", help: "CSS for the custom layout type", fromDefaultsFile: false),
         FlagSpec(name: "stylesheet-file", kind: .file, meta: "PATH", help: "read the custom layout's CSS from a file", fromDefaultsFile: false),
         FlagSpec(name: "screenshare-type", kind: .choice(layoutTypes.filter { $0 != "custom" }), meta: "TYPE",
                  help: "layout while a screen is shared (needs --layout bestFit)", fromDefaultsFile: false)]
    }

    static func idArgument(_ noun: String) -> PositionalSpec {
        PositionalSpec(name: "id", help: "the \(noun)'s ID", prompt: "\(noun.prefix(1).uppercased())\(noun.dropFirst()) ID")
    }
}

extension Invocation {
    // MARK: credentials

    /// Key from --api-key / OPENTOK_API_KEY / the defaults file / a prompt; secret from the sources
    /// `openTokSecret` lists. Neither value is ever echoed in a message.
    /// `apiKey`: one already read (so a prompted key is not asked for twice).
    func openTokCredentials(apiKey: String? = nil) throws(CLIError) -> OpenTokCredentials {
        if line.values["api-secret"] != nil {
            throw .usage("--api-secret is not accepted: a secret on the command line shows in ps and shell history. Set OPENTOK_API_SECRET, give --api-secret-file PATH, or answer the prompt")
        }
        var key = apiKey
        if key == nil { key = try required("api-key") }
        let secret = try openTokSecret()
        let number = key ?? ""
        return try call { () throws(MediaError) in try OpenTokCredentials(apiKey: number, apiSecret: secret) }
    }

    /// --api-secret-file on the line > OPENTOK_API_SECRET > OPENTOK_API_SECRET_FILE or `api-secret-file`
    /// in the defaults file > a no-echo prompt on a terminal.
    private func openTokSecret() throws(CLIError) -> String {
        let fileOnLine = line.values["api-secret-file"] != nil
        if !fileOnLine, let secret = environment["OPENTOK_API_SECRET"], !secret.isEmpty { return secret }
        if let path = try string("api-secret-file") {
            let full = expand(path)
            let data: Data
            do { data = try LocalFiles(maxBytes: 64 << 10).read(full) } catch { throw .usage("--api-secret-file \(path): \(error.reason)") }
            var info = stat()
            if stat(full, &info) == 0, info.st_mode & 0o077 != 0 {
                io.warn("--api-secret-file \(path) can be read by other users; chmod 600 \(path)")
            }
            let secret = String(decoding: data, as: UTF8.self).trimming(.whitespacesAndNewlines)
            if secret.isEmpty { throw .usage("--api-secret-file \(path) is empty") }
            return secret
        }
        if let answer = try Prompter.askSecret("OpenTok API secret", io: io) { return answer }
        throw .usage("missing the OpenTok API secret: set OPENTOK_API_SECRET or give --api-secret-file PATH (never the secret itself as a flag)")
    }

    // MARK: client

    func openTokClient() throws(CLIError) -> OpenTokClient { try openTokClient(credentials: try openTokCredentials()) }

    func openTokClient(credentials: OpenTokCredentials) throws(CLIError) -> OpenTokClient {
        let text = try string("api-url") ?? VideoFlags.defaultAPIURL
        guard let base = RequestURL(text), base.query == nil else {
            throw .usage("--api-url: '\(text)' is not an http(s) URL such as \(VideoFlags.defaultAPIURL)")
        }
        if base.scheme == "http", !["127.0.0.1", "localhost", "[::1]"].contains(base.host) {
            io.warn("--api-url \(text) is plain http: anyone on the path can read and replay each request's JWT")
        }
        var total = try double("request-timeout")
        if total == nil { total = try double("read-timeout") }
        let options = TransferOptions(connectTimeout: try double("connect-timeout") ?? 10, totalTimeout: total ?? 60,
                                      caBundle: try string("ca-bundle").map(expand))
        var transport: any HTTPTransport = try call { () throws(MediaError) in try CurlTransport(options: options) }
        let io = self.io
        let debug = try bool("debug")
        if debug { transport = DebugLogTransport(inner: transport, log: { io.debug($0) }) }
        transport = OpenTokAuthTransport(inner: transport, credentials: credentials, clock: clock)
        transport = RetryingTransport(inner: transport, policy: try retryPolicy, clock: clock,
                                      onRetry: { message in if debug { io.debug(message) } else { io.progress(message) } })
        if debug { io.debug("OpenTok API \(base), API key \(credentials.apiKey)") }
        return OpenTokClient(transport: transport, baseURL: base, apiKey: credentials.apiKey)
    }

    // MARK: option readers

    /// The layout flags as a layout; nil when none was given. `--stylesheet` and `--stylesheet-file` are one value.
    func openTokLayout(required: Bool) throws(CLIError) -> OpenTokLayout? {
        var stylesheet = try string("stylesheet")
        if let path = try string("stylesheet-file") {
            if stylesheet != nil { throw .usage("--stylesheet and --stylesheet-file cannot be combined") }
            do { stylesheet = String(decoding: try LocalFiles(maxBytes: 1 << 20).read(expand(path)), as: UTF8.self) } catch {
                throw .usage("--stylesheet-file \(path): \(error.reason)")
            }
        }
        let screenshare = try string("screenshare-type").flatMap(OpenTokLayoutType.init(rawValue:))
        let typeName = required ? try self.required("layout") : try string("layout")
        guard let typeName, let type = OpenTokLayoutType(rawValue: typeName) else {
            if stylesheet != nil { throw .usage("--stylesheet needs --layout custom") }
            if screenshare != nil { throw .usage("--screenshare-type needs --layout bestFit") }
            return nil
        }
        let layout = OpenTokLayout(type: type, stylesheet: stylesheet, screenshareType: screenshare)
        do throws(MediaError) { try layout.validate() } catch {
            // Name the flags: the library speaks of layouts, the user typed flags.
            if stylesheet != nil && type != .custom { throw .usage("--stylesheet needs --layout custom (got \(type.rawValue))") }
            if type == .custom && (stylesheet ?? "").isEmpty { throw .usage("--layout custom needs --stylesheet or --stylesheet-file") }
            if screenshare != nil && type != .bestFit { throw .usage("--screenshare-type needs --layout bestFit (got \(type.rawValue))") }
            throw .media(error)
        }
        return layout
    }

    /// Validates a library option value before any credential is read or request sent.
    func checked(_ validate: () throws(MediaError) -> Void) throws(CLIError) {
        do { try validate() } catch { throw .media(error) }
    }
}
