// What an OpenTok / Vonage Video verb needs to reach the API, read in parse: which platform and why, the project
// (API key or application ID), where the secret or private key is (never the value: docs/video-credentials.md),
// the base URL and the request timeout. The secret, key and pass phrase are read in run (VideoCredentialsReader.swift).
import FoundationEssentials
import MediaKit

enum VideoConnection {
    static let defaultAPIURL = "https://api.opentok.com"
    static let defaultVonageURL = "https://video.api.vonage.com"

    static let apiKey = Flag.text("api-key", meta: "KEY", help: "OpenTok project API key").env("OPENTOK_API_KEY").prompt("OpenTok API key")
    static let apiSecretFile = Flag.file("api-secret-file",
                                         help: "API secret file (else OPENTOK_API_SECRET, else a prompt)")
        .env("OPENTOK_API_SECRET_FILE")
    /// Catches `--api-secret VALUE` to explain why it is refused; hidden from help and completion.
    static let apiSecretRefused = Flag.text("api-secret", meta: "SECRET", help: "refused: use OPENTOK_API_SECRET or --api-secret-file")
        .notFromDefaultsFile().hidden()
    static let apiURL = Flag.text("api-url", meta: "URL", help: "OpenTok REST base URL").env("OPENTOK_API_URL")
        .defaulting(to: defaultAPIURL)
    static let requestTimeout = Flag.number("request-timeout", 0.1...3600, help: "time per request (default: --read-timeout)")
        .env("OPENTOK_REQUEST_TIMEOUT")

    static let applicationID = Flag.text("application-id", meta: "UUID",
                                         help: "Vonage application ID (with --private-key-file: Vonage Video)")
        .env("VONAGE_APPLICATION_ID").prompt("Vonage application ID")
    static let privateKeyFile = Flag.file("private-key-file",
                                          help: "Vonage private key (PEM)")
        .env("VONAGE_PRIVATE_KEY_PATH")
    /// Catches `--private-key PEM` to explain why it is refused; hidden from help and completion.
    static let privateKeyRefused = Flag.text("private-key", meta: "KEY", help: "refused: use --private-key-file or VONAGE_PRIVATE_KEY_PATH")
        .notFromDefaultsFile().hidden()
    static let platform = Flag.choice("video-platform", VideoPlatform.self, meta: "PLATFORM",
                                      help: "the credentials to use when both kinds are set")
        .env("MEDIACTL_VIDEO_PLATFORM")
    static let vonageURL = Flag.text("video-url", meta: "URL", help: "Vonage Video API base URL").env("VONAGE_VIDEO_URL")
        .defaulting(to: defaultVonageURL)

    /// Credentials only: `token` makes tokens locally and sends nothing.
    static let credentialFlags: [any FlagDeclaration] = [apiKey, apiSecretFile, apiSecretRefused, applicationID, privateKeyFile, privateKeyRefused, platform]
    /// Everything a verb that calls the API needs.
    static let flags: [any FlagDeclaration] = credentialFlags + [apiURL, vonageURL, requestTimeout]

    /// Variables that name a platform's credentials (OPENTOK_API_SECRET is no flag's: the secret is never a flag value).
    static let openTokVariables = ["OPENTOK_API_KEY", "OPENTOK_API_SECRET", "OPENTOK_API_SECRET_FILE"]
    static let vonageVariables = ["VONAGE_APPLICATION_ID", "VONAGE_PRIVATE_KEY_PATH"]
    static let secretVariable = "OPENTOK_API_SECRET"
    static let passphraseVariable = "VONAGE_PRIVATE_KEY_PASSPHRASE"
}

/// The platform, the project and where its secret or key is: what a client token or a client needs.
struct VideoCredentialOptions: Sendable {
    var platform: VideoPlatform
    /// Why this platform (for --debug).
    var chosenBy: String
    /// The OpenTok API key or the Vonage application ID (shape-checked).
    var projectID: String
    /// OpenTok: the secret file's path, and whether it is on the command line (which beats OPENTOK_API_SECRET).
    var secretFile: String?
    var secretFileOnLine = false
    /// Vonage: the private key file's path and where it was given, for messages.
    var privateKeyFile: String?
    var privateKeyLabel = ""

