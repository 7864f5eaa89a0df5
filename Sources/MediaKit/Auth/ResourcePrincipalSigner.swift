// Resource-principal auth, version 2.2 (protocols.md §4.1): the session token (RPST) and its private key
// come from OCI_RESOURCE_PRINCIPAL_* variables, each either the value itself or an absolute path to a file.
import FoundationEssentials

/// Signs with `ST$<rpst>` and the resource's private key. In path mode the files are read again after
/// a 401, because the platform rotates them in place (the SDK's `EphemeralResourcePrincipalSigner`).
public final class ResourcePrincipalSigner: NestableResourcePrincipal, @unchecked Sendable {
    // @unchecked: `credentials` is read and written only with `lock` held.
    public static let versionVariable = "OCI_RESOURCE_PRINCIPAL_VERSION"
    public static let tokenVariable = "OCI_RESOURCE_PRINCIPAL_RPST"
    public static let keyVariable = "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM"
    public static let passphraseVariable = "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_PASSPHRASE"
    public static let regionVariable = "OCI_RESOURCE_PRINCIPAL_REGION"

    /// The region identifier from OCI_RESOURCE_PRINCIPAL_REGION (short codes mapped), if set.
    public let region: String?
    let sources: Sources
    let fileSystem: FileReading
    private let lock = Lock()
    private var credentials: Credentials

    /// Where each value comes from: the variable's text, or the file it names.
    struct Sources: Sendable {
        var token: String
        var key: String
        var passphrase: String?
        var passphraseIsPath: Bool
        var readsFiles: Bool { token.hasPrefix("/") || key.hasPrefix("/") }
    }

    struct Credentials {
        var token: String
        var key: RSAPrivateKey
        var claims: JSONValue
    }

    /// Builds the signer from the environment; every problem names the variable at fault.
    public init(environment: [String: String], fileSystem: FileReading = LocalFiles(), now: Date = Date(),
                defaultRealm: String? = nil) throws(MediaError) {
        func variable(_ name: String) -> String? {
            guard let v = environment[name]?.trimming(.whitespacesAndNewlines), !v.isEmpty else { return nil }
            return v
        }
        guard let version = variable(Self.versionVariable) else {
            throw .config("\(Self.versionVariable) is not set: --auth resource_principal reads version 2.2 credentials from "
                + "\(Self.versionVariable), \(Self.tokenVariable), \(Self.keyVariable) and \(Self.regionVariable), "
                + "which OCI Functions and other resource-principal environments set")
        }
        guard version == "2.2" else {
            throw .config("\(Self.versionVariable) is '\(version)': mediactl supports resource principal versions 2.2, 1.1, "
                + "\(ResourcePrincipalV21Signer.versions.joined(separator: ", ")) and \(NestedResourcePrincipalSigner.version)")
        }
        guard let token = variable(Self.tokenVariable) else {
            throw .config("\(Self.tokenVariable) is not set: it holds the resource principal session token, or an absolute path to a file holding it")
        }
        guard let key = variable(Self.keyVariable) else {
            throw .config("\(Self.keyVariable) is not set: it holds the private key (PEM), or an absolute path to a PEM file")
        }
        // G7: the SDK takes the pass phrase for a file path only when the key is a file (and then crashes
        // opening it). We read it from the file in that case, and take it literally otherwise.
        let passphrase = variable(Self.passphraseVariable)
        sources = Sources(token: token, key: key, passphrase: passphrase,
                          passphraseIsPath: key.hasPrefix("/") && (passphrase?.hasPrefix("/") ?? false))
        self.fileSystem = fileSystem

        if let regionText = variable(Self.regionVariable) {
            do { region = try Regions.resolve(regionText, defaultRealm: defaultRealm).identifier } catch {
                throw .config("\(Self.regionVariable): \(error.message)")
            }
        } else {
            region = nil
        }

        credentials = try Self.read(sources, fileSystem: fileSystem)
        if let exp = credentials.claims["exp"]?.intValue, Double(exp) < now.timeIntervalSince1970 {
            let place = token.hasPrefix("/") ? "in \(token) (\(Self.tokenVariable))" : "in \(Self.tokenVariable)"
            throw .auth("the resource principal session token \(place) expired at \(Self.isoDate(exp)); "
                + "the environment that provides it must renew it", nil)
        }
    }

