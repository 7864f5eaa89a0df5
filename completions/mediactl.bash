# bash completion for mediactl; candidates come from `mediactl __complete` (the command table).
_mediactl() {
    local cur="${COMP_WORDS[COMP_CWORD]}" IFS=$'\n' out
    out=$(mediactl __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null | cut -f1)
    if [[ "$out" == *__files__* ]]; then
        COMPREPLY=($(compgen -f -- "$cur"))
    else
        COMPREPLY=($(compgen -W "$out" -- "$cur"))
    fi
}
complete -F _mediactl mediactl
