// Shell completion from the command table. The shell scripts are tiny and call back into the
// binary (`mediactl __complete WORDS...`), so the logic lives once, beside the parser.

import MediaKit

enum Completion {
    /// Marker line telling the shell script to complete file names itself.
    static let filesDirective = "__files__"

    /// Ids for an id flag's value, given the words before the value (which say where a live list may look).
    typealias IDSource = (_ spec: FlagSpec, _ complete: [String]) -> [String]

    /// Candidates (`name<TAB>description`) for the last word of `words` (the words after `mediactl`).
    static func candidates(_ words: [String], root: CommandSpec = CommandTable.root, globals: [FlagSpec] = GlobalFlags.all,
                           ids: IDSource = { _, _ in [] }) -> [String] {
        var command = root
        var used = Set<String>()
        let current = words.last ?? ""
        var i = 0
        let previous = Array(words.dropLast())
        var positionals = 0
        // `mediactl help job ru<Tab>`: the words after help walk the table like a command line.
        var helpPath: [CommandSpec] = []
        while i < previous.count {
            let w = previous[i]
            if w.hasPrefix("-") {
                let name = w.hasPrefix("--") ? String(w.dropFirst(2).split(separator: "=", maxSplits: 1).first ?? "") : ""
                let spec = (command.flags + globals).first { $0.name == name || (w.count == 2 && $0.short == w.last) }
                if let spec {
                    used.insert(spec.name)
                    if spec.takesValue && !w.contains("=") { i += 1 }
                }
            } else if let sub = command.subcommand(w), positionals == 0 {
                command = sub
            } else if command.name == "help", let sub = helpPath.last?.subcommand(w) ?? (helpPath.isEmpty ? root.subcommand(w) : nil) {
                helpPath.append(sub)
            } else {
                positionals += 1
            }
            i += 1
        }
        let flags = (command.flags + globals).filter { !$0.hidden }

        // The value of a flag: after `--flag ` or inside `--flag=`.
        if let last = previous.last, last.hasPrefix("-"), !last.contains("="),
           let spec = flags.first(where: { "--\($0.name)" == last || (last.count == 2 && $0.short == last.last) }), spec.takesValue {
            return values(for: spec, prefix: current, flagPrefix: "", ids: { ids(spec, Array(previous.dropLast())) })
        }
        if current.hasPrefix("--"), let eq = current.firstIndex(of: "=") {
            let name = String(current[current.index(current.startIndex, offsetBy: 2)..<eq])
            guard let spec = flags.first(where: { $0.name == name }) else { return [] }
            return values(for: spec, prefix: String(current[current.index(after: eq)...]), flagPrefix: "--\(name)=", ids: { ids(spec, previous) })
        }
        if current.hasPrefix("-") {
            return flags.filter { $0.repeatable || !used.contains($0.name) }
                .map { "--\($0.name)" }.filter { $0.hasPrefix(current) }
                .map { name in "\(name)\t\(flags.first { "--\($0.name)" == name }?.help ?? "")" }
        }
        if command.name == "help" && positionals == 0 {
            let under = helpPath.last ?? root
            let topics = helpPath.isEmpty ? ["flags\tthe global flags, in full", "exit-codes\tthe exit codes and what they mean"] : []
            return topics.filter { $0.hasPrefix(current) }
                + under.subcommands.filter { !$0.hidden && $0.name.hasPrefix(current) }.map { "\($0.name)\t\($0.summary)" }
        }
        if positionals == 0 {
            let subs = command.subcommands.filter { !$0.hidden && $0.name.hasPrefix(current) }
            if !subs.isEmpty { return subs.map { "\($0.name)\t\($0.summary)" } }
        }
        if positionals < command.positionals.count {
            let argument = command.positionals[positionals]
            if argument.kind == .file { return [filesDirective] }
            let spec = argument.asFlag
            return values(for: spec, prefix: current, flagPrefix: "", ids: { ids(spec, previous) })
        }
        return []
    }

