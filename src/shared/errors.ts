/** Every error code a caller of the contract can receive; renderer/api turns them into banners. */
export type ErrorCode =
  | 'bad-request'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'unavailable'
  | 'config.invalid'
  | 'model.invalid'
  | 'internal'

export interface ErrorInfo {
  code: ErrorCode
  message: string
}

/**
 * Calls cross process boundaries, where Electron keeps only an error's message, so every
 * call answers with a Result instead of throwing.
 */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo }

/** An error with a code for programs and a sentence that names the file, field or channel for people. */
export class VigilError extends Error {
  readonly code: ErrorCode
  constructor(code: ErrorCode, message: string) {
    super(message)
    this.code = code
    this.name = 'VigilError'
  }
}

export const ok = <T>(value: T): Result<T> => ({ ok: true, value })
export const fail = (code: ErrorCode, message: string): Result<never> => ({
  ok: false,
  error: { code, message },
})

/** Turns anything thrown into an ErrorInfo without losing a VigilError's code. */
export function toErrorInfo(e: unknown): ErrorInfo {
  if (e instanceof VigilError) return { code: e.code, message: e.message }
  return { code: 'internal', message: e instanceof Error ? e.message : printable(e) }
}

function printable(e: unknown): string {
  try {
    return String(e)
  } catch {
    return 'an unprintable value was thrown' // e.g. an object without a prototype
  }
}
