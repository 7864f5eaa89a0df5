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
