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
