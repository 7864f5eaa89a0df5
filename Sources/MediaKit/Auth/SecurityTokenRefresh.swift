// Renewing a security token (`oci session authenticate`'s) as `oci session refresh` does: POST
// {auth endpoint}/v1/authentication/refresh with {"currentToken": …}, signed with the token itself and
// the session key, then the new token replaces the profile's security_token_file (temporary file, rename, 0600).
import FoundationEssentials

public enum SecurityTokenRefresh {
    /// What a refresh did: the file written and the new token's expiry.
    public struct Outcome: Sendable {
        public let file: String
        public let expiresAt: Date?
        public let endpoint: RequestURL
    }

    /// A security token this close to its `exp` (or past it) gets a warning before a call is made.
    public static let warningWindow: Double = 10 * 60

    /// `https://auth.{region}.{domain}/v1/authentication/refresh` (oci-cli's `endpoint_for("auth", region)`), or an
    /// explicit auth endpoint: a bare base URL gets the path appended, a URL with a path is used as given.
    public static func endpoint(explicit: String?, region: RegionInfo?) throws(MediaError) -> RequestURL {
        if let explicit = explicit?.trimming(.whitespacesAndNewlines), !explicit.isEmpty {
            guard var url = RequestURL(explicit) else {
                throw .usage("--auth-endpoint: '\(explicit)' is not an http(s) URL (expected e.g. https://auth.us-ashburn-1.oraclecloud.com)")
            }
            if url.path == "/" { url.path = "/v1/authentication/refresh" }
            return url
        }
        guard let region else {
            throw .config("no region to find the auth service: set region in the profile, or pass --region or OCI_CLI_REGION (or --auth-endpoint)")
        }
        return Regions.authEndpoint(region).appending(path: "/v1/authentication/refresh")
    }

    /// The body exactly as oci-cli's `json.dumps({'currentToken': token})` writes it.
    public static func body(token: String) -> Data {
        var escaped = ""
        for c in token.unicodeScalars {
            switch c {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case _ where c.value < 0x20 || c.value > 0x7f: escaped += String(cFormat: "\\u%04x", Int(c.value))
            default: escaped.unicodeScalars.append(c)
            }
        }
        return Data("{\"currentToken\": \"\(escaped)\"}".utf8)
    }

    /// Reads the profile's token and key, asks the auth service for a new token and writes it over the old one.
    /// An expired token is still sent: only the service can say whether the session may be renewed.
    public static func refresh(_ settings: OCISettings, transport: any HTTPTransport, authEndpoint: String?,
                               fileSystem: FileReading = LocalFiles(), now: Date = Date(),
                               write: (Data, String) -> Bool = { StatePaths.writeRecord($0, to: $1) }) throws(MediaError) -> Outcome {
        let profile = try OCIConfigLoader.readProfile(settings, fileSystem: fileSystem)
        let (path, token) = try OCIConfigLoader.readSecurityToken(settings: settings, profile: profile, fileSystem: fileSystem)
        guard !token.isEmpty else { throw .config("security_token_file \(path) is empty: run `oci session authenticate`") }
        let (key, _) = try OCIConfigLoader.loadKey(settings: settings, profile: profile, fileSystem: fileSystem)
        let defaultRealm = settings.env("OCI_DEFAULT_REALM")
        let regionName = settings.region ?? profile["region"].flatMap { $0.isEmpty ? nil : $0 }
            ?? settings.env("OCI_REGION")
        let region = try regionName.map { name throws(MediaError) in try Regions.resolve(name, defaultRealm: defaultRealm) }
        let url = try endpoint(explicit: authEndpoint, region: region)

        var request = HTTPRequest(method: "POST", url: url, headers: [("content-type", "application/json")], body: body(token: token))
        try SecurityTokenSigner(token: token, key: key).sign(&request, now: now)
        let response = try transport.send(request)
        if response.status == 401 {
            throw .auth("the session of profile '\(settings.profileName)' is no longer valid and cannot be refreshed: "
                + "start a new one with `oci session authenticate`", OCIErrorBody.failure(response, request: request))
        }
        guard response.isSuccess else { throw MediaError.from(OCIErrorBody.failure(response, request: request)) }
        guard let json = try? JSONParser.parse(response.body), let fresh = json["token"]?.stringValue, !fresh.isEmpty else {
            throw .auth("the auth service at \(url) answered HTTP \(response.status) without a token", nil)
        }
        let claims = try? JWTClaims.decodeUnverified(fresh, what: "refreshed token")
        // Written as oci-cli writes it: the token alone, no newline.
        guard write(Data(fresh.utf8), path) else {
            throw .config("the refreshed token could not be written to \(path) (the old token is unchanged there)")
        }
        return Outcome(file: path, expiresAt: claims?["exp"]?.intValue.map { Date(timeIntervalSince1970: Double($0)) }, endpoint: url)
    }
}
