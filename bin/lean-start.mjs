// How a long-running Vigil process starts, shared by `vigil serve` (bin/vigil.mjs) and the
// load benchmark (bench/load.bench.ts), which measures the server as it runs. Both settings
// take effect only when a process starts, hence a re-exec rather than code in the engine.
//
// MALLOC_ARENA_MAX=2: glibc gives every thread that allocates its own 64 MB malloc arena;
// the engine has a dozen (pipeline and writer threads, onnxruntime, libuv, V8's GC helpers),
// and their freed-but-kept pages were ~60-100 MB of resident memory at 100 pumps x 10 Hz.
// A user's own MALLOC_ARENA_MAX wins.
//
// --max-semi-space-size: the main thread's young generation. V8 grows it to 3 x 16 MB for
// throughput; the engine's per-batch garbage is small objects (typed arrays live outside the
// heap), so 4 MB semi-spaces cost a few more short scavenges and keep ~25 MB out of RSS.

/** Environment and Node flags for a lean long-running process; `env` is the current one. */
export function leanStart(env = process.env) {
  return {
    env: { MALLOC_ARENA_MAX: env.MALLOC_ARENA_MAX ?? '2', VIGIL_LEAN_START: '1' },
    execArgv: ['--max-semi-space-size=4'],
  }
}

/**
 * Replaces this process (same pid, no parent left waiting) with one started lean, once:
 * VIGIL_LEAN_START marks the second start. Where execve is missing (Windows, where glibc's
 * arenas do not apply either) the process goes on as it is.
 */
export function restartLean(argv = process.argv) {
  if (process.env.VIGIL_LEAN_START || typeof process.execve !== 'function') return
  const { env, execArgv } = leanStart()
  process.execve(process.execPath, [process.execPath, ...execArgv, ...process.execArgv, ...argv.slice(1)], {
    ...process.env,
    ...env,
  })
}
