// RS256 JSON Web Tokens (RFC 7515 §A.2) as the Vonage SDK writes them (PyJWT): the `Authorization: Bearer`
// application JWT and Vonage client tokens, signed and checked with RSA PKCS#1 v1.5 over SHA-256 (OpenSSL EVP).
import FoundationEssentials
import Glibc

public enum RS256JWT {
    /// PyJWT's header for `headers={'alg': 'RS256', 'typ': 'JWT'}` (it sorts header keys): `{"alg":"RS256","typ":"JWT"}`.
    public static let headerJSON = #"{"alg":"RS256","typ":"JWT"}"#

    /// Signs `claims` (an object, keys in the order given); nil only when OpenSSL fails to sign.
    public static func sign(claims: JSONValue, key: RSAPrivateKey) -> String? {
        let input = Data(headerJSON.utf8).base64URLEncoded + "." + Data(HS256JWT.asciiJSON(claims).utf8).base64URLEncoded
        guard let signature = key.signSHA256(Data(input.utf8)) else { return nil }
        return input + "." + signature.base64URLEncoded
    }

    /// The claims when the token is an RS256 JWT whose signature the private half of `publicKey` made; nil otherwise.
    public static func verify(_ token: String, publicKey: RSAPublicKey) -> JSONValue? {
        guard let decoded = HS256JWT.decode(token), decoded.header["alg"]?.stringValue == "RS256",
              publicKey.verifySHA256(signature: decoded.signature, message: Data(decoded.signingInput.utf8)) else { return nil }
        return decoded.claims
    }
}
