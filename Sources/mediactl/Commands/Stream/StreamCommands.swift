// Media Streams verbs outside the channel group: `ingest` (a master playlist into a channel, as an asset),
// `playback-url`, and the `asset` group. Each verb is a file of this folder.
import MediaKit

enum StreamCommands {
    static let assetGroup = CommandSpec(name: "asset", summary: "Media assets", subcommands: ResourceVerbs.all(.asset))
}
