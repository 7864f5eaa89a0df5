// `mediactl auth refresh`: renews the profile's security token as `oci session refresh` does.
import FoundationEssentials
import MediaKit

enum AuthRefresh {
    struct Options {
        /// The auth service's refresh URL; nil derives it from the profile's region.
        var authEndpoint: String?
    }

    static let authEndpoint = Flag.text("auth-endpoint", meta: "URL",
                                        help: "auth service URL (default https://auth.REGION.DOMAIN/v1/authentication/refresh)")
        .env("MEDIACTL_AUTH_ENDPOINT").notFromDefaultsFile()

    static let command = CommandSpec.verb(
        "refresh", summary: "Renew the profile's security token (`oci session authenticate`'s) before it expires",
        description: "Sends the current token, signed with it and the session key, to the auth service's "
            + "/v1/authentication/refresh, as `oci session refresh` does, and writes the new token over the profile's "
            + "security_token_file (a temporary file and a rename; mode 0600). A token past its expiry, or a session past "
            + "its maximum lifetime, cannot be renewed: then run `oci session authenticate` again.",
        examples: ["mediactl auth refresh --profile SESSION", "mediactl auth refresh --profile SESSION --output json"],
        flags: [authEndpoint],
        parse: { inv throws(MediaError) in Options(authEndpoint: try inv.value(authEndpoint)) },
        run: run)

    static func run(_ o: Options, _ ctx: CommandContext) throws(MediaError) {
        let factory = try ctx.connections()
        let transport = try factory.unsignedOCITransport()
        let outcome = try SecurityTokenRefresh.refresh(factory.settings.oci, transport: transport, authEndpoint: o.authEndpoint, now: ctx.clock.now())
        let expires = outcome.expiresAt?.internetDateTime()
        var json: JSONValue = ["securityTokenFile": .string(outcome.file)]
        if let expires { json.set("timeExpires", .string(expires)) }
        ctx.emit(json: json, ids: [outcome.file]) {
            ctx.io.out(outcome.file)
            ctx.io.progress("Refreshed the security token in \(outcome.file)" + (expires.map { "; it expires at \($0)" } ?? ""))
        }
    }
}
