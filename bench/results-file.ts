import type { Figure } from './harness.ts'

/** One figure as kept in bench/results.json: when and how it was measured travels with it. */
export type KeptFigure = Figure & { measured: string; quick: boolean; soak: boolean; seed: number }

export interface ResultsFile {
  machine: unknown
  updated: string
  figures: KeptFigure[]
  errors: { bench: string; error: string; measured: string }[]
}

export interface Run {
  machine: unknown
  started: string
  quick: boolean
  soak: boolean
  seed: number
  /** The benchmarks this run ran: their earlier figures and errors are replaced. */
  benches: string[]
  figures: Figure[]
  errors: { bench: string; error: string }[]
}

const benchOf = (name: string) => name.slice(0, name.indexOf('.') >>> 0)

/**
 * bench/results.json after a run: `npm run bench -- import` must not wipe the render figures
 * measured an hour earlier, so a run replaces only its own benchmarks' figures and errors and
 * keeps the rest with the time they were measured. A soak is a run of its own: `load --soak`
 * and `load` replace only their own figures, not each other's. A file that is missing or not
 * ours starts afresh.
 */
export function mergeResults(previous: unknown, run: Run): ResultsFile {
  const ran = new Set(run.benches)
  const old = isResults(previous) ? previous : { figures: [], errors: [] }
  const stamp = { measured: run.started, quick: run.quick, soak: run.soak, seed: run.seed }
  return {
    machine: run.machine,
    updated: run.started,
    figures: [
      ...old.figures.filter((f) => !ran.has(benchOf(f.name)) || f.soak !== run.soak),
      ...run.figures.map((f) => ({ ...f, ...stamp })),
    ],
    errors: [
      ...old.errors.filter((e) => !ran.has(e.bench)),
      ...run.errors.map((e) => ({ ...e, measured: run.started })),
    ],
  }
}

function isResults(x: unknown): x is Pick<ResultsFile, 'figures' | 'errors'> {
  const r = x as Partial<ResultsFile> | null
  return (
    typeof r === 'object' &&
    r !== null &&
    Array.isArray(r.figures) &&
    r.figures.every((f) => typeof f?.name === 'string' && typeof f.measured === 'string') &&
    Array.isArray(r.errors)
  )
}
