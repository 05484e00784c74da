import { contract, isMethod, type Method, type Req, type Res } from '../../shared/contract.ts'
import { fail, ok, toErrorInfo, type Result } from '../../shared/errors.ts'
import { formatIssues } from '../../shared/zod-format.ts'

export type Handlers = { [M in Method]: (req: Req<M>) => Res<M> | Promise<Res<M>> }

/**
 * The one boundary check every transport goes through: unknown method or a request that
 * fails its schema is refused with a message naming the field, before any handler runs; a
 * handler's exception becomes a Result so the caller always gets an answer.
 */
export function createDispatch(handlers: Handlers) {
  return async function dispatch(method: string, raw: unknown): Promise<Result<unknown>> {
    if (!isMethod(method)) return fail('bad-request', `unknown method "${method}"`)
    const parsed = contract[method].req.safeParse(raw ?? {})
    if (!parsed.success) return fail('bad-request', `${method}: ${formatIssues(parsed.error)}`)
    try {
      const handler = handlers[method] as (req: unknown) => unknown
      return ok(await handler(parsed.data))
    } catch (e) {
      return { ok: false, error: toErrorInfo(e) }
    }
  }
}
