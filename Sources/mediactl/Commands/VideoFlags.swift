// Flags shared by the OpenTok (Vonage Video) commands, the credentials they read (OpenTok key and secret,
// or a Vonage application ID and private key: docs/video-credentials.md); MediaKit's ConnectionFactory
// builds the client from them (Connections.swift).
import FoundationEssentials
import Glibc
import MediaKit

enum VideoFlags {
    static let defaultAPIURL = "https://api.opentok.com"
    static let defaultVonageURL = "https://video.api.vonage.com"

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

    static let applicationID = FlagSpec(name: "application-id", meta: "UUID",
                                        help: "Vonage application ID: with --private-key-file, use the Vonage Video API instead of OpenTok",
                                        env: "VONAGE_APPLICATION_ID", prompt: "Vonage application ID")
    static let privateKeyFile = FlagSpec(name: "private-key-file", kind: .file, meta: "PATH",
                                         help: "the Vonage application's private key (PEM; encrypted: VONAGE_PRIVATE_KEY_PASSPHRASE); never the key as a value",
                                         env: "VONAGE_PRIVATE_KEY_PATH")
    /// Catches `--private-key PEM` to explain why it is refused; hidden from help and completion.
    static let privateKeyRefused = FlagSpec(name: "private-key", meta: "KEY", help: "refused: use --private-key-file or VONAGE_PRIVATE_KEY_PATH",
                                            fromDefaultsFile: false, hidden: true)
    static let platform = FlagSpec(name: "video-platform", kind: .choice(VideoPlatform.allCases.map(\.rawValue)), meta: "PLATFORM",
                                   help: "use these credentials when both kinds are set (default: the kind given)", env: "MEDIACTL_VIDEO_PLATFORM")
    static let vonageURL = FlagSpec(name: "video-url", meta: "URL", help: "Vonage Video API base URL (a local emulator in tests)",
                                    env: "VONAGE_VIDEO_URL", defaultValue: defaultVonageURL)

    /// Credentials only: `token` makes tokens locally and sends nothing.
    static let credentials = [apiKey, apiSecretFile, apiSecretRefused, applicationID, privateKeyFile, privateKeyRefused, platform]
    /// Everything a command that calls the API needs.
    static let connection = credentials + [apiURL, vonageURL, requestTimeout]

    /// Where each kind of credential can be given, for deciding the platform and for messages.
    static let openTokFlags = ["api-key", "api-secret-file"]
    static let vonageFlags = ["application-id", "private-key-file"]
    static let openTokVariables = ["OPENTOK_API_KEY", "OPENTOK_API_SECRET", "OPENTOK_API_SECRET_FILE"]
    static let vonageVariables = ["VONAGE_APPLICATION_ID", "VONAGE_PRIVATE_KEY_PATH"]
    static let passphraseVariable = "VONAGE_PRIVATE_KEY_PASSPHRASE"

