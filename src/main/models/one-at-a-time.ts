/**
 * Runs calls one after another: a scorer's calls share its input buffer and its session, so a
 * call must not start before the previous one ended. A failed call does not stop the next.
 * `idle()` resolves once every call made so far has ended (for close()).
 */
export function oneAtATime<A extends unknown[], R>(fn: (...args: A) => Promise<R>) {
  let queue: Promise<unknown> = Promise.resolve()
  return {
    run(...args: A): Promise<R> {
      const result = queue.then(() => fn(...args))
      queue = result.catch(() => undefined)
      return result
    },
    idle: (): Promise<unknown> => queue,
  }
}
