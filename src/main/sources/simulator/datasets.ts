import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { CASTER_TAGS } from './caster-physics.ts'
import { generateCasts, type CastRecord } from './caster-run.ts'
import { COMPRESSOR_TAGS } from './compressor-physics.ts'
import { generateCompressor, remainingLife } from './compressor-run.ts'

/*
 * Offline training sets from the simulators, as CSV (README.md in this folder):
 *   casts:      casts.csv (one labelled row per cast) and cast-samples.csv (the time series)
 *   compressor: compressor.csv, the sensors with the hidden health, true margin and RUL
 * Run: node src/main/sources/simulator/datasets.ts casts|compressor --seed 1 --n 500 --out DIR
 */

const iso = (t: number) => new Date(t).toISOString()
const num = (v: number) => (Number.isFinite(v) ? String(Math.round(v * 1e6) / 1e6) : '')

function columnsCsv(header: string[], t: Float64Array, cols: Float64Array[]): string {
  const lines = [header.join(',')]
  for (let i = 0; i < t.length; i++) lines.push([iso(t[i]!), ...cols.map((c) => num(c[i]!))].join(','))
  return `${lines.join('\n')}\n`
}

/** n labelled casts: returns the files written. */
export function writeCastDataset(dir: string, o: { seed: number; n: number; rateHz?: number }): string[] {
  const { batch, casts } = generateCasts(o)
  mkdirSync(dir, { recursive: true })
  const features = Object.keys(casts[0]!.features) as (keyof CastRecord['features'])[]
  const header = [
    'cast',
    'start',
    'end',
    'first_row',
    'rows',
    ...features,
    'crack',
    'breakout_risk',
    'defect',
  ]
  const rows = casts.map((c) =>
    [
      c.cast,
      iso(c.startMs),
      iso(c.endMs),
      c.firstRow,
      c.rows,
      ...features.map((f) => num(c.features[f])),
      +c.crack,
      +c.breakoutRisk,
      +c.defect,
    ].join(','),
  )
  const castsFile = join(dir, 'casts.csv')
  const samplesFile = join(dir, 'cast-samples.csv')
  writeFileSync(castsFile, `${[header.join(','), ...rows].join('\n')}\n`)
  writeFileSync(samplesFile, columnsCsv(['time', ...CASTER_TAGS], batch.t, batch.values))
  return [castsFile, samplesFile]
}

/**
 * A compressor fouling from fouling0 past the wash limit: n samples at rateHz (default one
 * per 10 minutes) with the truth beside the sensors and the RUL label in seconds.
 */
export function writeCompressorDataset(
  dir: string,
  o: { seed: number; n: number; rateHz?: number; fouling0?: number; foulingHours?: number },
): string[] {
  const startMs = Date.UTC(2024, 0, 1)
  const { batch, truth } = generateCompressor({ rateHz: 1 / 600, ...o, startMs })
  const rul = remainingLife(batch.t, truth.health)
  mkdirSync(dir, { recursive: true })
  const file = join(dir, 'compressor.csv')
  const header = ['time', ...COMPRESSOR_TAGS, 'true_fouling', 'true_health', 'true_surge_margin', 'rul_s']
  const cols = [...batch.values, truth.fouling, truth.health, truth.surgeMargin, rul]
  writeFileSync(file, columnsCsv(header, batch.t, cols))
  return [file]
}

if (/datasets\.ts$/.test(process.argv[1] ?? '')) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { seed: { type: 'string', default: '1' }, n: { type: 'string' }, out: { type: 'string' } },
  })
  const [what] = positionals
  const seed = Number(values.seed)
  const out = values.out ?? '.'
  const files =
    what === 'casts'
      ? writeCastDataset(out, { seed, n: Number(values.n ?? 500) })
      : what === 'compressor'
        ? writeCompressorDataset(out, { seed, n: Number(values.n ?? 6 * 24 * 120) })
        : null
  if (!files) {
    console.error(
      'usage: node src/main/sources/simulator/datasets.ts casts|compressor [--seed N] [--n N] [--out DIR]',
    )
    process.exitCode = 2
  } else console.log(`wrote ${files.join(', ')}`)
}
