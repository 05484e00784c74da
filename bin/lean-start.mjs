import { existsSync } from 'node:fs'

// How a long-running Vigil process starts, shared by `vigil serve` (bin/vigil.mjs) and the
// load benchmark (bench/load.bench.ts), which measures the server as it runs. These settings
// take effect only when a process starts, hence a re-exec rather than code in the engine.
//
// MALLOC_ARENA_MAX=2: glibc gives every thread that allocates its own 64 MB malloc arena;
// the engine has a dozen (pipeline and writer threads, onnxruntime, libuv, V8's GC helpers),
// and their freed-but-kept pages were ~60-100 MB of resident memory at 100 pumps x 10 Hz.
// A user's own MALLOC_ARENA_MAX wins.
//
// --optimize-for-size: V8 (every thread's heap: main, pipeline, writer) grows a heap to up to
// 4x what survived its last full collection when it judges collection slow, which on a busy
// 2-core machine it does; this flag holds growth to ~1.3x. At 100 pumps x 10 Hz on a
// 10-million-value history it took peak RSS from ~630 to ~390 MB (bench/load, same machine).
// --max-semi-space-size=4: the young generation (3 x 4 MB) stays small but not so small that
// short-lived batch objects are scavenged every millisecond.

// jemalloc, where the system has it (Debian: libjemalloc2, which `npm run setup` installs):
// glibc keeps memory a thread freed inside its arena until the arena's top is free, so one
// burst of big temporary buffers stays resident for the life of the process (a 30-minute soak
// at 100 pumps x 10 Hz: 438 of 518 MB in the worker arena was free chunks, RSS 670 -> 839 MB);
// jemalloc hands freed pages back to the system within seconds (background_thread), and two
// arenas keep its per-thread caches small. A user's own LD_PRELOAD or MALLOC_CONF wins.
const JEMALLOC = [
  '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2',
  '/usr/lib/aarch64-linux-gnu/libjemalloc.so.2',
  '/usr/lib64/libjemalloc.so.2',
  '/usr/lib/libjemalloc.so.2',
]

/** The jemalloc library to preload on this machine, if any. */
export function findJemalloc(exists = existsSync, platform = process.platform) {
  return platform === 'linux' ? (JEMALLOC.find((p) => exists(p)) ?? null) : null
}

/** Environment and Node flags for a lean long-running process; `env` is the current one. */
export function leanStart(env = process.env, jemalloc = findJemalloc()) {
  const preload =
    jemalloc && !env.LD_PRELOAD
      ? { LD_PRELOAD: jemalloc, MALLOC_CONF: env.MALLOC_CONF ?? 'background_thread:true,narenas:2' }
      : {}
  return {
    env: { MALLOC_ARENA_MAX: env.MALLOC_ARENA_MAX ?? '2', VIGIL_LEAN_START: '1', ...preload },
    execArgv: ['--optimize-for-size', '--max-semi-space-size=4'],
  }
}

/**
 * Replaces this process (same pid, no parent left waiting) with one started lean, once:
 * VIGIL_LEAN_START marks the second start. VIGIL_LEAN=0 keeps the defaults (the lean heap
 * costs ~0.17 of a core at 1,000 readings/s for ~190 MB less: bench/load). Where execve is missing (Windows, where glibc's
 * arenas do not apply either) the process goes on as it is.
 */
export function restartLean(argv = process.argv) {
  if (process.env.VIGIL_LEAN_START || process.env.VIGIL_LEAN === '0' || typeof process.execve !== 'function')
    return
  const { env, execArgv } = leanStart()
  process.execve(process.execPath, [process.execPath, ...execArgv, ...process.execArgv, ...argv.slice(1)], {
    ...process.env,
    ...env,
  })
}
