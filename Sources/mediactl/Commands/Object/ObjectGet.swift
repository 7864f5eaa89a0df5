// `mediactl object get OBJECT`: download an object to a temporary file beside the target, renamed into place once
// complete and its MD5 checked.
import FoundationEssentials
import Glibc
import MediaKit

enum ObjectGet {
    struct Options {
        var name: String
        var location: ObjectCommands.Location
        /// The file to write (expanded), and the folder it goes in ("." for a bare name).
        var target: String
        var directory: String
    }

    static let file = Flag.file("file", help: "where to write it (default: the object name's last part)").short("f").notFromDefaultsFile()

    static let command = CommandSpec.verb(
        "get", summary: "Download an object to a file (written to a temporary file, renamed when complete)",
        examples: ["mediactl object get in/clip.mp4 --bucket media-in --file clip.mp4"],
        flags: ObjectFlags.common + [file], positionals: [ObjectCommands.objectName.spec],
        parse: parse, run: run)

    static func parse(_ inv: Invocation) throws(MediaError) -> Options {
        let name = try inv.required(ObjectCommands.objectName)
        let location = try ObjectCommands.Location.parse(inv)
        let target = inv.expand(try inv.value(file) ?? lastPathComponent(of: name))
        let parent = parentDirectory(of: target)
        let dir = parent.isEmpty ? "." : parent
        if !inv.auditing {
            var isDirectory = false
            if FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory), isDirectory {
                throw .usage("--file \(target): is a directory (expected a file path)")
            }
            guard FileManager.default.isWritableFile(atPath: dir) else { throw .usage("--file \(target): cannot write in \(dir)") }
        }
        return Options(name: name, location: location, target: target, directory: dir)
    }

    static func run(_ o: Options, _ ctx: CommandContext) throws(MediaError) {
        let (client, _, ns) = try ObjectCommands.connect(ctx, o.location)
        // Never a half-written destination: a temporary file beside it, renamed into place once complete and checked.
        let temporary = o.directory + "/.\(lastPathComponent(of: o.target)).mediactl-\(getpid())"
        let meter = TransferMeter(io: ctx.io, verb: "Downloading", label: o.name)
        defer { meter.stop(); unlink(temporary) }
        meter.start(total: nil)
        let head = try client.getObject(namespace: ns, bucket: o.location.bucket, object: o.name, to: temporary, progress: { meter.update($0) })
        meter.stop()
        if let md5 = head.md5 {
            let got = try ObjectUploader.md5(FileRegion(path: temporary, length: try ObjectUploader.fileInfo(temporary).0)).base64EncodedString()
            guard got == md5 else { throw .network("\(o.name): downloaded bytes have MD5 \(got), the service says \(md5); \(o.target) not written") }
        }
        guard rename(temporary, o.target) == 0 else { throw .usage("--file \(o.target): \(String(cString: strerror(errno)))") }
        var json = head.json
        json.set("name", .string(o.name)); json.set("file", .string(o.target))
        ctx.emit(json: json, ids: [o.target]) {
            ctx.io.out("downloaded \(ns)/\(o.location.bucket)/\(o.name) to \(o.target): \(TransferMeter.bytes(head.size))\(meter.rateText)")
        }
    }
}
