import SynthLLM

/// The llama.cpp servers that `llm local` teachers started in this process.
///
/// The CLI stops them when a run ends or is interrupted (Ctrl-C, SIGTERM), so no server outlives the
/// run even for the half second the watchdog needs to notice (see ``LocalLLMServer``).
package enum LocalTeacherServers {
    /// Stops every local teacher server of this process (SIGTERM, SIGKILL after 5 s); safe to call twice.
    package static func stopAll() async {
        await LocalLLMServerRegistry.shared.stopAll()
    }

    /// How many local server configurations are running or starting.
    package static var count: Int {
        get async { await LocalLLMServerRegistry.shared.serverCount }
    }
}
