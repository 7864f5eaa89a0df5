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
