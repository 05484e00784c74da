import type { ErrorCode } from '../../shared/errors.ts'
import { CallError } from './client.ts'

const text: Record<ErrorCode, (m: string) => string> = {
  'bad-request': (m) => `The engine refused the request: ${m}`,
  unauthorized: (m) => `Not signed in: ${m}. Sign in, or open Vigil with the link \`vigil serve\` printed.`,
  // The engine's message names the roles that may do it.
  forbidden: (m) => `Your role may not do this: ${m}`,
  'not-found': (m) => `Not found: ${m}`,
  unavailable: (m) => `The engine is unavailable: ${m}`,
  'config.invalid': (m) => `The plant configuration is invalid: ${m}`,
  'model.invalid': (m) => `A model could not be used: ${m}`,
  internal: (m) => `Internal error in the engine: ${m}`,
}

/** What a person reads in the banner for a failed call or anything else thrown. */
export function errorText(e: unknown): string {
  if (e instanceof CallError) {
    const f = text[e.code] ?? text.internal
    return f(e.message)
  }
  return text.internal(e instanceof Error ? e.message : String(e))
}
