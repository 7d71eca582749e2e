/// The `/bin/sh` script that runs llama-server on behalf of ``LocalLLMServer`` and guarantees it never
/// outlives synthlab.
///
/// Foundation's `Process` cannot run code in the child between fork and exec, so the guarantees are
/// layered in a tiny shell instead:
/// 1. The shell starts llama-server in its own session (`setsid`, so a terminal Ctrl-C meant for a
///    cell does not kill the shared server) with `setpriv --pdeathsig TERM` where available: the
///    kernel sends SIGTERM to llama-server the moment the shell dies, however it dies.
/// 2. The shell polls synthlab's pid every 0.5 s (`kill -0`); when synthlab is gone (normal exit,
///    crash, SIGKILL) it stops llama-server (TERM, then KILL after 5 s) and exits.
/// 3. ``LocalLLMServer/stop()`` sends TERM to both; the shell's trap stops the server the same way.
///
/// Arguments: `$1` synthlab's pid, `$2` a file that receives llama-server's pid, `$3` the log file,
/// then the server command line.
enum ServerWatchdog {
    static let script = #"""
        parent=$1; pidfile=$2; log=$3; shift 3
        trap '' INT
        prefix=""
        if command -v setsid >/dev/null 2>&1; then prefix="setsid"; fi
        if command -v setpriv >/dev/null 2>&1 && setpriv --pdeathsig TERM true 2>/dev/null; then
            prefix="$prefix setpriv --pdeathsig TERM --"
        fi
        $prefix "$@" >"$log" 2>&1 </dev/null &
        child=$!
        echo "$child" >"$pidfile.tmp" && mv "$pidfile.tmp" "$pidfile"
        stop_child() {
            kill -TERM "$child" 2>/dev/null
            i=0
            while kill -0 "$child" 2>/dev/null && [ "$i" -lt 20 ]; do sleep 0.25; i=$((i + 1)); done
            kill -KILL "$child" 2>/dev/null
            wait "$child" 2>/dev/null
        }
        trap 'stop_child; exit 0' TERM HUP
        while kill -0 "$parent" 2>/dev/null && kill -0 "$child" 2>/dev/null; do sleep 0.5; done
        stop_child
        """#
}