    /// A client token of the user's own for captions, render and the Audio Connector: from a file (or
    /// MEDIACTL_CLIENT_TOKEN, `ownClientTokenVariable`), never as a value on the command line.
    static let clientTokenFile = FlagSpec(name: "token-file", kind: .file, meta: "PATH",
                                          help: "a client token of your own for the service to join with (default: one mediactl makes); else MEDIACTL_CLIENT_TOKEN",
                                          env: "MEDIACTL_CLIENT_TOKEN_FILE")
    static let ownClientTokenVariable = "MEDIACTL_CLIENT_TOKEN"

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
    func openTokCredentials(apiKey: String? = nil) throws(MediaError) -> OpenTokCredentials {
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
    private func openTokSecret() throws(MediaError) -> String {
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
        if let answer = try io.askSecret("OpenTok API secret") { return answer }
        throw .usage("missing the OpenTok API secret: set OPENTOK_API_SECRET or give --api-secret-file PATH (never the secret itself as a flag)")
    }

    /// The user's own client token: --token-file on the line > MEDIACTL_CLIENT_TOKEN > MEDIACTL_CLIENT_TOKEN_FILE or
    /// `token-file` in the defaults file; nil when none is given (mediactl then makes one). The token grants access to
    /// the session, so no message ever quotes it; the service, not mediactl, judges whether it fits the call.
    func ownClientToken() throws(MediaError) -> String? {
        let fileOnLine = line.values["token-file"] != nil
        if !fileOnLine, let token = environment[VideoFlags.ownClientTokenVariable], !token.isEmpty {
            return try Self.checkedClientToken(token, from: VideoFlags.ownClientTokenVariable)
        }
        guard let (path, source) = try raw("token-file") else { return nil }
        var label = "--token-file \(path)"
        if case let .env(name) = source { label = "\(name) \(path)" }
        if case let .defaultsFile(key) = source { label = "'\(key)' in the defaults file (\(path))" }
        let full = expand(path)
        let data: Data
        do { data = try LocalFiles(maxBytes: 64 << 10).read(full) } catch { throw .usage("\(label): \(error.reason)") }
        var info = stat()
        if stat(full, &info) == 0, info.st_mode & 0o077 != 0 { io.warn("\(label) can be read by other users; chmod 600 \(path)") }
        return try Self.checkedClientToken(String(decoding: data, as: UTF8.self).trimming(.whitespacesAndNewlines), from: label)
    }

    /// One token on one line: a file holding more is a mistake worth stopping for (the wrong file, two tokens).
    static func checkedClientToken(_ token: String, from label: String) throws(MediaError) -> String {
        if token.isEmpty { throw .usage("\(label): the client token is empty") }
        if token.contains(where: { $0.isWhitespace }) {
            throw .usage("\(label): expected one client token (no spaces or line breaks inside)")
        }
        return token
    }

    // MARK: platform

    /// Which platform the given credentials point at, and why (for --debug). The first that says something wins:
    /// --video-platform on the line; credential flags on the line (both kinds: refused); MEDIACTL_VIDEO_PLATFORM;
    /// credential variables (both kinds: refused); the defaults file (likewise); else OpenTok.
    func videoPlatform() throws(MediaError) -> (platform: VideoPlatform, reason: String) {
        func flags(_ names: [String]) -> String { names.map { "--\($0)" }.joined(separator: ", ") }
        if line.values["private-key"] != nil {
            throw .usage("--private-key is not accepted: a key on the command line shows in ps and shell history. Give --private-key-file PATH or set VONAGE_PRIVATE_KEY_PATH")
        }
        let openTokOnLine = VideoFlags.openTokFlags.filter { line.values[$0] != nil }
        let vonageOnLine = VideoFlags.vonageFlags.filter { line.values[$0] != nil }
        if line.values["video-platform"] != nil, let chosen = try string("video-platform").flatMap(VideoPlatform.init(rawValue:)) {
            let other = chosen == .opentok ? vonageOnLine : openTokOnLine
            if !other.isEmpty { throw .usage("\(flags(other)) cannot be combined with --video-platform \(chosen.rawValue)") }
            return (chosen, "--video-platform \(chosen.rawValue)")
        }
        if !openTokOnLine.isEmpty && !vonageOnLine.isEmpty {
            throw .usage("both OpenTok (\(flags(openTokOnLine))) and Vonage (\(flags(vonageOnLine))) credentials were given: give one kind")
        }
        if !openTokOnLine.isEmpty { return (.opentok, flags(openTokOnLine)) }
        if !vonageOnLine.isEmpty { return (.vonage, flags(vonageOnLine)) }
        if let value = environment["MEDIACTL_VIDEO_PLATFORM"], !value.isEmpty,
           let chosen = try string("video-platform").flatMap(VideoPlatform.init(rawValue:)) {
            return (chosen, "MEDIACTL_VIDEO_PLATFORM=\(chosen.rawValue)")
        }
        let openTokEnv = VideoFlags.openTokVariables.filter { !(environment[$0] ?? "").isEmpty }
        let vonageEnv = VideoFlags.vonageVariables.filter { !(environment[$0] ?? "").isEmpty }
        if !openTokEnv.isEmpty && !vonageEnv.isEmpty {
            throw .usage("both OpenTok (\(openTokEnv.joined(separator: ", "))) and Vonage (\(vonageEnv.joined(separator: ", "))) credentials are set in the environment: choose with --video-platform opentok|vonage or MEDIACTL_VIDEO_PLATFORM, or unset one kind")
        }
        if !openTokEnv.isEmpty { return (.opentok, openTokEnv.joined(separator: ", ")) }
        if !vonageEnv.isEmpty { return (.vonage, vonageEnv.joined(separator: ", ")) }
        func inDefaults(_ name: String) throws(MediaError) -> Bool {
            if case .defaultsFile? = try raw(name)?.1 { return true }
            return false
        }
        if try inDefaults("video-platform"), let chosen = try string("video-platform").flatMap(VideoPlatform.init(rawValue:)) {
            return (chosen, "'video-platform' in the defaults file")
        }
        var openTokDefaults: [String] = [], vonageDefaults: [String] = []
        for name in VideoFlags.openTokFlags where try inDefaults(name) { openTokDefaults.append(name) }
        for name in VideoFlags.vonageFlags where try inDefaults(name) { vonageDefaults.append(name) }
        if !openTokDefaults.isEmpty && !vonageDefaults.isEmpty {
            throw .usage("the defaults file \(defaultsPath) has both OpenTok (\(openTokDefaults.joined(separator: ", "))) and Vonage (\(vonageDefaults.joined(separator: ", "))) credentials: add video-platform = opentok or vonage to it, or remove one kind")
        }
        if !vonageDefaults.isEmpty { return (.vonage, "\(vonageDefaults.joined(separator: ", ")) in the defaults file") }
        if !openTokDefaults.isEmpty { return (.opentok, "\(openTokDefaults.joined(separator: ", ")) in the defaults file") }
        return (.opentok, "no Vonage credentials given")
    }

    /// The platform and its project, shape-checked, before any secret or key is read: what token checks need.
    func videoProject() throws(MediaError) -> (platform: VideoPlatform, projectID: String) {
        let platform = try videoPlatform().platform
        return (platform, platform == .vonage ? try vonageApplicationID() : try required("api-key"))
    }

    /// The credentials of the platform `project` names (or the one the given credentials point at).
    func videoCredentials(project: (platform: VideoPlatform, projectID: String)? = nil) throws(MediaError) -> VideoCredentials {
        var chosen = project
        if chosen == nil { chosen = try videoProject() }
        guard let (platform, projectID) = chosen else { throw .usage("internal: no video platform") }
        switch platform {
        case .opentok: return .openTok(try openTokCredentials(apiKey: projectID))
        case .vonage: return .vonage(try vonageCredentials(applicationID: projectID))
        }
    }

    // MARK: Vonage credentials

    /// --application-id / VONAGE_APPLICATION_ID / the defaults file / a prompt, shaped like a UUID.
    func vonageApplicationID() throws(MediaError) -> String {
        let id = try required("application-id")
        do throws(MediaError) { try VonageCredentials.checkApplicationID(id) } catch {
            var from = "--application-id"
            if line.values["application-id"] == nil, case let .env(name)? = try raw("application-id")?.1 { from += " (from \(name))" }
            throw .usage("\(from): \(error.message)")
        }
        return id
    }

    /// The application's key from --private-key-file / VONAGE_PRIVATE_KEY_PATH / `private-key-file` in the defaults
    /// file; an encrypted key's pass phrase from VONAGE_PRIVATE_KEY_PASSPHRASE or a no-echo prompt. Never a value
    /// on the command line. File problems are configuration errors (exit 3), as for OCI key files.
    func vonageCredentials(applicationID: String) throws(MediaError) -> VonageCredentials {
        if line.values["private-key"] != nil {
            throw .usage("--private-key is not accepted: a key on the command line shows in ps and shell history. Give --private-key-file PATH or set VONAGE_PRIVATE_KEY_PATH")
        }
        guard let (path, source) = try raw("private-key-file") else {
            throw .usage("missing the Vonage application's private key: give --private-key-file PATH or set VONAGE_PRIVATE_KEY_PATH")
        }
        var label = "--private-key-file"
        if case let .env(name) = source { label = name }
        if case let .defaultsFile(key) = source { label = "'\(key)' in the defaults file" }
        if path.contains("-----BEGIN") || path.contains("\n") {
            throw .usage("\(label) holds a key, not a path: save the key to a file (chmod 600) and give its path")
        }
        let full = expand(path)
        let pem: Data
        do { pem = try LocalFiles(maxBytes: 64 << 10).read(full) } catch { throw .config("\(label) \(path): \(error.reason)") }
        warnAboutPermissions(of: full)
        var passphrase: String?
        if String(decoding: pem, as: UTF8.self).contains("ENCRYPTED") {
            if let value = environment[VideoFlags.passphraseVariable], !value.isEmpty { passphrase = value }
            else { passphrase = try io.askSecret("Pass phrase for the Vonage private key") }
        }
        do { return try VonageCredentials(applicationID: applicationID, privateKeyPEM: pem, passphrase: passphrase) } catch {
            throw .config("\(label) \(path): \(error.message)")
        }
    }

    // MARK: client

    func openTokClient() throws(MediaError) -> OpenTokClient { try openTokClient(credentials: try videoCredentials()) }

    // MARK: option readers

    /// The layout flags as a layout; nil when none was given. `--stylesheet` and `--stylesheet-file` are one value.
    func openTokLayout(required: Bool) throws(MediaError) -> OpenTokLayout? {
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
            throw error
        }
        return layout
    }

    /// Validates a library option value before any credential is read or request sent.
    func checked(_ validate: () throws(MediaError) -> Void) throws(MediaError) {
        do { try validate() } catch { throw error }
    }
}
