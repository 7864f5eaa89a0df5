// `mediactl auth refresh`: renews the profile's security token as `oci session refresh` does (the OpenTok
// `session` group owns the word "session", hence `auth`).
import FoundationEssentials
import MediaKit

enum AuthCommands {
    static let group = CommandSpec(
        name: "auth", summary: "Credentials: renew a security token (docs/auth-modes.md explains the --auth modes)",
        subcommands: [refresh])

    static let refresh = CommandSpec(
        name: "refresh", summary: "Renew the profile's security token (`oci session authenticate`'s) before it expires",
        description: "Sends the current token, signed with it and the session key, to the auth service's "
            + "/v1/authentication/refresh, as `oci session refresh` does, and writes the new token over the profile's "
            + "security_token_file (a temporary file and a rename; mode 0600). A token past its expiry, or a session past "
            + "its maximum lifetime, cannot be renewed: then run `oci session authenticate` again.",
        examples: ["mediactl auth refresh --profile SESSION", "mediactl auth refresh --profile SESSION --output json"],
        flags: [FlagSpec(name: "auth-endpoint", meta: "URL",
                         help: "auth service URL (default https://auth.REGION.DOMAIN/v1/authentication/refresh)",
                         env: "MEDIACTL_AUTH_ENDPOINT", fromDefaultsFile: false)],
        action: { inv throws(MediaError) in
            let factory = try inv.connections()
            let settings = factory.settings.oci
            let transport = try inv.call { () throws(MediaError) in try factory.unsignedOCITransport() }
            let endpoint = try inv.string("auth-endpoint")
            let outcome = try inv.call { () throws(MediaError) in
                try SecurityTokenRefresh.refresh(settings, transport: transport, authEndpoint: endpoint, now: inv.clock.now())
            }
            let expires = outcome.expiresAt?.internetDateTime()
            if inv.outputFormat == "json" {
                var value: JSONValue = ["securityTokenFile": .string(outcome.file)]
                if let expires { value.set("timeExpires", .string(expires)) }
                inv.io.out(value.prettyText)
            } else {
                inv.io.out(outcome.file)
                inv.io.progress("Refreshed the security token in \(outcome.file)" + (expires.map { "; it expires at \($0)" } ?? ""))
            }
        })
}
