import { VigilError } from '../../shared/errors.ts'

/*
 * The body of POST /api/ingest (README: HTTP ingest), in three shapes:
 *   one reading  {"asset": "PUMP-7", "timestamp": "2025-01-31T08:00:00Z", "Motor_RPM": 2900, ...}
 *   readings     {"asset": "PUMP-7", "readings": [{"timestamp": ..., "Motor_RPM": ...}, ...]}
 *   columns      {"asset": "PUMP-7", "timestamp": [t0, t1, ...], "Motor_RPM": [v0, v1, ...], ...}
 * "device" may stand in for "asset". Times are ISO 8601 with a zone or epoch milliseconds; a
 * single reading may leave the time out (it is stamped on arrival). Values are numbers, or
 * null for a reading the device does not have; a tag left out of a reading is missing too.
 */

export const MAX_ROWS = 10_000
const MAX_PROBLEMS = 20
const AHEAD_MS = 5 * 60_000
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/
const META = new Set(['asset', 'device', 'timestamp', 'readings'])

export interface FieldProblem {
  field: string
  problem: string
}

/** A 400 that names every field it refused (up to 20). */
export class IngestSchemaError extends VigilError {
  readonly fields: FieldProblem[]
  constructor(fields: FieldProblem[]) {
    const shown = fields.map((f) => `${f.field || 'body'}: ${f.problem}`)
    super('bad-request', `the reading was refused: ${shown.join('; ')}`)
    this.fields = fields
  }
}

export interface Target {
  asset?: string
  device?: string
  body: Record<string, unknown>
}

/** Who the body says it is for, before the key decides what it may write. */
export function readTarget(body: unknown): Target {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new IngestSchemaError([{ field: '', problem: 'must be a JSON object (see README: HTTP ingest)' }])
  const b = body as Record<string, unknown>
  const problems: FieldProblem[] = []
  for (const k of ['asset', 'device'] as const)
    if (k in b && (typeof b[k] !== 'string' || b[k] === ''))
      problems.push({ field: k, problem: 'must be a non-empty string' })
  if (problems.length) throw new IngestSchemaError(problems)
  return { asset: b.asset as string | undefined, device: b.device as string | undefined, body: b }
}

/** The body's readings as columns in `tags` order; throws IngestSchemaError naming each bad field. */
export function readRows(
  body: Record<string, unknown>,
  assetId: string,
  tags: readonly string[],
  now: number,
): { t: Float64Array; values: Float64Array[] } {
  const p = new Problems()
  const index = new Map(tags.map((id, j) => [id, j]))
  const columnar = Array.isArray(body.timestamp)
  let n = 1
  if ('readings' in body) {
    const r = body.readings
    if (!Array.isArray(r) || r.length === 0) p.add('readings', 'must be a non-empty array of readings')
    else n = r.length
    for (const k of Object.keys(body))
      if (!META.has(k)) p.add(k, 'belongs inside each reading when "readings" is given')
  } else if (columnar) n = (body.timestamp as unknown[]).length
  if (n > MAX_ROWS)
    p.add(columnar ? 'timestamp' : 'readings', `at most ${MAX_ROWS} readings per request; got ${n}`)
  p.check()

  const t = new Float64Array(n)
  const values = tags.map(() => new Float64Array(n).fill(NaN))
  const seen = new Uint8Array(n)
  const take = (row: number, key: string, v: unknown, field: string) => {
    seen[row] = 1
    const j = index.get(key)
    if (j === undefined)
      return p.add(field, `is not a tag of asset ${assetId} (its tags: ${tags.join(', ')})`)
    if (v === null) return
    if (typeof v !== 'number' || !Number.isFinite(v)) return p.add(field, 'must be a finite number or null')
    values[j]![row] = v
  }

  if ('readings' in body) {
    ;(body.readings as unknown[]).forEach((r, i) => {
      const at = `readings[${i}]`
      if (typeof r !== 'object' || r === null || Array.isArray(r)) return p.add(at, 'must be an object')
      const reading = r as Record<string, unknown>
      t[i] = time(reading.timestamp, `${at}.timestamp`, now, p, false)
      for (const [k, v] of Object.entries(reading)) if (k !== 'timestamp') take(i, k, v, `${at}.${k}`)
    })
  } else if (columnar) {
    const ts = body.timestamp as unknown[]
    ts.forEach((v, i) => (t[i] = time(v, `timestamp[${i}]`, now, p, false)))
    for (const [k, col] of Object.entries(body)) {
      if (META.has(k)) continue
      if (!Array.isArray(col) || col.length !== n) {
        p.add(k, `must be an array of ${n} values, one per timestamp`)
        seen.fill(1)
        continue
      }
      col.forEach((v, i) => take(i, k, v, `${k}[${i}]`))
    }
  } else {
    t[0] = time(body.timestamp, 'timestamp', now, p, true)
    for (const [k, v] of Object.entries(body)) if (!META.has(k)) take(0, k, v, k)
  }
  for (let i = 0; i < n; i++) {
    if (!seen[i])
      p.add(columnar ? `timestamp[${i}]` : 'readings' in body ? `readings[${i}]` : '', 'holds no tag values')
    else if (i > 0 && t[i] === t[i] && t[i - 1] === t[i - 1] && !(t[i]! > t[i - 1]!))
      p.add(columnar ? `timestamp[${i}]` : `readings[${i}].timestamp`, 'must be after the reading before it')
  }
  p.check()
  return { t, values }
}

function time(v: unknown, field: string, now: number, p: Problems, optional: boolean): number {
  if (v === undefined && optional) return now
  let ms = NaN
  if (typeof v === 'number') {
    if (Number.isFinite(v) && v < 1e11 && v > 0) {
      p.add(field, `${v} looks like epoch seconds; send epoch milliseconds or ISO 8601`)
      return NaN
    }
    ms = v
  } else if (typeof v === 'string' && ISO.test(v)) ms = Date.parse(v)
  if (!Number.isFinite(ms) || ms <= 0) {
    p.add(field, 'must be ISO 8601 with a zone (2025-01-31T08:00:00Z) or epoch milliseconds')
    return NaN
  }
  if (ms > now + AHEAD_MS) p.add(field, "is more than 5 minutes ahead of this server's clock")
  return ms
}

class Problems {
  readonly list: FieldProblem[] = []
  add(field: string, problem: string): void {
    if (this.list.length < MAX_PROBLEMS) this.list.push({ field, problem })
  }
  check(): void {
    if (this.list.length) throw new IngestSchemaError(this.list)
  }
}
