// The man page mediactl(1), in roff, generated from the command table like the help and docs.
import MediaKit

enum ManPage {
    static func render() -> String {
        var out = """
        .TH MEDIACTL 1 "" "mediactl \(MediaKitVersion.string)" "User Commands"
        .SH NAME
        mediactl \\- OCI Media Services, Media Streams and OpenTok / Vonage Video from the command line
        .SH SYNOPSIS
        .B mediactl
        .I command
        .RI [ subcommand ]
        .RI [ flags ]
        .SH DESCRIPTION
        \(escape(CommandTable.root.summary)).
        Results go to standard output; progress, warnings and errors to standard error.
        Run without arguments on a terminal, mediactl offers the lab's choices and asks for each missing value.
        .SH COMMANDS

        """
        func walk(_ command: CommandSpec, _ path: [String]) {
            for sub in command.subcommands where !sub.hidden && sub.name != "help" {
                let full = path + [sub.name]
                if sub.action != nil {
                    out += ".TP\n.B \(escape(Help.usage(name: full.joined(separator: " "), command: sub)))\n\(escape(sub.summary)).\n"
                    for f in sub.flags where !f.hidden { out += flagLine(f) }
                }
                walk(sub, full)
            }
        }
        walk(CommandTable.root, ["mediactl"])
        out += ".SH GLOBAL FLAGS\n"
        for f in GlobalFlags.all where !f.hidden { out += ".TP\n" + flagLine(f, indent: false) }
        out += ".SH EXIT STATUS\n"
        for code in ExitCode.allCases { out += ".TP\n.B \(code.rawValue)\n\(escape(code.meaning)).\n" }
        out += """
        .SH ENVIRONMENT
        Each flag's variable is listed with the flag. A value comes from the flag, else its environment
        variable, else the defaults file, else the built-in default; on a terminal a missing required value is asked for.
        These are read directly:
        \(GlobalFlags.environment.map { ".TP\n.B \(escape($0.name))\n\(escape($0.effect))." }.joined(separator: "\n"))
        .SH FILES
        .TP
        .I ~/.oci/config
        OCI config file (profiles, keys, region).
        .TP
        .I ~/.config/mediactl/defaults
        defaults for flags, one INI section per profile.
        .TP
        .I ~/.local/state/mediactl/history
        prompt history.
        .SH SEE ALSO
        .BR oci (1)

        """
        return out
    }

    static func flagLine(_ f: FlagSpec, indent: Bool = true) -> String {
        var name = (f.short.map { "\\-\($0), " } ?? "") + "\\-\\-\(escape(f.name))"
        if f.takesValue { name += " \(escape(f.meta))" }
        var text = escape(f.help)
        if let d = f.defaultValue { text += " (default \(escape(d)))" }
        if !f.envNames.isEmpty { text += " [\(f.envNames.joined(separator: ", "))]" }
        return indent ? ".RS\n.TP\n.B \(name)\n\(text)\n.RE\n" : ".B \(name)\n\(text)\n"
    }

    /// Backslashes and leading dots/quotes are special in roff.
    static func escape(_ s: String) -> String {
        var t = s.replacing("\\", with: "\\e").replacing("-", with: "\\-")
        if t.hasPrefix(".") || t.hasPrefix("'") { t = "\\&" + t }
        return t
    }
}
