import { contract, isMethod, type Method, type Req, type Res } from '../../shared/contract.ts'
import { fail, ok, toErrorInfo, type Result } from '../../shared/errors.ts'
import { formatIssues } from '../../shared/zod-format.ts'

/** Who is calling (src/main/alarms/access.ts fills it in): the transport's connection and the user signed in on it. */
export interface CallContext {
  caller: string
  user: string
  role: string
}
const LOCAL: CallContext = { caller: 'local', user: 'local', role: 'local' }

export type Handlers = { [M in Method]: (req: Req<M>, ctx: CallContext) => Res<M> | Promise<Res<M>> }

/**
 * The one boundary check every transport goes through: unknown method or a request that
 * fails its schema is refused with a message naming the field, before any handler runs; a
 * handler's exception becomes a Result so the caller always gets an answer.
 */
export function createDispatch(handlers: Handlers) {
  return async function dispatch(
    method: string,
    raw: unknown,
    ctx: CallContext = LOCAL,
  ): Promise<Result<unknown>> {
    if (!isMethod(method)) return fail('bad-request', `unknown method "${method.slice(0, 100)}"`)
    try {
      const parsed = contract[method].req.safeParse(raw ?? {})
      if (!parsed.success) return fail('bad-request', `${method}: ${formatIssues(parsed.error)}`)
      const handler = handlers[method] as (req: unknown, ctx: CallContext) => unknown
      return ok(await handler(parsed.data, ctx))
    } catch (e) {
      return { ok: false, error: toErrorInfo(e) }
    }
  }
}

/**
 * The outermost layer of the engine's dispatch: whatever a layer around the handlers throws
 * (the role guard, the audit) reaches the caller as a Result, never as a rejected promise
 * that a transport might not catch.
 */
export function neverThrows<A extends unknown[]>(
  fn: (...args: A) => Promise<Result<unknown>>,
): (...args: A) => Promise<Result<unknown>> {
  return async (...args) => {
    try {
      return await fn(...args)
    } catch (e) {
      return { ok: false, error: toErrorInfo(e) }
    }
  }
}
