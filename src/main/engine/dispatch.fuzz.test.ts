import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { contract, methods, type Method } from '../../shared/contract.ts'
import type { ErrorCode, Result } from '../../shared/errors.ts'
import regressions from '../../../fuzz-regressions/contract.json' with { type: 'json' }
import { createEngine, type RunningEngine } from './engine.ts'

/** JSON cannot hold a BigInt: the regression file writes one as {"$bigint": "digits"}. */
const revive = (v: unknown): unknown =>
  JSON.parse(JSON.stringify(v), (_k, x: unknown) =>
    x && typeof x === 'object' && '$bigint' in x ? BigInt(String(x.$bigint)) : x,
  )

/*
 * Every contract channel against arbitrary values, through the real engine's dispatch (role
 * guard, schema, handler): whatever arrives over IPC or the WebSocket, the caller gets a
 * Result with a known code, and a refused request names what is wrong with it.
 */

const RUNS = 150
const codes = {
  'bad-request': true,
  unauthorized: true,
  forbidden: true,
  'not-found': true,
  unavailable: true,
  'config.invalid': true,
  'model.invalid': true,
  internal: true,
} satisfies Record<ErrorCode, true>

const dir = mkdtempSync(join(tmpdir(), 'vigil-dispatch-fuzz-'))
let engine: RunningEngine
beforeAll(async () => {
  // Its own user-data folder: a generated secrets.set must not write into the home directory's.
  engine = await createEngine({ dbPath: join(dir, 'fuzz.db'), simSpeed: 5, userDataDir: dir })
})
afterAll(async () => {
  await engine?.stop()
  rmSync(dir, { recursive: true, force: true })
})

/** The request object's field names, seen through refinements and pipes. */
function fieldsOf(schema: z.ZodType): string[] {
  const s = schema as unknown as { shape?: object; _zod?: { def?: { in?: { shape?: object } } } }
  return Object.keys(s.shape ?? s._zod?.def?.in?.shape ?? {})
}

/**
 * Values as IPC (structured clone: BigInt, Map, Set, Date, typed arrays, sparse arrays) and the
 * wire (JSON plus typed arrays) can deliver them. Neither delivers objects without a prototype.
 */
const value = fc.anything({
  maxDepth: 3,
  maxKeys: 5,
  withBigInt: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withTypedArray: true,
  withSparseArray: true,
})
const hostileString = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }))
/** Objects whose keys are mostly the method's own fields, so values reach the field checks. */
const requestLike = (fields: string[]) =>
  fc.dictionary(
    fields.length ? fc.oneof(fc.constantFrom(...fields), hostileString) : hostileString,
    fc.oneof(value, fc.double(), hostileString, fc.array(hostileString, { maxLength: 3 })),
    { maxKeys: 6 },
  )

function expectResult(r: Result<unknown>): void {
  expect(typeof r.ok).toBe('boolean')
  if (r.ok) return
  expect(Object.keys(codes)).toContain(r.error.code)
  expect(typeof r.error.message).toBe('string')
  expect(r.error.message.length).toBeGreaterThan(0)
}

describe('contract dispatch under arbitrary requests', () => {
  it.each(methods)('%s answers every value with a Result and names the field it refuses', async (m) => {
    const schema = contract[m as Method].req as z.ZodType
    const fields = fieldsOf(schema)
    await fc.assert(
      fc.asyncProperty(fc.oneof(value, requestLike(fields)), async (raw) => {
        const r = await engine.dispatch(m, raw)
        expectResult(r)
        const parsed = schema.safeParse(raw ?? {})
        if (parsed.success) return
        // Refused at the boundary: before any handler ran, with the method and a field named.
        expect(r.ok).toBe(false)
        if (r.ok) return
        expect(r.error.code).toBe('bad-request')
        expect(r.error.message.startsWith(`${m}: `)).toBe(true)
        const first = r.error.message.slice(m.length + 2).split('\n')[0]!
        const isObject = typeof raw === 'object' && raw !== null && !Array.isArray(raw)
        if (
          isObject &&
          !(raw instanceof Map || raw instanceof Set || raw instanceof Date || ArrayBuffer.isView(raw))
        ) {
          // Either "field: why" for one of the method's fields, or the unknown key quoted.
          const named = fields.some((f) => first.startsWith(`${f}`)) || /key/i.test(first)
          expect(named, first).toBe(true)
        }
      }),
      { numRuns: RUNS },
    )
  })

  it('still answers every request that once broke it (fuzz-regressions/contract.json)', async () => {
    for (const c of regressions) {
      const r = await engine.dispatch(c.method, revive(c.request))
      expectResult(r)
      expect(r.ok, c.found).toBe(false)
    }
  })

  it('names the one field that is wrong in an otherwise good request', async () => {
    const now = Date.now()
    const good: Partial<Record<Method, Record<string, unknown>>> = {
      'live.snapshot': { assetId: 'P-101', seconds: 60 },
      'history.range': { assetId: 'P-101', from: now - 60_000, to: now, maxPoints: 100 },
      'sim.inject': { assetId: 'P-101', fault: 'seal_leak', rampS: 10, severity: 0.5 },
      'sim.clear': { assetId: 'P-101' },
    }
    const wrong = fc.oneof(
      fc.string({ minLength: 1 }).map((s) => ({ s })),
      fc.constant(null),
      fc.boolean(),
    )
    for (const [m, base] of Object.entries(good)) {
      expect((await engine.dispatch(m, base)).ok, m).toBe(true)
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...Object.keys(base)), wrong, async (field, v) => {
          const r = await engine.dispatch(m, { ...base, [field]: v })
          expect(!r.ok && r.error.code).toBe('bad-request')
          expect(!r.ok && r.error.message).toContain(`${m}: ${field}`)
        }),
        { numRuns: 40 },
      )
    }
  })

  it('keeps scoring while it is being fuzzed', async () => {
    const before = (await engine.dispatch('system.health', {})) as { ok: true; value: { samplesIn: number } }
    const end = Date.now() + 10_000
    let after = before
    while (after.value.samplesIn <= before.value.samplesIn && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 100))
      after = (await engine.dispatch('system.health', {})) as typeof before
    }
    expect(after.value.samplesIn).toBeGreaterThan(before.value.samplesIn)
  })
})
