import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import type { Contributor, LikelyCause } from '../../shared/assistant-channels.ts'
import { VigilError } from '../../shared/errors.ts'
import { formatIssues } from '../../shared/zod-format.ts'

/*
 * An asset class's checklist of likely causes and checks (resources/checklists/<class>.json),
 * written from engineering practice. A sign names a tag by a case-insensitive pattern, so the
 * same file serves a user's own pump whose tags are named differently from the demo's.
 */

const Sign = z
  .object({
    /** A regular expression matched against the tag id, case-insensitively. */
    tag: z.string().min(1),
    direction: z.enum(['high', 'low', 'any']),
    weight: z.number().positive().max(10).default(1),
  })
  .strict()

const Cause = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/, 'lowercase letters, digits and dashes'),
    cause: z.string().min(3),
    /** Empty: a check that always applies (listed last, whatever the data says). */
    signs: z.array(Sign),
    checks: z.array(z.string().min(3)).min(1),
  })
  .strict()

export const Checklist = z
  .object({
    class: z.string().min(1),
    title: z.string().min(1),
    causes: z.array(Cause).min(1),
  })
  .strict()
  .superRefine((c, ctx) => {
    c.causes.forEach((cause, i) =>
      cause.signs.forEach((s, j) => {
        try {
          new RegExp(s.tag, 'i')
        } catch (e) {
          ctx.addIssue({
            code: 'custom',
            message: `not a regular expression: ${(e as Error).message}`,
            path: ['causes', i, 'signs', j, 'tag'],
          })
        }
      }),
    )
  })
export type Checklist = z.infer<typeof Checklist>

/** Reads and checks one class's file; null when the class has none. Errors name the file and the field. */
export function loadChecklist(dir: string, assetClass: string): { file: string; list: Checklist } | null {
  if (!/^[a-z0-9-]+$/.test(assetClass)) return null
  const file = join(dir, `${assetClass}.json`)
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw e
  }
  return { file, list: parseChecklist(text, file) }
}

export function parseChecklist(text: string, file: string): Checklist {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (e) {
    throw new VigilError('config.invalid', `${file}: not JSON: ${(e as Error).message}`)
  }
  const p = Checklist.safeParse(raw)
  if (!p.success) throw new VigilError('config.invalid', `${file}: ${formatIssues(p.error)}`)
  return p.data
}

/** A tag "stands out" in the model's error when its share is this many times its normal share. */
const STANDS_OUT = 1.5

/**
 * Ranks the checklist's causes by the weight of their signs seen in the data: a sign with a
 * direction needs the tag moved that way (|z| >= 2 from its own normal); 'any' is also met by
 * a tag that stands out in the model's error. Causes with no sign seen are left out; the
 * always-checks (no signs) come last.
 */
export function rankCauses(list: Checklist, contributors: Contributor[]): LikelyCause[] {
  const ranked: (LikelyCause & { weight: number })[] = []
  const always: LikelyCause[] = []
  for (const c of list.causes) {
    if (c.signs.length === 0) {
      always.push({ id: c.id, cause: c.cause, matched: [], missing: [], match: 0, checks: c.checks })
      continue
    }
    const matched: string[] = []
    const missing: string[] = []
    let got = 0
    let total = 0
    let weight = 0
    for (const s of c.signs) {
      total += s.weight
      const re = new RegExp(s.tag, 'i')
      const hit = contributors.find((k) => re.test(k.tag) && seen(k, s.direction))
      if (hit) {
        got += s.weight
        weight += hit.share ?? 0
        matched.push(`${hit.tag} ${hit.direction === 'normal' ? 'stands out' : hit.direction}`)
      } else missing.push(`${s.tag.replace(/[.*|\\]+/g, ' ').trim()} ${s.direction}`)
    }
    if (got > 0)
      ranked.push({
        id: c.id,
        cause: c.cause,
        matched,
        missing,
        match: got / total,
        checks: c.checks,
        weight,
      })
  }
  // Ties (same fraction of signs) go to the cause whose signs carry more of the model's error.
  ranked.sort((a, b) => b.match - a.match || b.weight - a.weight)
  return [...ranked.map(({ weight: _w, ...c }) => c), ...always]
}

function seen(k: Contributor, direction: 'high' | 'low' | 'any'): boolean {
  if (direction !== 'any') return k.direction === direction
  if (k.direction !== 'normal') return true
  return k.share !== null && k.normalShare !== null && k.share >= STANDS_OUT * k.normalShare
}