    typealias F = VideoConnection

    /// The platform first (it decides which project flag is asked for), then the project.
    static func parse(_ inv: Invocation) throws(MediaError) -> VideoCredentialOptions {
        let (platform, reason) = try choosePlatform(inv)
        return try parse(inv, platform: platform, chosenBy: reason)
    }

    static func parse(_ inv: Invocation, platform: VideoPlatform, chosenBy: String) throws(MediaError) -> VideoCredentialOptions {
        switch platform {
        case .opentok:
            var options = VideoCredentialOptions(platform: .opentok, chosenBy: chosenBy, projectID: try inv.required(F.apiKey))
            options.secretFile = try inv.value(F.apiSecretFile)
            options.secretFileOnLine = inv.isGiven(F.apiSecretFile)
            return options
        case .vonage:
            let id = try inv.required(F.applicationID)
            do throws(MediaError) { try VonageCredentials.checkApplicationID(id) } catch {
                var from = "--application-id"
                if !inv.isGiven(F.applicationID), case let .env(name)? = try inv.sourced(F.applicationID)?.source { from += " (from \(name))" }
                throw .usage("\(from): \(error.message)")
            }
            guard let (path, source) = try inv.sourced(F.privateKeyFile) else {
                throw .usage("missing the Vonage application's private key: give --private-key-file PATH or set VONAGE_PRIVATE_KEY_PATH")
            }
            var label = "--private-key-file"
            if case let .env(name) = source { label = name }
            if case let .defaultsFile(key) = source { label = "'\(key)' in the defaults file" }
            if path.contains("-----BEGIN") || path.contains("\n") {
                throw .usage("\(label) holds a key, not a path: save the key to a file (chmod 600) and give its path")
            }
            var options = VideoCredentialOptions(platform: .vonage, chosenBy: chosenBy, projectID: id)
            options.privateKeyFile = path
            options.privateKeyLabel = label
            return options
        }
    }

    /// Which platform the given credentials point at, and why. The first that says something wins: --video-platform on
    /// the line; credential flags on the line (both kinds: refused); MEDIACTL_VIDEO_PLATFORM; credential variables (both
    /// kinds: refused); the defaults file (likewise); else OpenTok. Asks nothing.
    static func choosePlatform(_ inv: Invocation) throws(MediaError) -> (VideoPlatform, String) {
        func flags(_ names: [String]) -> String { names.map { "--\($0)" }.joined(separator: ", ") }
        if inv.isGiven(F.privateKeyRefused) {
            throw .usage("--private-key is not accepted: a key on the command line shows in ps and shell history. Give --private-key-file PATH or set VONAGE_PRIVATE_KEY_PATH")
        }
        if inv.isGiven(F.apiSecretRefused) {
            throw .usage("--api-secret is not accepted: a secret on the command line shows in ps and shell history. Set OPENTOK_API_SECRET, give --api-secret-file PATH, or answer the prompt")
        }
        let openTokFlags = [F.apiKey, F.apiSecretFile], vonageFlags = [F.applicationID, F.privateKeyFile]
        let openTokOnLine = openTokFlags.filter { inv.isGiven($0) }.map(\.spec.name)
        let vonageOnLine = vonageFlags.filter { inv.isGiven($0) }.map(\.spec.name)
        let chosen = try inv.sourced(F.platform)
        if inv.isGiven(F.platform), let chosen {
            let other = chosen.value == .opentok ? vonageOnLine : openTokOnLine
            if !other.isEmpty { throw .usage("\(flags(other)) cannot be combined with --video-platform \(chosen.value.rawValue)") }
            return (chosen.value, "--video-platform \(chosen.value.rawValue)")
        }
        if !openTokOnLine.isEmpty && !vonageOnLine.isEmpty {
            throw .usage("both OpenTok (\(flags(openTokOnLine))) and Vonage (\(flags(vonageOnLine))) credentials were given: give one kind")
        }
        if !openTokOnLine.isEmpty { return (.opentok, flags(openTokOnLine)) }
        if !vonageOnLine.isEmpty { return (.vonage, flags(vonageOnLine)) }
        if let chosen, case .env = chosen.source { return (chosen.value, "MEDIACTL_VIDEO_PLATFORM=\(chosen.value.rawValue)") }
        let openTokEnv = F.openTokVariables.filter { EnvironmentVariables.value($0, in: inv.environment) != nil }
        let vonageEnv = F.vonageVariables.filter { EnvironmentVariables.value($0, in: inv.environment) != nil }
        if !openTokEnv.isEmpty && !vonageEnv.isEmpty {
            throw .usage("both OpenTok (\(openTokEnv.joined(separator: ", "))) and Vonage (\(vonageEnv.joined(separator: ", "))) credentials are set in the environment: choose with --video-platform opentok|vonage or MEDIACTL_VIDEO_PLATFORM, or unset one kind")
        }
        if !openTokEnv.isEmpty { return (.opentok, openTokEnv.joined(separator: ", ")) }
        if !vonageEnv.isEmpty { return (.vonage, vonageEnv.joined(separator: ", ")) }
        if let chosen, case .defaultsFile = chosen.source { return (chosen.value, "'video-platform' in the defaults file") }
        func inDefaults(_ flags: [Flag<String>]) throws(MediaError) -> [String] {
            var names: [String] = []
            for flag in flags { if case .defaultsFile? = try inv.sourced(flag)?.source { names.append(flag.spec.name) } }
            return names
        }
        let openTokDefaults = try inDefaults(openTokFlags), vonageDefaults = try inDefaults(vonageFlags)
        if !openTokDefaults.isEmpty && !vonageDefaults.isEmpty {
            throw .usage("the defaults file \(inv.defaultsPath) has both OpenTok (\(openTokDefaults.joined(separator: ", "))) and Vonage (\(vonageDefaults.joined(separator: ", "))) credentials: add video-platform = opentok or vonage to it, or remove one kind")
        }
        if !vonageDefaults.isEmpty { return (.vonage, "\(vonageDefaults.joined(separator: ", ")) in the defaults file") }
        if !openTokDefaults.isEmpty { return (.opentok, "\(openTokDefaults.joined(separator: ", ")) in the defaults file") }
        return (.opentok, "no Vonage credentials given")
    }
}

