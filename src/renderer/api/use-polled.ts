import { useEffect, useState } from 'react'
import type { Method, Req, Res } from '../../shared/contract.ts'
import { call, errorText } from './index.ts'

/**
 * Calls `method` now and every `everyMs`, again whenever `key` changes (the request's
 * contents, as a string), and keeps the last answer while a later call fails.
 */
export function usePolled<M extends Method>(
  method: M,
  req: Req<M>,
  key: string,
  everyMs = 10_000,
): { data: Res<M> | null; error: string | null } {
  const [data, setData] = useState<Res<M> | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    const load = () =>
      call(method, req)
        .then((r) => (setData(r), setError(null)))
        .catch((e: unknown) => setError(errorText(e)))
    void load()
    const timer = setInterval(load, everyMs)
    return () => clearInterval(timer)
    // The request is described by `key`; the object itself is new on every render.
  }, [method, key, everyMs])
  return { data, error }
}
