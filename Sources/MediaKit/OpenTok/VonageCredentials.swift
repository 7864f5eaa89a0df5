// Vonage Video credentials: an application ID (a UUID) and the application's RSA private key, which signs
// every request's Bearer JWT and every client token. Also the either-or of the two platforms' credentials.
import FoundationEssentials
import Glibc

public struct VonageCredentials: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public let applicationID: String
    /// Only ever used to sign; `description` and `debugDescription` leave it out.
    let privateKey: RSAPrivateKey

    /// `applicationID` must be a UUID (8-4-4-4-12 hex digits, as the dashboard shows it); it is lowercased
    /// nowhere: the ID goes into paths and claims exactly as given.
    public init(applicationID: String, privateKey: RSAPrivateKey) throws(MediaError) {
        try Self.checkApplicationID(applicationID)
        self.applicationID = applicationID
        self.privateKey = privateKey
    }

    /// Loads the key from PEM text (PKCS#1 or PKCS#8, plain or encrypted with `passphrase`).
    public init(applicationID: String, privateKeyPEM: Data, passphrase: String? = nil) throws(MediaError) {
        try Self.checkApplicationID(applicationID)
        let key: RSAPrivateKey
        do { key = try RSAPrivateKey.load(pem: privateKeyPEM, passphrase: passphrase) } catch {
            throw .usage(Self.keyProblem(error))
        }
        try self.init(applicationID: applicationID, privateKey: key)
    }

    /// The application ID's shape: a UUID such as `c0ffee00-1234-4abc-8def-0123456789ab`.
    public static func checkApplicationID(_ id: String) throws(MediaError) {
        let groups = id.split(separator: "-", omittingEmptySubsequences: false)
        let ok = groups.map(\.count) == [8, 4, 4, 4, 12] && groups.allSatisfy { $0.allSatisfy(\.isHexDigit) }
        if !ok {
            throw .usage("the Vonage application ID must be a UUID such as c0ffee00-1234-4abc-8def-0123456789ab (8-4-4-4-12 hex digits), got '\(id.prefix(60))'")
        }
    }

    /// A key load failure in the words of Vonage's setup (no OCI config names).
    public static func keyProblem(_ error: KeyLoadError) -> String {
        switch error {
        case .passphraseRequired: "the private key is encrypted and needs a pass phrase (VONAGE_PRIVATE_KEY_PASSPHRASE)"
        case .wrongPassphraseOrNotAKey: "the private key could not be decrypted: the pass phrase is wrong or the file is not a private key"
        case .publicKeyGiven: "the file holds a public key; the application's private key (private.key from the dashboard) is needed"
        case .notPEM: "the file is not a PEM private key (expected -----BEGIN PRIVATE KEY-----)"
        case .notRSA: "the private key is not an RSA key (Vonage signs with RS256)"
        }
    }

    public var description: String { "VonageCredentials(applicationID: \(applicationID), privateKey: [REDACTED])" }
    public var debugDescription: String { description }
}

/// The two platforms the video commands talk to, and what each calls its project in paths.
public enum VideoPlatform: String, CaseIterable, Sendable {
    case opentok, vonage

    public var displayName: String { self == .opentok ? "OpenTok" : "Vonage Video API" }
}

/// One platform's credentials; the platform follows from which kind they are.
public enum VideoCredentials: Sendable {
    case openTok(OpenTokCredentials)
    case vonage(VonageCredentials)

    public var platform: VideoPlatform {
        switch self {
        case .openTok: .opentok
        case .vonage: .vonage
        }
    }

    /// The `{P}` path segment: the API key, or the application ID.
    public var projectID: String {
        switch self {
        case let .openTok(c): c.apiKey
        case let .vonage(c): c.applicationID
        }
    }
}
