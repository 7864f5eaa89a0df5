// Paths to the committed test keys and signing vectors, and throw-away directories.
import Foundation
import MediaKit

public enum Fixtures {
    /// Tests/MediaKitTests/Fixtures, found from this file's location.
    public static let root: String = {
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        return here.deletingLastPathComponent().appendingPathComponent("MediaKitTests/Fixtures").path
    }()

    public static func key(_ name: String) -> String { "\(root)/keys/\(name)" }
    public static let passphrase = "mediactl-test-pass"
    public static let tenancy = "ocid1.tenancy.oc1..aaaaaaaatestenancyexample"
    public static let user = "ocid1.user.oc1..aaaaaaaatestuserexample"
    public static let compartment = "ocid1.compartment.oc1..aaaaaaaatestcompartment"

    public static func data(_ path: String) -> Data { FileManager.default.contents(atPath: path) ?? Data() }

    public static var testKey: RSAPrivateKey {
        get throws { try RSAPrivateKey.load(pem: data(key("test_key.pem")), passphrase: nil) }
    }

    public static var testPublicKey: RSAPublicKey? { RSAPublicKey(pem: data(key("test_public.pem"))) }

    public struct MissingFixture: Error { public let name: String }

    /// test_public.pem, or an error naming it (for use inside #require and #expect).
    public static func requiredPublicKey() throws -> RSAPublicKey {
        guard let key = testPublicKey else { throw MissingFixture(name: "test_public.pem") }
        return key
    }

    /// The fingerprint of test_key.pem, from fingerprints.json.
    public static var testFingerprint: String {
        let json = try? JSONParser.parse(data("\(root)/keys/fingerprints.json"))
        return json?["test_key"]?.stringValue ?? ""
    }

    public static var testKeyID: String { "\(tenancy)/\(user)/\(testFingerprint)" }
}

/// A fresh directory under /tmp, removed on deinit.
public final class TemporaryDirectory: @unchecked Sendable {
    public let path: String

    public init() {
        path = NSTemporaryDirectory() + "mediactl-test-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    public func write(_ name: String, _ text: String, mode: Int = 0o600) -> String {
        let file = "\(path)/\(name)"
        try? FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: file, contents: Data(text.utf8), attributes: [.posixPermissions: mode])
        return file
    }
}
