// Media Streams: `channel build`, `ingest`, `playback-url`, and the CDN/packaging/asset resources.
import FoundationEssentials
import MediaKit

enum StreamCommands {
    static let channelGroup = CommandSpec(
        name: "channel", summary: "Distribution channels: build one with its CDN and packaging configs",
        subcommands: [channelBuild, ChannelGeneratePlaylist.command] + ResourceVerbs.all(.channel))

    static let cdnGroup = CommandSpec(name: "cdn-config", summary: "CDN configs of a channel", subcommands: [CdnConfigCreate.command] + ResourceVerbs.all(.cdnConfig))
    static let packagingGroup = CommandSpec(name: "packaging-config", summary: "Packaging configs of a channel",
                                            subcommands: [PackagingConfigCreate.command] + ResourceVerbs.all(.packagingConfig))
    static let assetGroup = CommandSpec(name: "asset", summary: "Media assets", subcommands: [AssetCreate.command, AssetAttachment.group] + ResourceVerbs.all(.asset))

    static let channelBuild = CommandSpec(
        name: "build", summary: "Create a distribution channel, its OCI Edge CDN config and an HLS packaging config (the lab's `build`)",
        examples: ["mediactl channel build --compartment-id ocid1.compartment.oc1..aaaa",
                   "mediactl channel build --encryption AES128 --kms-key-id ocid1.key.oc1.iad.aaaa --output json"],
        flags: [CommonFlags.compartment.spec,
                FlagSpec(name: "name", meta: "NAME", help: "display name of the channel and its configs", defaultValue: "test_sdk"),
                FlagSpec(name: "format", kind: .choice(["HLS", "DASH"]), meta: "FORMAT", help: "packaging format", defaultValue: "HLS"),
                FlagSpec(name: "segment-seconds", kind: .integer(1...300), meta: "SECONDS", help: "segment length", defaultValue: "20"),
                FlagSpec(name: "encryption", kind: .choice(["NONE", "AES128"]), meta: "ALGORITHM", help: "stream encryption", defaultValue: "NONE"),
                FlagSpec(name: "kms-key-id", kind: .ocid(["key"]), meta: "OCID", help: "Vault key for AES128 (default: an Oracle-managed key)"),
                CommonFlags.retryToken.spec],
        action: { inv throws(MediaError) in
            let compartment = try inv.required("compartment-id")
            let name = try inv.string("name") ?? "test_sdk"
            let format = try inv.string("format") ?? "HLS"
            let seconds = try inv.int("segment-seconds") ?? 20
            let kms = try inv.string("kms-key-id")
            let encryption: PackagingEncryption
            switch try inv.string("encryption") ?? "NONE" {
            case "AES128": encryption = .aes128(kmsKeyID: kms)
            default:
                if kms != nil { throw .usage("--kms-key-id needs --encryption AES128") }
                encryption = .none
            }
            let token = try inv.retryToken()
            let (client, _) = try inv.mediaServices()
            // One token for the command; each create gets its own derived from it, so a rerun with the token
            // gets back every resource the first run created and creates only what is missing.
            var created: [(String, String)] = []
            let channel = try inv.creating(&created, retryToken: token) { () throws(MediaError) in
                try client.withRetryToken(token).createChannel(compartmentID: compartment, displayName: name)
            }
            created.append(("channel", channel.id))
            inv.io.progress("Created distribution channel \(channel.id)")
            let cdn = try inv.creating(&created, retryToken: token) { () throws(MediaError) in
                try client.withRetryToken(token + "-cdn").createEdgeCdnConfig(channelID: channel.id, displayName: name)
            }
            created.append(("CDN config", cdn.id))
            inv.io.progress("Created CDN config \(cdn.id)")
            let packaging = try inv.creating(&created, retryToken: token) { () throws(MediaError) in
                try client.withRetryToken(token + "-packaging").createPackagingConfig(channelID: channel.id, displayName: name, format: format, segmentSeconds: seconds, encryption: encryption)
            }
            inv.io.progress("Created packaging config \(packaging.id)")
            inv.render(named: [("channel", channel), ("cdnConfig", cdn), ("packagingConfig", packaging)])
        })