    static func values(for spec: FlagSpec, prefix: String, flagPrefix: String, ids: () -> [String] = { [] }) -> [String] {
        if spec.kind == .file { return [filesDirective] }
        let offered = (spec.completionValues ?? []) + (spec.recentKinds.isEmpty ? [] : ids())
        return offered.filter { $0.hasPrefix(prefix) }.map { flagPrefix + $0 }
    }

    static let shells = ["bash", "zsh", "fish"]

    static func script(_ shell: String) -> String {
        switch shell {
        case "bash": return bash
        case "zsh": return zsh
        default: return fish
        }
    }

    static let bash = #"""
    # bash completion for mediactl; candidates come from `mediactl __complete` (the command table).
    _mediactl() {
        local cur="${COMP_WORDS[COMP_CWORD]}" IFS=$'\n' out prefix="" i
        local -a words=()
        # bash splits `--output=json` at '=' (COMP_WORDBREAKS): join the pieces again, as mediactl parses them.
        for ((i = 1; i <= COMP_CWORD; i++)); do
            if [[ ${#words[@]} -gt 0 && ( "${COMP_WORDS[i]}" == "=" || "${COMP_WORDS[i-1]}" == "=" ) ]]; then
                words[${#words[@]}-1]+="${COMP_WORDS[i]}"
            else
                words+=("${COMP_WORDS[i]}")
            fi
        done
        [[ "$cur" == "=" ]] && cur=""
        # The candidates for `--flag=val` come back whole; bash replaces only the part after '=' when it split there.
        local last="${words[${#words[@]}-1]}"
        [[ "$last" == --*=* && "${COMP_WORDS[COMP_CWORD]}" != --*=* ]] && prefix="${last%%=*}="
        out=$(mediactl __complete "${words[@]}" 2>/dev/null | cut -f1)
        if [[ "$out" == *__files__* ]]; then
            COMPREPLY=($(compgen -f -- "$cur"))
        else
            [[ -n "$prefix" ]] && out="${out//"$prefix"/}"
            COMPREPLY=($(compgen -W "$out" -- "$cur"))
        fi
    }
    complete -F _mediactl mediactl

    """#

    static let zsh = #"""
    #compdef mediactl
    # zsh completion for mediactl; candidates come from `mediactl __complete` (the command table).
    _mediactl() {
        local -a cands
        local out
        out=$(mediactl __complete "${(@)words[2,CURRENT]}" 2>/dev/null)
        if [[ "$out" == *__files__* ]]; then
            _files
            return
        fi
        cands=("${(@f)${out//:/\\:}}")
        cands=("${(@)cands/$'\t'/:}")
        _describe -t commands 'mediactl' cands
    }
    if [ "$funcstack[1]" = "_mediactl" ]; then
        _mediactl "$@"
    else
        compdef _mediactl mediactl
    fi

    """#

    static let fish = #"""
    # fish completion for mediactl; candidates come from `mediactl __complete` (the command table).
    function __mediactl_complete
        set -l tokens (commandline -opc) (commandline -ct)
        set -l out (mediactl __complete $tokens[2..-1] 2>/dev/null)
        if contains -- __files__ $out
            __fish_complete_path (commandline -ct)
            return
        end
        printf '%s\n' $out
    end
    complete -c mediactl -f -a '(__mediactl_complete)'

    """#

    static let shell = Positional<String>(spec: PositionalSpec(name: "shell", help: "bash, zsh or fish", kind: .choice(shells)), decode: { $0 })

    static let command: CommandSpec = .verb(
        "completion", summary: "Print the shell completion script for bash, zsh or fish",
        description: "bash: `source <(mediactl completion bash)` or copy it to /usr/share/bash-completion/completions/mediactl.\nzsh: copy it as _mediactl into a folder on $fpath. fish: copy it to ~/.config/fish/completions/mediactl.fish.",
        examples: ["mediactl completion bash > /usr/share/bash-completion/completions/mediactl"],
        positionals: [shell.spec],
        parse: { inv throws(MediaError) in try inv.required(shell) },
        run: { shell, ctx throws(MediaError) in ctx.io.out(script(shell), terminator: "") })
}
