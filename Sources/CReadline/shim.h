#include <stdio.h>
#include <signal.h>
#include <string.h>
#include <readline/readline.h>
#include <readline/history.h>

// Swift 6 rejects direct access to readline's mutable C globals ("not concurrency-safe"), so the REPL
// sets them through these inline functions. Only the synthlab CLI imports this module.

static inline void synth_rl_set_completion(rl_completion_func_t *function) { rl_attempted_completion_function = function; }
static inline void synth_rl_set_completion_over(int over) { rl_attempted_completion_over = over; }
static inline void synth_rl_set_name(const char *name) { rl_readline_name = name; }
static inline const char *synth_rl_line_buffer(void) { return rl_line_buffer; }
static inline void synth_rl_set_quote_characters(const char *characters) { rl_completer_quote_characters = characters; }
static inline void synth_rl_set_break_characters(const char *characters) { rl_completer_word_break_characters = (char *)characters; }
static inline void synth_rl_set_append_character(int character) { rl_completion_append_character = character; }
static inline char *synth_rl_filename_completion(const char *text, int state) { return rl_filename_completion_function(text, state); }

// Ctrl-C: the handler only counts; the REPL polls the count and cancels the running command.
static volatile sig_atomic_t synth_interrupt_count = 0;
static void synth_on_interrupt(int signal) { (void)signal; synth_interrupt_count++; }
static inline void synth_install_interrupt_handler(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = synth_on_interrupt;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, NULL);
}
static inline int synth_take_interrupts(void) { int count = synth_interrupt_count; synth_interrupt_count = 0; return count; }