    /// The tenancy and compartment the token speaks for (`res_tenant`, `res_compartment` claims).
    public var tenancy: String? { lock.withLock { credentials.claims["res_tenant"]?.stringValue } }
    public var compartment: String? { lock.withLock { credentials.claims["res_compartment"]?.stringValue } }

    public func sign(_ request: inout HTTPRequest, now: Date) throws(MediaError) {
        let (token, key) = lock.withLock { (credentials.token, credentials.key) }
        try OCIRequestSigner.sign(&request, keyID: "ST$\(token)", key: key, date: now)
    }

    /// Path mode only: read the token and key files again; worth a resend when that worked.
    public func refreshAfterUnauthorized() -> Bool {
        guard sources.readsFiles else { return false }
        guard let fresh = try? Self.read(sources, fileSystem: fileSystem) else { return false }
        lock.withLock { credentials = fresh }
        return true
    }

    public var currentSessionKey: RSAPrivateKey { lock.withLock { credentials.key } }

    /// As a leaf under version 3.0: the SDK's refresh reads the token and key again (files or variables).
    public func renewForParent() throws(MediaError) {
        let fresh = try Self.read(sources, fileSystem: fileSystem)
        lock.withLock { credentials = fresh }
    }

    private static func read(_ sources: Sources, fileSystem: FileReading) throws(MediaError) -> Credentials {
        let token = try valueOrFile(sources.token, variable: tokenVariable, fileSystem: fileSystem)
        let claims = try JWTClaims.decodeUnverified(token, what: "resource principal session token in \(tokenVariable)")

        let pem = try valueOrFile(sources.key, variable: keyVariable, fileSystem: fileSystem)
        guard pem.contains("-----BEGIN") else {
            throw .config(sources.key.hasPrefix("/")
                ? "\(keyVariable): the file \(sources.key) is not a PEM private key"
                : "\(keyVariable) is neither PEM text nor an absolute path to a PEM file")
        }
        var passphrase = sources.passphrase
        if sources.passphraseIsPath, let path = passphrase {
            passphrase = try valueOrFile(path, variable: passphraseVariable, fileSystem: fileSystem)
        }
        if let passphrase, !passphrase.allSatisfy(\.isASCII) {
            throw .config("\(passphraseVariable) must be ASCII, as the OCI SDKs require")
        }
        let key: RSAPrivateKey
        do { key = try RSAPrivateKey.load(pem: Data(pem.utf8), passphrase: passphrase) } catch {
            switch error {
            case .passphraseRequired: throw .config("\(keyVariable): the key is encrypted; set \(passphraseVariable)")
            case .wrongPassphraseOrNotAKey: throw .config("\(keyVariable): the key could not be decrypted: \(passphraseVariable) is wrong or the text is not a private key")
            case .notPEM: throw .config("\(keyVariable) does not hold a readable PEM private key")
            default: throw .config("\(keyVariable): \(error.message)")
            }
        }
        return Credentials(token: token, key: key, claims: claims)
    }

    /// "Is it an absolute path?" decides (the SDK's `os.path.isabs`); file contents are whitespace-trimmed
    /// (the SDK does not trim the token file, and a trailing newline would end up in the keyId).
    static func valueOrFile(_ value: String, variable: String, fileSystem: FileReading) throws(MediaError) -> String {
        guard value.hasPrefix("/") else { return value }
        do { return String(decoding: try fileSystem.read(value), as: UTF8.self).trimming(.whitespacesAndNewlines) } catch {
            throw .config("\(variable) names the file \(value): \(error.reason)")
        }
    }

    static func isoDate(_ epoch: Int) -> String { Date(timeIntervalSince1970: Double(epoch)).internetDateTime() }
}
