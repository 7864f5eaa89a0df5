// The emulator's state directory: its throw-away API key and OCI profile, its SQLite file, and the port/endpoint/pid files clients read.
import Foundation
import MediaKit

/// The identity the emulator hands out: fixed OCIDs, so scripts and a restarted emulator agree.
public enum EmulatorIdentity {
    public static let profile = "EMULATOR"
    public static let tenancy = "ocid1.tenancy.oc1..aaaaaaaaemulatortenancy"
    public static let user = "ocid1.user.oc1..aaaaaaaaemulatoruser"
    public static let compartment = "ocid1.compartment.oc1..aaaaaaaaemulatorcompartment"
    public static let namespace = "emulator"
    /// Buckets that exist in every emulator (the lab's source and destination); others are made with CreateBucket.
    public static let buckets = ["media-in", "media-out"]
    public static let region = "us-ashburn-1"
    /// The OpenTok project the emulator serves (its secret is generated per state directory).
    public static let openTokAPIKey = "47000001"
    /// The Vonage application the emulator serves (its private key is generated per state directory).
    public static let vonageApplicationID = "e1a70000-0000-4000-8000-000000000001"
}

public struct StateDirectoryError: Error, Sendable, CustomStringConvertible {
    public let description: String
}

/// Files in the state directory; every one is written 0600 (the key is a credential, the rest say where it is).
public struct StateDirectory: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    public var keyFile: String { "\(path)/emulator_api_key.pem" }
    public var configFile: String { "\(path)/oci_config" }
    public var databaseFile: String { "\(path)/state.sqlite" }
    /// The emulated Object Storage (ObjectStore): what jobs read and write and playback serves.
    public var objectsDirectory: String { "\(path)/objects" }
    /// Real jobs' scratch space, one folder per running job.
    public var workDirectory: String { "\(path)/work" }
    public var portFile: String { "\(path)/port" }
    /// The port of the last run; kept after a stop (unlike `port`) so the next start can reuse it.
    public var lastPortFile: String { "\(path)/last-port" }
    public var lastPort: Int? {
        (try? String(contentsOfFile: lastPortFile, encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }
    public var endpointFile: String { "\(path)/endpoint" }
    public var pidFile: String { "\(path)/pid" }
    public var envFile: String { "\(path)/env" }
    public var logFile: String { "\(path)/emulator.log" }
    public var openTokSecretFile: String { "\(path)/opentok_secret" }
    public var vonageKeyFile: String { "\(path)/vonage_private.key" }

    /// Creates the directory (0700) and, on first use, the key; later starts reuse it, so the profile stays valid.
    public func prepareKey() throws(StateDirectoryError) -> RSAPrivateKey {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw StateDirectoryError(description: "cannot create the state directory \(path): \(error.localizedDescription)")
        }
        return try loadOrGenerateKey(keyFile)
    }

    /// The key in `file`, or a new one written there (0600) when there is none yet.
    private func loadOrGenerateKey(_ file: String) throws(StateDirectoryError) -> RSAPrivateKey {
        if let pem = FileManager.default.contents(atPath: file) {
            do { return try RSAPrivateKey.load(pem: pem, passphrase: nil) } catch {
                throw StateDirectoryError(description: "\(file): \(error.message); delete it to have a new key made")
            }
        }
        guard let key = RSAPrivateKey.generate() else {
            throw StateDirectoryError(description: "could not generate an RSA key (OpenSSL failed)")
        }
        try write(file, key.pkcs8PEM)
        return key
    }

    /// The OpenTok API secret: made once, then reused.
    public func openTokSecret() throws(StateDirectoryError) -> String {
        if let data = FileManager.default.contents(atPath: openTokSecretFile) {
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if !text.isEmpty { return text }
        }
        let secret = Digest.randomBytes(20).map { String(format: "%02x", $0) }.joined()
        try write(openTokSecretFile, secret + "\n")
        return secret
    }

    /// The Vonage application's throw-away private key (PKCS#8 PEM, as the dashboard's private.key): made once, then reused.
    public func vonageKey() throws(StateDirectoryError) -> RSAPrivateKey { try loadOrGenerateKey(vonageKeyFile) }

    /// The keyId mediactl signs with for the profile this directory's config names.
    public static func keyID(fingerprint: String) -> String {
        "\(EmulatorIdentity.tenancy)/\(EmulatorIdentity.user)/\(fingerprint)"
    }

    public func writeConfig(fingerprint: String) throws(StateDirectoryError) {
        let text = """
        # Written by mediactl-emulator: a throw-away API key the emulator trusts. Not valid anywhere else.
        [\(EmulatorIdentity.profile)]
        user=\(EmulatorIdentity.user)
        fingerprint=\(fingerprint)
        key_file=\(keyFile)
        tenancy=\(EmulatorIdentity.tenancy)
        region=\(EmulatorIdentity.region)

        """
        try write(configFile, text)
    }

    /// The `export` lines that point mediactl (and the OCI, OpenTok and Vonage SDKs) at this emulator. Both video
    /// credential kinds are there, so MEDIACTL_VIDEO_PLATFORM says which the video commands use (OpenTok; export
    /// MEDIACTL_VIDEO_PLATFORM=vonage, or give --video-platform vonage, for the Vonage application).
    public func environment(endpoint: String, openTokSecret: String) -> [(String, String)] {
        [("MEDIACTL_ENDPOINT", endpoint),
         ("MEDIACTL_OBJECTSTORAGE_ENDPOINT", endpoint),
         ("OCI_CLI_CONFIG_FILE", configFile),
         ("OCI_CLI_PROFILE", EmulatorIdentity.profile),
         ("MEDIACTL_COMPARTMENT_ID", EmulatorIdentity.compartment),
         ("MEDIACTL_NAMESPACE", EmulatorIdentity.namespace),
         ("OPENTOK_API_KEY", EmulatorIdentity.openTokAPIKey),
         ("OPENTOK_API_SECRET", openTokSecret),
         ("OPENTOK_API_URL", endpoint),
         ("VONAGE_APPLICATION_ID", EmulatorIdentity.vonageApplicationID),
         ("VONAGE_PRIVATE_KEY_PATH", vonageKeyFile),
         ("VONAGE_VIDEO_URL", endpoint),
         ("MEDIACTL_VIDEO_PLATFORM", "opentok")]
    }

    /// Written last, once the server answers: a client that sees `endpoint` may use it at once.
    public func writeRunning(port: Int, endpoint: String, pid: Int32, environment: [(String, String)]) throws(StateDirectoryError) {
        try write(pidFile, "\(pid)\n")
        try write(envFile, environment.map { "export \($0.0)=\(ShellQuoting.quoted($0.1))" }.joined(separator: "\n") + "\n")
        try write(portFile, "\(port)\n")
        try write(lastPortFile, "\(port)\n")
        try write(endpointFile, endpoint + "\n")
    }

    /// Removes the files that say an emulator is running (on a clean stop).
    public func clearRunning() {
        for file in [endpointFile, portFile, pidFile] { try? FileManager.default.removeItem(atPath: file) }
    }


    /// Writes via a temporary file and rename, so a reader never sees half a file.
    private func write(_ file: String, _ text: String) throws(StateDirectoryError) {
        let temporary = file + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]),
              rename(temporary, file) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw StateDirectoryError(description: "cannot write \(file)")
        }
    }
}
