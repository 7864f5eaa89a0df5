// readline and history, with accessors for the globals Swift 6 cannot touch safely.
#ifndef MEDIACTL_CREADLINE_SHIM_H
#define MEDIACTL_CREADLINE_SHIM_H
#include <stdio.h>
#include <stdlib.h>
#include <readline/readline.h>
#include <readline/history.h>

typedef char *(*creadline_generator)(const char *text, int state);
static creadline_generator creadline_current_generator = 0;

static inline char **creadline_complete(const char *text, int start, int end) {
    (void)start; (void)end;
    rl_attempted_completion_over = 1;
    if (!creadline_current_generator) return 0;
    return rl_completion_matches(text, creadline_current_generator);
}
/// Installs a completion generator (or none) for the next readline() calls.
static inline void creadline_set_generator(creadline_generator gen) {
    creadline_current_generator = gen;
    rl_attempted_completion_function = gen ? creadline_complete : 0;
}
/// Readline writes its prompt to rl_outstream; mediactl keeps stdout for results only.
static inline void creadline_use_stderr(void) { rl_outstream = stderr; }
static inline void creadline_set_name(const char *name) { rl_readline_name = name; }
static inline void creadline_cleanup(void) { rl_free_line_state(); rl_cleanup_after_signal(); }
static inline void creadline_disable_signals(void) { rl_catch_signals = 0; rl_catch_sigwinch = 1; }
/// The newest line of the history list, or NULL when it is empty.
static inline const char *creadline_newest_history(void) {
    HIST_ENTRY *e = history_length > 0 ? history_get(history_base + history_length - 1) : 0;
    return e ? e->line : 0;
}
#endif
