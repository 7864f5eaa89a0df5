// The run side of the video credentials: the OpenTok secret, the Vonage private key and its pass phrase, and a client
// token of the user's own are read here, after every flag was checked. Secrets are asked with no echo and never quoted.
import FoundationEssentials
import Glibc
import MediaKit

extension CommandContext {
    /// The client for either platform, its secret or key read now.
    func openTokClient(_ connection: VideoConnectionOptions) throws(MediaError) -> OpenTokClient {
        try openTokClient(connection, credentials: try videoCredentials(connection.credentials))
    }

    /// The credentials `options` point at, with the secret or key read now.
    func videoCredentials(_ options: VideoCredentialOptions) throws(MediaError) -> VideoCredentials {
        switch options.platform {
        case .opentok: return .openTok(try OpenTokCredentials(apiKey: options.projectID, apiSecret: try openTokSecret(options)))
        case .vonage: return .vonage(try vonageCredentials(options))
        }
    }

    /// --api-secret-file on the line > OPENTOK_API_SECRET > OPENTOK_API_SECRET_FILE or `api-secret-file` in the
    /// defaults file > a no-echo prompt on a terminal.
    private func openTokSecret(_ options: VideoCredentialOptions) throws(MediaError) -> String {
        if !options.secretFileOnLine, let secret = environment[VideoConnection.secretVariable], !secret.isEmpty { return secret }
        if let path = options.secretFile {
            let secret = String(decoding: try secretFile(path, label: "--api-secret-file \(path)"), as: UTF8.self).trimming(.whitespacesAndNewlines)
            if secret.isEmpty { throw .usage("--api-secret-file \(path) is empty") }
            return secret
        }
        if let answer = try io.askSecret("OpenTok API secret") { return answer }
        throw .usage("missing the OpenTok API secret: set OPENTOK_API_SECRET or give --api-secret-file PATH (never the secret itself as a flag)")
    }

    /// The application's key from the file the options name; an encrypted key's pass phrase from
    /// VONAGE_PRIVATE_KEY_PASSPHRASE or a no-echo prompt. File problems are configuration errors (exit 3), as for OCI key files.
    private func vonageCredentials(_ options: VideoCredentialOptions) throws(MediaError) -> VonageCredentials {
        let label = options.privateKeyLabel
        guard let path = options.privateKeyFile else {
            throw .usage("missing the Vonage application's private key: give --private-key-file PATH or set VONAGE_PRIVATE_KEY_PATH")
        }
        let full = expand(path)
        let pem: Data
        do { pem = try LocalFiles(maxBytes: 64 << 10).read(full) } catch { throw .config("\(label) \(path): \(error.reason)") }
        invocation.warnAboutPermissions(of: full)
        var passphrase: String?
        if String(decoding: pem, as: UTF8.self).contains("ENCRYPTED") {
            if let value = environment[VideoConnection.passphraseVariable], !value.isEmpty { passphrase = value }
            else { passphrase = try io.askSecret("Pass phrase for the Vonage private key") }
        }
        do { return try VonageCredentials(applicationID: options.projectID, privateKeyPEM: pem, passphrase: passphrase) } catch {
            throw .config("\(label) \(path): \(error.message)")
        }
    }

    /// A small file holding a secret: read whole, with a warning when other users can read it.
    func secretFile(_ path: String, label: String) throws(MediaError) -> Data {
        let full = expand(path)
        let data: Data
        do { data = try LocalFiles(maxBytes: 64 << 10).read(full) } catch { throw .usage("\(label): \(error.reason)") }
        var info = stat()
        if stat(full, &info) == 0, info.st_mode & 0o077 != 0 { io.warn("\(label) can be read by other users; chmod 600 \(path)") }
        return data
    }
}

/// A client token of the user's own for captions, render and the Audio Connector: from a file (or MEDIACTL_CLIENT_TOKEN),
/// never as a value on the command line. The token grants access to the session, so no message ever quotes it; the
/// service, not mediactl, judges whether it fits the call.
enum OwnClientToken: Sendable {
    case token(String)
    case file(path: String, label: String)

    static let variable = "MEDIACTL_CLIENT_TOKEN"
    static let file = Flag.file("token-file",
                                help: "a client token of your own for the service to join with (default: one mediactl makes); else MEDIACTL_CLIENT_TOKEN")
        .env("MEDIACTL_CLIENT_TOKEN_FILE")

    /// --token-file on the line > MEDIACTL_CLIENT_TOKEN > MEDIACTL_CLIENT_TOKEN_FILE or `token-file` in the defaults
    /// file; nil when none is given (mediactl then makes one).
    static func parse(_ inv: Invocation) throws(MediaError) -> OwnClientToken? {
        if !inv.isGiven(file), let token = inv.environment[variable], !token.isEmpty { return .token(try checked(token, from: variable)) }
        guard let (path, source) = try inv.sourced(file) else { return nil }
        var label = "--token-file \(path)"
        if case let .env(name) = source { label = "\(name) \(path)" }
        if case let .defaultsFile(key) = source { label = "'\(key)' in the defaults file (\(path))" }
        return .file(path: path, label: label)
    }

    /// One token on one line: a file holding more is a mistake worth stopping for (the wrong file, two tokens).
    static func checked(_ token: String, from label: String) throws(MediaError) -> String {
        if token.isEmpty { throw .usage("\(label): the client token is empty") }
        if token.contains(where: { $0.isWhitespace }) { throw .usage("\(label): expected one client token (no spaces or line breaks inside)") }
        return token
    }

    func read(_ ctx: CommandContext) throws(MediaError) -> String {
        switch self {
        case let .token(token): return token
        case let .file(path, label):
            let data = try ctx.secretFile(path, label: label)
            return try Self.checked(String(decoding: data, as: UTF8.self).trimming(.whitespacesAndNewlines), from: label)
        }
    }
}

/// What a service that joins a session needs (captions, render, Audio Connector): the connection, the session, and
/// the user's own client token if one is given. The session is checked against the project in parse, before the
/// secret or key is read.
struct ServiceJoin: Sendable {
    var connection: VideoConnectionOptions
    var sessionID: String
    var role: OpenTokRole
    var ownToken: OwnClientToken?

    static func parse(_ inv: Invocation, sessionID: String, role: OpenTokRole) throws(MediaError) -> ServiceJoin {
        let own = try OwnClientToken.parse(inv)
        let connection = try VideoConnectionOptions.parse(inv)
        let request = ClientTokenRequest(sessionID: sessionID, role: role)
        do throws(MediaError) {
            _ = try VideoCredentials.validate(request, platform: connection.platform, projectID: connection.projectID,
                                              now: Int(inv.clock.now().timeIntervalSince1970))
        } catch {
            throw .usage("--session-id: \(error.message)")
        }
        return ServiceJoin(connection: connection, sessionID: sessionID, role: role, ownToken: own)
    }

    /// The client, and the token the service joins with: the user's own, else a fresh one with `role` made on the
    /// platform the credentials point at.
    func client(_ ctx: CommandContext) throws(MediaError) -> (OpenTokClient, String) {
        let own = try ownToken?.read(ctx)
        let credentials = try ctx.videoCredentials(connection.credentials)
        let client = try ctx.openTokClient(connection, credentials: credentials)
        if let own { return (client, own) }
        let token = try credentials.clientToken(ClientTokenRequest(sessionID: sessionID, role: role), now: ctx.clock.now(),
                                                nonce: OpenTokClientToken.randomNonce(), jti: VonageAuthHeader.randomJTI())
        return (client, token)
    }
}
