/*
 * What every benchmark shares: the Figure it reports, the options it is run with, and the
 * helpers that make its numbers honest (interleaved candidate/baseline rounds, the median of
 * three, a seeded generator so every run measures the same data).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'

/**
 * One measured number beside the baseline it is compared with, measured in the same run.
 * ratio = value / baseline_value, always: for a time lower is better, for a rate higher is.
 * limit/fraction: where a physical ceiling applies (e.g. a bare INSERT loop), fraction =
 * value / limit.
 */
export interface Figure {
  name: string
  value: number
  unit: string
  baseline: string
  baseline_value: number
  ratio: number
  limit?: number
  fraction?: number
  /** The target in words, e.g. "ratio <= 0.005 (>= 200x faster)". */
  target?: string
  /** Whether the target is met; absent when the figure has no target. */
  pass?: boolean
}

export interface BenchOptions {
  /** Smaller data where a benchmark supports it; `npm run bench -- --quick` must stay under 3 minutes. */
  quick: boolean
  /** Seed for generated data (`--seed N`, default 1). */
  seed: number
  /** `--soak`: the long runs a benchmark offers instead of its usual ones (load: 30 minutes). */
  soak?: boolean
  /** A fresh directory, removed after the benchmark returns. */
  dir: string
  log(message: string): void
}

export interface Bench {
  name: string
  /** Included in `--quick` runs. */
  quick?: boolean
  run(opts: BenchOptions): Promise<Figure[]>
}

export function figure(f: Omit<Figure, 'ratio' | 'fraction'> & { check?: (f: Figure) => boolean }): Figure {
  const { check, ...rest } = f
  const out: Figure = { ...rest, ratio: f.value / f.baseline_value }
  if (f.limit !== undefined) out.fraction = f.value / f.limit
  if (check) out.pass = check(out)
  return out
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

/** Milliseconds one call takes. */
export async function timeMs(fn: () => unknown): Promise<number> {
  const t = performance.now()
  await fn()
  return performance.now() - t
}

/**
 * Runs each measurement in turn, round after round (A-B-C-A-B-C-...), so a slow spell on the
 * shared machine hits every side alike, and returns each one's median over the rounds.
 * A measurement returns its own number (ms, rows/s...), so it can time only what it means to.
 */
export async function interleaved<K extends string>(
  sides: Record<K, () => Promise<number> | number>,
  rounds = 3,
): Promise<Record<K, number> & { runs: Record<K, number[]> }> {
  const keys = Object.keys(sides) as K[]
  const runs = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<K, number[]>
  for (let r = 0; r < rounds; r++) for (const k of keys) runs[k].push(await sides[k]())
  const out = Object.fromEntries(keys.map((k) => [k, median(runs[k])])) as Record<K, number>
  return Object.assign(out, { runs })
}

/** A deterministic generator in [0, 1) (mulberry32): the same seed gives the same data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Peak resident set size of this process so far, in bytes. It only grows, and earlier
 * benchmarks in the same run count too: measure memory in a child process (node bench/x.ts).
 * On Linux it is the address space's high-water mark (VmHWM), which a new program starts
 * afresh: getrusage's maxRSS is carried over from the parent through fork and exec, so a
 * child spawned by a bench holding 400 MB reported 400 MB whatever it used (stop 16 found
 * the import's memory figures were the bench's own).
 */
export function peakRss(): number {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))
    if (hwm) return Number(hwm[1]) * 1024
  } catch {
    // Not Linux: getrusage's figure, with the caveat above.
  }
  return process.resourceUsage().maxRSS * 1024
}

export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `vigil-bench-${prefix}-`))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

export { join }
