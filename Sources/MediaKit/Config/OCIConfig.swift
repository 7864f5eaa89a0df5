// Turns flags, environment and the OCI config file into a signer and an endpoint
// (protocols.md §2). Environment and home directory are injected so tests are exact.
import FoundationEssentials
import Glibc

public enum AuthMode: String, CaseIterable, Sendable {
    case apiKey = "api_key"
    case instancePrincipal = "instance_principal"
    case resourcePrincipal = "resource_principal"
    case securityToken = "security_token"
    /// Instance principal acting for a user through a delegation token (Cloud Shell).
    case instanceOBOUser = "instance_obo_user"
    case okeWorkloadIdentity = "oke_workload_identity"

    /// Principals carry their own credentials: the config file and profile are optional for them.
    public var isPrincipal: Bool { ![.apiKey, .securityToken].contains(self) }

    /// Modes that reach the instance metadata service and the auth service.
    public var usesInstanceIdentity: Bool { self == .instancePrincipal || self == .instanceOBOUser }
}

/// What the user gave, already resolved (flag > its environment variable > defaults file: the CLI's command
/// table does that once; nil when given nowhere), plus the process environment for the variables MediaKit reads
/// itself (`EnvironmentVariables.all`).
public struct OCISettings: Sendable {
    public var configFile: String?
    public var profile: String?
    public var region: String?
    public var endpoint: String?
    public var auth: String?
    /// Instance metadata service base URL (`--metadata-url`).
    public var metadataURL: String?
    /// Auth service `/v1/x509` URL for instance principals (`--federation-endpoint`).
    public var federationEndpoint: String?
    public var environment: [String: String]
    public var homeDirectory: String

    public init(configFile: String? = nil, profile: String? = nil, region: String? = nil, endpoint: String? = nil,
                auth: String? = nil, metadataURL: String? = nil, federationEndpoint: String? = nil,
                environment: [String: String], homeDirectory: String) {
        self.configFile = configFile
        self.profile = profile
        self.region = region
        self.endpoint = endpoint
        self.auth = auth
        self.metadataURL = metadataURL
        self.federationEndpoint = federationEndpoint
        self.environment = environment
        self.homeDirectory = homeDirectory
    }

