import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { checkWithin } from './fuzz-budget.ts'

const BUDGET_MS = 200

/** A run that holds until released: it outlives the budget for as long as the test wants. */
function heldRun() {
  let release!: () => void
  let started!: () => void
  const gate = new Promise<void>((r) => (release = r))
  const startedP = new Promise<void>((r) => (started = r))
  const seen: number[] = []
  return {
    seen,
    release,
    started: startedP,
    async run(x: number, fail = false) {
      seen.push(x)
      started()
      await gate
      if (fail) throw new Error(`input ${x} failed after the budget`)
    },
  }
}

/**
 * Waits past the budget of a run that has started: fast-check armed its interrupt before it
 * called the run, for at most the budget, so this timer, armed after, fires after it.
 */
const pastTheBudget = () => new Promise((r) => setTimeout(r, BUDGET_MS))

describe('fuzzing for a time budget', () => {
  it("fast-check's own time limit returns while the run it cut short still runs (why checkWithin exists)", async () => {
    const held = heldRun()
    let returned = false
    const check = fc
      .check(
        fc.asyncProperty(fc.integer(), (x) => held.run(x)),
        { numRuns: 10, interruptAfterTimeLimit: BUDGET_MS, markInterruptAsFailure: false },
      )
      .then(() => (returned = true))
    await held.started
    await pastTheBudget()
    expect(returned).toBe(true)
    held.release()
    await check
  })

  it('returns only once the run the budget cut short has ended', async () => {
    const held = heldRun()
    let returned = false
    const check = checkWithin(fc.integer(), (x) => held.run(x), { minRuns: 0, budgetMs: BUDGET_MS }).then(
      (r) => {
        returned = true
        return r
      },
    )
    await held.started
    await pastTheBudget()
    expect(returned).toBe(false)
    held.release()
    expect(await check).toEqual({ failed: false, numRuns: 0 })
    expect(held.seen).toHaveLength(1)
  })

  it('reports a run that fails after the budget cut it short, with its input', async () => {
    const held = heldRun()
    const check = checkWithin(fc.integer(), (x) => held.run(x, true), { minRuns: 0, budgetMs: BUDGET_MS })
    await held.started
    await pastTheBudget()
    held.release()
    const r = await check
    expect(r).toMatchObject({ failed: true, input: held.seen[0], path: null })
    expect(String((r as { error: unknown }).error)).toContain(`input ${held.seen[0]} failed after the budget`)
  })

  it("reports a failure found in time with fast-check's seed and path, shrunk", async () => {
    const r = await checkWithin(
      fc.integer({ min: 0, max: 1000 }),
      async (x) => {
        if (x >= 10) throw new Error(`${x} is too big`)
      },
      { minRuns: 0, budgetMs: 60_000 },
    )
    expect(r).toMatchObject({ failed: true, input: 10 })
    if (!r.failed) return
    expect(typeof r.seed).toBe('number')
    expect(r.path).toMatch(/^\d+(:\d+)*$/)
  })

  it('tries minRuns inputs however long they take, then more while the budget lasts', async () => {
    const seen: number[] = []
    const slow = (x: number) => {
      seen.push(x)
      return new Promise<void>((r) => setTimeout(r, 30))
    }
    // Each run outlasts the whole budget: only the minimum counts, and it is all run.
    expect(await checkWithin(fc.integer(), slow, { minRuns: 5, budgetMs: 1 })).toMatchObject({
      failed: false,
    })
    expect(seen.length).toBeGreaterThanOrEqual(5)
    expect(
      await checkWithin(fc.integer({ min: 0, max: 9 }), async () => {}, { minRuns: 5, budgetMs: 60_000 }),
    ).toEqual({
      failed: false,
      numRuns: 10_005,
    })
    const late = await checkWithin(
      fc.integer({ min: 0, max: 1000 }),
      async (x) => {
        if (x >= 10) throw new Error(`${x} is too big`)
      },
      { minRuns: 1000, budgetMs: 1 },
    )
    expect(late).toMatchObject({ failed: true, input: 10 })
  })
})
