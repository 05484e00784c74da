import { setFlagsFromString } from 'node:v8'
import { leanStart } from '../../../bin/lean-start.mjs'

/**
 * The desktop app's share of `vigil serve`'s lean start (bin/lean-start.mjs). The engine runs
 * in Electron's main process, which cannot re-exec itself the way `vigil serve` does (a
 * relaunch is a second process and a second start-up), so the V8 flags are set at run time,
 * before the engine or any worker thread exists: --optimize-for-size is read by the heap's
 * growth heuristics as they run, and every isolate made afterwards (the pipeline and writer
 * threads) starts with both flags. MALLOC_ARENA_MAX cannot take effect after glibc's malloc
 * has started; a packager's launcher may set it (README, "Memory and the wire").
 * VIGIL_LEAN=0 keeps V8's defaults: the lean heap saves ~190 MB at 100 pumps x 10 Hz for
 * ~0.17 of a core more (bench/load), a trade an installation may decline.
 */
export function applyLeanHeap(env: NodeJS.ProcessEnv = process.env, setFlags = setFlagsFromString): string[] {
  if (env.VIGIL_LEAN === '0') return []
  const { execArgv } = leanStart(env)
  for (const flag of execArgv) setFlags(flag)
  return execArgv
}