    /// The resolved --auth, else api_key.
    public func authMode() throws(MediaError) -> AuthMode {
        let text = auth ?? AuthMode.apiKey.rawValue
        guard let mode = AuthMode(rawValue: text) else {
            throw .usage("--auth: '\(text)' is not one of \(AuthMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return mode
    }

    /// A variable MediaKit reads itself (listed in `EnvironmentVariables.all`), trimmed; empty means unset.
    func env(_ name: String) -> String? { EnvironmentVariables.value(name, in: environment) }

    /// `~` expansion only, as the SDK does for key_file (no $VAR expansion).
    public func expand(_ path: String) -> String {
        if path == "~" { return homeDirectory }
        if path.hasPrefix("~/") { return homeDirectory + path.dropFirst() }
        return path
    }

    /// The resolved --config-file, else ~/.oci/config.
    public var configPath: String { expand(configFile ?? "~/.oci/config") }

    /// The resolved --profile, else DEFAULT.
    public var profileName: String { profile ?? INIFile.defaultSection }
}

/// Everything needed to call Media Services.
public struct OCIConnection: Sendable {
    public let signer: any OCISigner
    public let endpoint: RequestURL
    public let region: RegionInfo?
    public let tenancy: String?
    public let profileValues: [String: String]
    /// The config and key files this connection was built from, for the permissions warning.
    public var secretFiles: [String] = []
}

public enum OCIConfigLoader {
    /// `network` carries instance-principal calls to the metadata and auth services (libcurl when nil);
    /// no other mode touches the network here.
    public static func load(_ settings: OCISettings, fileSystem: FileReading = LocalFiles(),
                            network: PrincipalNetwork? = nil) throws(MediaError) -> OCIConnection {
        let mode = try settings.authMode()
        let profile = try readProfile(settings, fileSystem: fileSystem, optional: mode.isPrincipal)
        let defaultRealm = settings.env("OCI_DEFAULT_REALM")

        // Principals know their tenancy and usually their region.
        var principalSigner: (any OCISigner)?
        var principalTenancy: String?
        switch mode {
        case .apiKey, .securityToken: break
        case .instancePrincipal, .instanceOBOUser:
            let delegationToken = mode == .instanceOBOUser
                ? try readDelegationToken(settings, profile: profile, fileSystem: fileSystem, now: network?.clock.now() ?? Date())
                : nil
            let net: PrincipalNetwork
            if let network { net = network } else { net = try PrincipalNetwork.standard() }
            let signer = try InstancePrincipalSigner(
                metadataURL: settings.metadataURL,
                federationEndpoint: settings.federationEndpoint,
                defaultRealm: defaultRealm, network: net, delegationToken: delegationToken)
            principalSigner = signer
            principalTenancy = signer.tenancy
        case .okeWorkloadIdentity:
            let net: PrincipalNetwork
            if let network { net = network } else {
                let caPath = OKEWorkloadIdentitySigner.caCertificatePath(environment: settings.environment)
                net = PrincipalNetwork(transport: try CurlTransport(options: TransferOptions(connectTimeout: 10, totalTimeout: 60, caBundle: caPath)))
            }
            let signer = try OKEWorkloadIdentitySigner(environment: settings.environment, network: net, fileSystem: fileSystem,
                                                       defaultRealm: defaultRealm)
            principalSigner = signer
            principalTenancy = signer.tenancy
        case .resourcePrincipal:
            // OCI_RESOURCE_PRINCIPAL_VERSION picks the flavour, as the SDK's get_resource_principals_signer does;
            // 3.0 builds a leaf the same way from the `_FOR_LEAF_RESOURCE` variables and nests its parents on it.
            func principalNetwork(_ shared: PrincipalNetwork? = nil) throws(MediaError) -> PrincipalNetwork {
                if let shared { return shared }
                if let network { return network }
                return try PrincipalNetwork.standard()
            }
            func resourcePrincipal(version: String?, environment: [String: String], shared: PrincipalNetwork? = nil)
                throws(MediaError) -> NestableResourcePrincipal {
                if let version, ResourcePrincipalV21Signer.versions.contains(version) {
                    return try ResourcePrincipalV21Signer(version: version, environment: environment, network: try principalNetwork(shared),
                                                          fileSystem: fileSystem, defaultRealm: defaultRealm)
                } else if version == "1.1" {
                    let net = try principalNetwork(shared)
                    let instance = try InstancePrincipalSigner(
                        metadataURL: settings.metadataURL,
                        federationEndpoint: settings.federationEndpoint,
                        defaultRealm: defaultRealm, network: net)
                    return try ResourcePrincipalV11Signer(environment: environment, instance: instance, network: net,
                                                          defaultRealm: defaultRealm)
                }
                return try ResourcePrincipalSigner(environment: environment, fileSystem: fileSystem,
                                                   now: network?.clock.now() ?? Date(), defaultRealm: defaultRealm)
            }
            let version = settings.env(ResourcePrincipalSigner.versionVariable)
            let signer: NestableResourcePrincipal
            if version == NestedResourcePrincipalSigner.version {
                let net = try principalNetwork()
                signer = try NestedResourcePrincipalSigner.make(environment: settings.environment, network: net) {
                    (leafVersion: String, leafEnvironment: [String: String]) throws(MediaError) -> NestableResourcePrincipal in
                    try resourcePrincipal(version: leafVersion, environment: leafEnvironment, shared: net)
                }
            } else {
                signer = try resourcePrincipal(version: version, environment: settings.environment)
            }
            principalSigner = signer
            principalTenancy = signer.tenancy
        }

        // Region: --region (resolved: flag > OCI_CLI_REGION > defaults file) > the principal's own region > profile > OCI_REGION. For
        // instance_obo_user the profile comes before the principal, as the SDK's clients order them
        // (config region, then signer region): Cloud Shell's profile names the region the user chose,
        // its metadata service the region the shell runs in.
        let profileRegion = profile["region"].flatMap { $0.isEmpty ? nil : $0 }
        let regionName = settings.region
            ?? (mode == .instanceOBOUser ? profileRegion ?? principalSigner?.region : principalSigner?.region ?? profileRegion)
            ?? settings.env("OCI_REGION")
        let region = try regionName.map { name throws(MediaError) in try Regions.resolve(name, defaultRealm: defaultRealm) }
        let endpoint: RequestURL
        if let explicit = settings.endpoint {
            endpoint = try Regions.explicitEndpoint(explicit, what: "--endpoint")
        } else if let region {
            endpoint = Regions.mediaServicesEndpoint(region)
        } else if mode == .resourcePrincipal || mode == .okeWorkloadIdentity {
            throw .config("no region: set \(ResourcePrincipalSigner.regionVariable), or pass --region or OCI_CLI_REGION (or give --endpoint)")
        } else {
            throw .config("no region: set region in profile '\(settings.profileName)' of \(settings.configPath), or pass --region or OCI_CLI_REGION (or give --endpoint)")
        }

        if let principalSigner {
            return OCIConnection(signer: principalSigner, endpoint: endpoint, region: region,
                                 tenancy: principalTenancy ?? profile["tenancy"], profileValues: profile)
        }
        let (signer, tenancy, keyPath) = try keySigner(mode, settings: settings, profile: profile, fileSystem: fileSystem,
                                                       now: network?.clock.now() ?? Date())
        var connection = OCIConnection(signer: signer, endpoint: endpoint, region: region, tenancy: tenancy, profileValues: profile)
        connection.secretFiles = (profile.isEmpty ? [] : [settings.configPath]) + [keyPath]
        return connection
    }

    /// instance_obo_user's delegation token: OCI_CLI_DELEGATION_TOKEN_FILE > the profile's
    /// `delegation_token_file` (oci-cli's order), `~` expanded, whitespace trimmed. A JWT past its `exp`
    /// is refused here; a token that is not a JWT is sent as it is (its format is the service's business).
    static func readDelegationToken(_ settings: OCISettings, profile: [String: String], fileSystem: FileReading,
                                    now: Date) throws(MediaError) -> String {
        guard let file = settings.env("OCI_CLI_DELEGATION_TOKEN_FILE") ?? profile["delegation_token_file"].flatMap({ $0.isEmpty ? nil : $0 }) else {
            throw .config("--auth instance_obo_user needs a delegation token: set delegation_token_file in profile "
                + "'\(settings.profileName)' of \(settings.configPath), or OCI_CLI_DELEGATION_TOKEN_FILE (Cloud Shell sets both)")
        }
        let path = settings.expand(file)
        let token: String
        do { token = String(decoding: try fileSystem.read(path), as: UTF8.self).trimming(.whitespacesAndNewlines) } catch {
            throw .auth("delegation_token_file \(path): \(error.reason); in Cloud Shell restart the session, elsewhere point "
                + "OCI_CLI_DELEGATION_TOKEN_FILE at a current delegation token", nil)
        }
        guard !token.isEmpty else { throw .auth("delegation_token_file \(path) is empty", nil) }
        if let claims = try? JWTClaims.decodeUnverified(token, what: "delegation token"),
           let exp = claims["exp"]?.intValue, Double(exp) < now.timeIntervalSince1970 {
            throw .auth("the delegation token in \(path) expired at \(Date(timeIntervalSince1970: Double(exp)).internetDateTime()); "
                + "in Cloud Shell restart the session to get a new one", nil)
        }
        return token
    }

    /// API key or security token: a key file from the profile (or OCI_CLI_* variables).
    static func keySigner(_ mode: AuthMode, settings: OCISettings, profile: [String: String], fileSystem: FileReading,
                          now: Date) throws(MediaError) -> (any OCISigner, String?, String) {
        func value(_ key: String, env: String) -> String? { profileValue(key, env: env, settings: settings, profile: profile) }
        let where_ = "profile '\(settings.profileName)' of \(settings.configPath)"
        let (key, keyPath) = try loadKey(settings: settings, profile: profile, fileSystem: fileSystem)

        let tenancy = value("tenancy", env: "OCI_CLI_TENANCY")
        switch mode {
        case .securityToken:
            let (tokenPath, token) = try readSecurityToken(settings: settings, profile: profile, fileSystem: fileSystem)
            let claims = try JWTClaims.decodeUnverified(token, what: "security token in \(tokenPath)")
            let expiresAt = claims["exp"]?.intValue.map { Date(timeIntervalSince1970: Double($0)) }
            if let expiresAt, expiresAt < now {
                throw .auth("the security token in \(tokenPath) expired at \(expiresAt.internetDateTime()); start a new session "
                    + "with `oci session authenticate` (`mediactl auth refresh --profile \(settings.profileName)` renews a token before it expires)", nil)
            }
            return (SecurityTokenSigner(token: token, key: key, file: tokenPath, expiresAt: expiresAt),
                    tenancy ?? claims["tenant"]?.stringValue, keyPath)
        default:
            guard let user = value("user", env: "OCI_CLI_USER") else { throw .config("\(where_) has no user (or set OCI_CLI_USER)") }
            guard let t = tenancy else { throw .config("\(where_) has no tenancy (or set OCI_CLI_TENANCY)") }
            guard let fingerprint = value("fingerprint", env: "OCI_CLI_FINGERPRINT") else {
                throw .config("\(where_) has no fingerprint (or set OCI_CLI_FINGERPRINT)")
            }
            guard isFingerprint(fingerprint) else {
                throw .config("fingerprint '\(fingerprint)' in \(where_) is malformed: expected 16 lowercase hex pairs joined by ':'")
            }
            guard key.fingerprint == fingerprint else {
                throw .config("fingerprint mismatch: \(where_) says \(fingerprint) but key_file \(keyPath) has \(key.fingerprint)")
            }
            for (name, v) in [("user", user), ("tenancy", t)] where !OCID.isValid(v) {
                throw .config("\(name) '\(v)' in \(where_) is not an OCID")
            }
            return (APIKeySigner(tenancy: t, user: user, fingerprint: fingerprint, key: key), t, keyPath)
        }
    }

    /// A profile value, an OCI_CLI_* variable first (oci-cli's `OCI_CONFIG_ENV_VARS`).
    static func profileValue(_ key: String, env: String, settings: OCISettings, profile: [String: String]) -> String? {
        settings.env(env) ?? profile[key].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The profile's security_token_file (or OCI_CLI_SECURITY_TOKEN_FILE), expanded, and its token, trimmed.
    public static func readSecurityToken(settings: OCISettings, profile: [String: String],
                                         fileSystem: FileReading) throws(MediaError) -> (path: String, token: String) {
        let where_ = "profile '\(settings.profileName)' of \(settings.configPath)"
        guard let tokenFile = profileValue("security_token_file", env: "OCI_CLI_SECURITY_TOKEN_FILE", settings: settings, profile: profile) else {
            throw .config("\(where_) has no security_token_file (create one with `oci session authenticate`)")
        }
        let tokenPath = settings.expand(tokenFile)
        do {
            return (tokenPath, String(decoding: try fileSystem.read(tokenPath), as: UTF8.self).trimming(.whitespacesAndNewlines))
        } catch {
            throw .config("security_token_file \(tokenPath): \(error.reason)")
        }
    }

    /// The profile's private key (key_file, pass_phrase; or OCI_CLI_KEY_FILE, OCI_CLI_PASSPHRASE) and its path.
    public static func loadKey(settings: OCISettings, profile: [String: String],
                               fileSystem: FileReading) throws(MediaError) -> (RSAPrivateKey, String) {
        func value(_ key: String, env: String) -> String? { profileValue(key, env: env, settings: settings, profile: profile) }
        let where_ = "profile '\(settings.profileName)' of \(settings.configPath)"
        guard let keyFile = value("key_file", env: "OCI_CLI_KEY_FILE") else {
            throw .config("\(where_) has no key_file (or set OCI_CLI_KEY_FILE)")
        }
        let keyPath = settings.expand(keyFile)
        let pem: Data
        do { pem = try fileSystem.read(keyPath) } catch {
            throw .config("key_file \(keyPath) (\(where_)): \(error.reason)")
        }
        let passphrase = value("pass_phrase", env: "OCI_CLI_PASSPHRASE")
        if let passphrase, !passphrase.allSatisfy(\.isASCII) {
            throw .config("pass_phrase in \(where_) must be ASCII, as the OCI SDKs require")
        }
        let key: RSAPrivateKey
        do { key = try RSAPrivateKey.load(pem: pem, passphrase: passphrase) } catch {
            throw .config("key_file \(keyPath): \(error.message)")
        }
        return (key, keyPath)
    }

    /// The profile's values (DEFAULT inherited). A missing file is an error unless every value comes from env,
    /// or (`optional`, for principals) a missing file or profile just means no values.
    static func readProfile(_ settings: OCISettings, fileSystem: FileReading, optional: Bool = false) throws(MediaError) -> [String: String] {
        let everythingInEnv = ["OCI_CLI_USER", "OCI_CLI_TENANCY", "OCI_CLI_FINGERPRINT"].allSatisfy { settings.env($0) != nil }
            && (settings.env("OCI_CLI_KEY_FILE") != nil)
            && (settings.region != nil || settings.endpoint != nil)
        if everythingInEnv && settings.configFile == nil { return [:] }
        let path = settings.configPath
        let data: Data
        do { data = try fileSystem.read(path) } catch {
            if optional { return [:] }
            throw .config("config file \(path): \(error.reason) (pass --config-file or set OCI_CLI_CONFIG_FILE; `oci setup config` creates one)")
        }
        let ini: INIFile
        do { ini = try INIFile(text: String(decoding: data, as: UTF8.self), path: path) } catch {
            throw .config("config file \(error.message)")
        }
        guard let profile = ini.profile(settings.profileName) else {
            if optional { return [:] }
            throw .config("profile '\(settings.profileName)' not found in \(path) (profiles there: \(ini.profileNames.joined(separator: ", ")))")
        }
        if profile["key_content"] != nil {
            throw .config("key_content cannot be given in a config file (\(path)), for security reasons: use key_file")
        }
        return profile
    }

    static func isFingerprint(_ s: String) -> Bool {
        let pairs = s.split(separator: ":", omittingEmptySubsequences: false)
        return pairs.count == 16 && pairs.allSatisfy { $0.count == 2 && $0.allSatisfy { "0123456789abcdef".contains($0) } }
    }
}

/// Reading files through a seam, so errors are worded once and tests can count reads.
public protocol FileReading: Sendable {
    func read(_ path: String) throws(FileError) -> Data
}

public struct FileError: Error, Equatable, Sendable {
    public let reason: String
    public init(reason: String) { self.reason = reason }
}

public struct LocalFiles: FileReading {
    /// Files larger than this are refused: a config or key is never this big.
    public let maxBytes: Int
    public init(maxBytes: Int = 16 << 20) { self.maxBytes = maxBytes }

    public func read(_ path: String) throws(FileError) -> Data {
        var isDir = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { throw FileError(reason: "no such file") }
        if isDir { throw FileError(reason: "is a directory, not a file") }
        guard FileManager.default.isReadableFile(atPath: path) else { throw FileError(reason: "permission denied") }
        // stat, not FileManager.attributesOfItem: that also looks up the owner's and group's names (NSS).
        var info = stat()
        if stat(path, &info) == 0, Int(info.st_size) > maxBytes {
            throw FileError(reason: "larger than \(maxBytes >> 20) MiB")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw FileError(reason: "could not be read") }
        return data
    }
}

/// Reads a JWT's claims without checking its signature (only to read `exp` and similar).
public enum JWTClaims {
    public static func decodeUnverified(_ token: String, what: String) throws(MediaError) -> JSONValue {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let payload = Data(base64URLEncoded: String(parts[1])),
              let json = try? JSONParser.parse(payload), json.isObject else {
            throw .config("the \(what) is not a JWT")
        }
        return json
    }
}

/// The OCI CLI's check: a config or key file that group or others can read gets a warning (not an
/// error), unless OCI_CLI_SUPPRESS_FILE_PERMISSIONS_WARNING is True.
public enum FilePermissions {
    public static let suppressVariable = "OCI_CLI_SUPPRESS_FILE_PERMISSIONS_WARNING"

    /// The warning for `path`, or nil when only its owner can read it (or it cannot be inspected).
    public static func warning(for path: String, environment: [String: String]) -> String? {
        if EnvironmentVariables.value(suppressVariable, in: environment)?.lowercased() == "true" { return nil }
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let mode = Int(info.st_mode) & 0o777
        guard mode & 0o044 != 0 else { return nil }
        return "permissions on \(path) are too open (\(String(mode, radix: 8))): group or others can read it; "
            + "run `chmod 600 \(path)` (or set \(suppressVariable)=True to silence this warning)"
    }
}