/// The credentials plus where the API is: what a client needs. MediaKit's connection factory checks the URL (and warns
/// about plain http) when it builds the client, as it does for every service.
struct VideoConnectionOptions: Sendable {
    var credentials: VideoCredentialOptions
    /// The platform's base URL: --api-url for OpenTok, --video-url for Vonage.
    var url: String
    var requestTimeout: Double?

    var platform: VideoPlatform { credentials.platform }
    var projectID: String { credentials.projectID }

    typealias F = VideoConnection

    /// `platform`: one already chosen (session create needs it before its own checks).
    static func parse(_ inv: Invocation, platform chosen: (VideoPlatform, String)? = nil) throws(MediaError) -> VideoConnectionOptions {
        var choice = chosen
        if choice == nil { choice = try VideoCredentialOptions.choosePlatform(inv) }
        guard let (platform, reason) = choice else { throw .usage("internal: no video platform") }
        let credentials = try VideoCredentialOptions.parse(inv, platform: platform, chosenBy: reason)
        let (urlFlag, otherFlag) = platform == .vonage ? (F.vonageURL, F.apiURL) : (F.apiURL, F.vonageURL)
        let url = try inv.value(urlFlag), timeout = try inv.value(F.requestTimeout)
        if inv.isGiven(otherFlag) {
            throw .usage("--\(otherFlag.spec.name) is the \(platform == .vonage ? "OpenTok" : "Vonage Video API") URL; with \(platform == .vonage ? "Vonage" : "OpenTok") credentials give --\(urlFlag.spec.name)")
        }
        return VideoConnectionOptions(credentials: credentials, url: url, requestTimeout: timeout)
    }
}

extension Invocation {
    /// A flag's value and where it came from (line, env, defaults file): for choices that depend on the source.
    func sourced<V>(_ flag: Flag<V>) throws(MediaError) -> (value: V, source: Source)? {
        guard let value = try value(flag), let (_, source) = try raw(flag.spec.name) else { return nil }
        return (value, source)
    }
}
