import fc from 'fast-check'

/*
 * Fuzzing for a wall-clock budget when each run has side effects (an import into a store, a
 * request to a server). fast-check's `interruptAfterTimeLimit` races the run in flight against
 * the clock and, when the time is up, returns without waiting for it: the abandoned run goes on
 * writing while the next test takes its before-and-after snapshots. That is what made the CSV
 * import fuzzer report "the history changed" for an input that had not touched the store: the
 * asset row was the previous test's last import, committing or dropping its stage. So here the
 * check returns only once that run has ended, and a run that ends in a failure after the
 * interrupt is reported like any other counterexample instead of being lost.
 */

export type BudgetResult<T> =
  | { failed: false; numRuns: number }
  | {
      failed: true
      input: T
      error: unknown
      /** To replay: fc.check(..., { seed, path }); path null for a run the budget cut short. */
      seed: number
      path: string | null
    }

export interface Budget {
  /** Inputs tried whatever the time they take: a loaded machine still tests this many. */
  minRuns: number
  /** Wall-clock time for more inputs after those, ms. */
  budgetMs: number
}

/**
 * Runs `run` on `minRuns` inputs from `arb`, then on more until `budgetMs` has passed or one
 * fails, never leaving a run behind.
 */
export async function checkWithin<T>(
  arb: fc.Arbitrary<T>,
  run: (x: T) => Promise<void>,
  budget: Budget,
): Promise<BudgetResult<T>> {
  const first = budget.minRuns > 0 ? await checkRuns(arb, run, { numRuns: budget.minRuns }) : null
  if (first?.failed) return first
  const more = await checkRuns(arb, run, {
    numRuns: 10_000,
    interruptAfterTimeLimit: budget.budgetMs,
    markInterruptAsFailure: false,
  })
  return more.failed ? more : { failed: false, numRuns: (first?.numRuns ?? 0) + more.numRuns }
}

async function checkRuns<T>(
  arb: fc.Arbitrary<T>,
  run: (x: T) => Promise<void>,
  params: fc.Parameters<[T]>,
): Promise<BudgetResult<T>> {
  const latest: { input?: T; ended?: Promise<{ error: unknown } | null> } = {}
  const result = await fc.check(
    fc.asyncProperty(arb, (input) => {
      const p = run(input)
      latest.input = input
      latest.ended = p.then(
        () => null,
        (error: unknown) => ({ error }),
      )
      return p
    }),
    params,
  )
  const outcome = (await latest.ended) ?? null
  // fast-check also says `failed` when the budget ran out before any run ended: no counterexample then.
  if (result.failed && result.counterexample)
    return {
      failed: true,
      input: result.counterexample[0],
      error: result.errorInstance,
      seed: result.seed,
      path: result.counterexamplePath,
    }
  // Had the last run failed before the interrupt, fast-check would have said so: this one was cut short.
  if (outcome)
    return { failed: true, input: latest.input!, error: outcome.error, seed: result.seed, path: null }
  return { failed: false, numRuns: result.numRuns }
}
