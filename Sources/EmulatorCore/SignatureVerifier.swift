// Checks the OCI HTTP signature (draft-cavage, version 1; protocols.md §1) of a received request the way the service does.
import Foundation
import MediaKit

/// The parameters of `Authorization: Signature k="v",...`.
struct SignatureParameters: Sendable, Equatable {
    var algorithm: String?
    var headers: [String]
    var keyID: String
    var signature: String
    var version: String?
}

enum SignatureVerifier {
    /// Verifies `request` and returns the keyId it was signed with. `lookup` maps a keyId to its public key.
    /// Each failure names its reason, because "401" alone is useless to someone debugging a signer.
    /// `streamedUpload`: Object Storage PutObject/UploadPart, which the SDK signs without content headers; the
    /// GET list is then the minimum, and a body streamed to disk is checked against content-length only.
    static func verify(_ request: ServerRequest, now: Date, maxClockSkew: Double, streamedUpload: Bool = false,
                       lookup: (String) -> RSAPublicKey?) throws(APIError) -> String {
        guard let authorization = request.header("authorization") else {
            throw .notAuthenticated("The request has no Authorization header; every call must be signed.")
        }
        let params = try parse(authorization)
        if let algorithm = params.algorithm, algorithm.lowercased() != "rsa-sha256" {
            throw .notAuthenticated("Unsupported signature algorithm \"\(algorithm)\"; only rsa-sha256 is accepted.")
        }
        if let version = params.version, version != "1" {
            throw .notAuthenticated("Unsupported signature version \"\(version)\"; only version 1 is accepted.")
        }

        // The service insists on a minimum header set per method; signing fewer would let a proxy
        // rewrite the body or target without breaking the signature.
        let signed = params.headers
        let dateName = signed.contains("date") || !signed.contains("x-date") ? "date" : "x-date"
        let required = OCIRequestSigner.signedHeaderNames(method: request.method, bodyHeaders: !streamedUpload).map { $0 == "date" ? dateName : $0 }
        let unsigned = required.filter { !signed.contains($0) }
        if !unsigned.isEmpty {
            throw .notAuthenticated("A \(request.method) request must sign the headers \"\(required.joined(separator: " "))\"; "
                + "headers=\"\(signed.joined(separator: " "))\" leaves out \(unsigned.joined(separator: ", ")).")
        }
        for name in signed where name != "(request-target)" && request.header(name) == nil {
            throw .notAuthenticated("The signed header \"\(name)\" is not present in the request.")
        }

        guard let key = lookup(params.keyID) else {
            throw .notAuthenticated("Unknown keyId \"\(abbreviated(params.keyID))\": no API key or session is registered for it.")
        }
        guard let signature = Data(base64Encoded: params.signature), !signature.isEmpty else {
            throw .notAuthenticated("The signature parameter is not valid base64.")
        }
        let text = signingString(request, names: signed)
        guard key.verifySHA256(signature: signature, message: Data(text.utf8)) else {
            // The signing string is quoted with escaped newlines so the message stays one line in a client's error output.
            throw .notAuthenticated("The signature does not verify with the key for keyId \"\(abbreviated(params.keyID))\". "
                + "The server's signing string was: \"\(text.replacingOccurrences(of: "\n", with: "\\n"))\"")
        }

        // The date is checked only after the signature, so a wrong clock is reported as such and not as a bad key.
        let dateText = request.header(dateName) ?? ""
        guard let date = OCIRequestSigner.parseHTTPDate(dateText) else {
            throw .notAuthenticated("The \(dateName) header \"\(dateText)\" is not an RFC 7231 date such as \"Thu, 05 Jan 2014 21:31:40 GMT\".")
        }
        let skew = date.timeIntervalSince(now)
        if abs(skew) > maxClockSkew {
            throw .notAuthenticated("The \(dateName) header \"\(dateText)\" is \(Int(abs(skew).rounded())) s "
                + "\(skew < 0 ? "behind" : "ahead of") the server clock; at most \(Int(maxClockSkew)) s of skew is allowed.")
        }

        // The signature covers the digest and length headers, not the body: they must also match the bytes received.
        if streamedUpload {
            let received = request.bodyFile.flatMap { try? FileManager.default.attributesOfItem(atPath: $0.path)[.size] as? Int64 }
                ?? Int64(request.body.count)
            if let length = request.header("content-length"), length != String(received) {
                throw .notAuthenticated("content-length \"\(length)\" does not match the \(received) body bytes received.")
            }
            if signed.contains("x-content-sha256") {
                let digest: String
                if let file = request.bodyFile {
                    digest = (try? Self.sha256(file))?.base64EncodedString() ?? ""
                } else { digest = Digest.sha256(request.body).base64EncodedString() }
                let claimed = request.header("x-content-sha256") ?? ""
                guard claimed == digest else {
                    throw .notAuthenticated("x-content-sha256 \"\(claimed)\" does not match the body received (its SHA-256 is \"\(digest)\").")
                }
            }
        } else if ["POST", "PUT", "PATCH"].contains(request.method.uppercased()) {
            let digest = Digest.sha256(request.body).base64EncodedString()
            let claimed = request.header("x-content-sha256") ?? ""
            guard claimed == digest else {
                throw .notAuthenticated("x-content-sha256 \"\(claimed)\" does not match the body received (its SHA-256 is \"\(digest)\").")
            }
            let length = request.header("content-length") ?? ""
            guard length == String(request.body.count) else {
                throw .notAuthenticated("content-length \"\(length)\" does not match the \(request.body.count) body bytes received.")
            }
        }
        return params.keyID
    }