    static let ingest = CommandSpec(
        name: "ingest", summary: "Register an HLS master playlist as an asset, ingest it into a channel and wait (the lab's `ingest`)",
        description: "Polls the ingest job with backoff (about 1 s at first, up to 10 s); stops on SUCCEEDED (exit 0),\nFAILED, CANCELED or REJECTED (exit 9, with the job's reason) or at --timeout (exit 8).",
        examples: ["mediactl ingest --channel-id $CH --namespace ns --bucket out --object sdk_test/clip.mp4/run1-master.m3u8"],
        flags: [CommonFlags.channel.spec,
                FlagSpec(name: "bucket", meta: "BUCKET", help: "bucket holding the playlist", env: "MEDIACTL_PLAYLIST_BUCKET",
                         prompt: "Provide Bucket Name where the playlist is located"),
                FlagSpec(name: "object", meta: "OBJECT", help: "master playlist object name", fromDefaultsFile: false, prompt: "Enter Playlist Name"),
                CommonFlags.namespace.spec, CommonFlags.compartment.spec,
                FlagSpec(name: "name", meta: "NAME", help: "asset display name", defaultValue: "test_sdk"),
                FlagSpec(name: "no-wait", kind: .bool, help: "start the ingest and return", fromDefaultsFile: false),
                CommonFlags.timeout(default: 1200).spec, CommonFlags.retryToken.spec],
        action: { inv throws(MediaError) in
            let channel = try inv.required("channel-id")
            let bucket = try inv.required("bucket")
            let object = try inv.required("object")
            let namespace = try inv.required("namespace")
            let compartment = try inv.required("compartment-id")
            let name = try inv.string("name") ?? "test_sdk"
            let noWait = try inv.bool("no-wait")
            let timeout = try inv.double("timeout") ?? 1200
            let token = try inv.retryToken()
            let (client, _) = try inv.mediaServices()
            var created: [(String, String)] = []
            let asset = try inv.creating(&created, retryToken: token) { () throws(MediaError) in
                try client.withRetryToken(token).createPlaylistAsset(compartmentID: compartment, displayName: name, namespace: namespace, bucket: bucket, object: object)
            }
            created.append(("asset", asset.id))
            inv.io.progress("Created media asset \(asset.id)")
            let jobID = try inv.creating(&created, retryToken: token) { () throws(MediaError) in
                try client.withRetryToken(token + "-ingest").ingest(channelID: channel, assetID: asset.id, compartmentID: compartment)
            }
            inv.io.progress("Ingesting into channel \(channel): job \(jobID)")
            var job: Resource?
            if !noWait {
                job = try inv.waitForJob(client, id: jobID, timeout: timeout, label: "ingest job")
                inv.io.progress("Ingest completed.")
            }
            switch inv.outputFormat {
            case "json":
                var doc: JSONValue = ["mediaAsset": asset.json, "ingestJobId": .string(jobID)]
                if let job { doc.set("ingestJob", job.json) }
                inv.io.out(doc.prettyText)
            case "id": inv.io.out(asset.id)
            default:
                inv.io.out("media asset: \(asset.id)")
                inv.io.out("ingest job:  \(jobID) \(job?.lifecycleState ?? "started")")
            }
        })

    static let playbackURL = CommandSpec(
        name: "playback-url", summary: "Generate a session token and print the playback URL (the lab's `session`)",
        examples: ["mediactl playback-url --channel-id $CH --asset-id $ASSET --packaging-config-id $PKG"],
        flags: [FlagSpec(name: "asset-id", kind: .ocid(ResourceKind.asset.ocidTypes), meta: "OCID", help: "the ingested master playlist's asset",
                         prompt: "Provide the asset OCID of the ingested master playlist"),
                FlagSpec(name: "packaging-config-id", kind: .ocid(ResourceKind.packagingConfig.ocidTypes), meta: "OCID",
                         help: "packaging config of the channel", env: "MEDIACTL_PACKAGING_CONFIG_ID", prompt: "Enter Package Configuration OCID"),
                CommonFlags.channel.spec,
                FlagSpec(name: "expires-in", kind: .integer(60...31_536_000), meta: "SECONDS", help: "token lifetime (default: the service's)", fromDefaultsFile: true)],
        action: { inv throws(MediaError) in
            let asset = try inv.required("asset-id")
            let packaging = try inv.required("packaging-config-id")
            let channelID = try inv.required("channel-id")
            let expires = try inv.int("expires-in").map { inv.clock.now().addingTimeInterval(Double($0)) }
            let (client, _) = try inv.mediaServices()
            let channel = try inv.call { () throws(MediaError) in try client.get(.channel, id: channelID) }
            guard let domain = channel.domainName, !domain.isEmpty else {
                throw .service(ServiceFailure(status: 200, code: "NoDomainName", message: "channel \(channelID) has no domainName yet",
                                                     requestID: nil, method: "GET", url: "\(ResourceKind.channel.collectionPath)/\(channelID)"))
            }
            let stream = try inv.mediaStream(domainName: domain)
            let token = try inv.call { () throws(MediaError) in
                try stream.generateSessionToken(packagingConfigID: packaging, assetIDs: [asset], expires: expires)
            }
            let url = stream.playbackURL(assetID: asset, packagingConfigID: packaging, token: token)
            if inv.outputFormat == "json" {
                inv.io.out(JSONValue.object([("playbackUrl", .string(url)), ("domainName", .string(domain)),
                                             ("mediaAssetId", .string(asset)), ("streamPackagingConfigId", .string(packaging))]).prettyText)
            } else {
                inv.io.progress("Stream URL with your player:")
                inv.io.out(url)
            }
        })
}