    static func sha256(_ file: URL) throws -> Data {
        guard let handle = FileHandle(forReadingAtPath: file.path) else { throw ObjectStoreError.io("cannot open \(file.path)") }
        defer { try? handle.close() }
        let digest = IncrementalDigest(.sha256)
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { digest.update(chunk) }
        return digest.finish()
    }

    /// The signing string rebuilt from what was received. MediaKit's builder is reused so client and
    /// emulator can never disagree on the format; the raw target goes in as the path so nothing is re-encoded.
    static func signingString(_ request: ServerRequest, names: [String]) -> String {
        let url = RequestURL(scheme: "http", host: request.header("host") ?? "", path: request.target, query: nil)
        let received = HTTPRequest(method: request.method, url: url, headers: request.headers, body: request.body)
        return OCIRequestSigner.signingString(received, names: names)
    }

    /// The keyId of a request, if its Authorization header parses (for the request log; not verified).
    static func keyID(of request: ServerRequest) -> String? {
        guard let value = request.header("authorization") else { return nil }
        return try? parse(value).keyID
    }

    /// Parses `Signature algorithm="rsa-sha256",headers="...",keyId="...",signature="...",version="1"`.
    /// Parameters are read by name, in any order, as the draft allows.
    static func parse(_ value: String) throws(APIError) -> SignatureParameters {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard trimmed.lowercased().hasPrefix("signature ") else {
            throw .notAuthenticated("The Authorization header is not an HTTP signature (it must start with \"Signature \").")
        }
        var fields: [String: String] = [:]
        var rest = Substring(trimmed.dropFirst("signature ".count))
        while true {
            rest = rest.drop { $0 == " " || $0 == "," }
            if rest.isEmpty { break }
            guard let eq = rest.firstIndex(of: "=") else {
                throw .notAuthenticated("The Authorization header is malformed near \"\(rest.prefix(20))\".")
            }
            let name = rest[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            rest = rest[rest.index(after: eq)...]
            guard rest.first == "\"" else {
                throw .notAuthenticated("The Authorization parameter \(name) must be a quoted string.")
            }
            rest = rest.dropFirst()
            var text = ""
            var closed = false
            while let c = rest.first {
                rest = rest.dropFirst()
                if c == "\\", let next = rest.first { text.append(next); rest = rest.dropFirst(); continue }
                if c == "\"" { closed = true; break }
                text.append(c)
            }
            guard closed else { throw .notAuthenticated("The Authorization parameter \(name) has no closing quote.") }
            fields[name] = text
        }
        guard let keyID = fields["keyid"], !keyID.isEmpty else {
            throw .notAuthenticated("The Authorization header has no keyId parameter.")
        }
        guard let signature = fields["signature"], !signature.isEmpty else {
            throw .notAuthenticated("The Authorization header has no signature parameter.")
        }
        // draft-cavage: an absent headers parameter means just "date" (which then fails the required-list check).
        let headers = (fields["headers"] ?? "date").split(separator: " ").map { $0.lowercased() }
        return SignatureParameters(algorithm: fields["algorithm"], headers: headers, keyID: keyID,
                                   signature: signature, version: fields["version"])
    }

    /// Session keyIds carry a whole JWT; messages quote only its start.
    private static func abbreviated(_ keyID: String) -> String {
        keyID.count > 120 ? String(keyID.prefix(117)) + "..." : keyID
    }
}

extension ServerRequest {
    /// Case-insensitive; the last occurrence wins, as in MediaKit's HTTPRequest.
    func header(_ name: String) -> String? {
        headers.last { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
    }
}
