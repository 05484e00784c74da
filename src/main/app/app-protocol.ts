import { readFile } from 'node:fs/promises'
import { contentType, CSP, resolveUiFile } from '../ui-assets.ts'
import { APP_HOST, APP_SCHEME } from './security.ts'

export { contentType }

/*
 * Serves the built renderer (out/renderer) on vigil://app/. A custom scheme instead of
 * file:// gives the page a real origin, no reach into the rest of the disk, and a CSP header
 * that is certainly delivered (webRequest cannot add headers to file:// loads on every
 * Electron version).
 */

/**
 * The file under `root` that a vigil://app/ URL names, or null when the URL has another
 * scheme or host or its path escapes root (../ in any encoding). A path without an extension
 * is a client-side route and gets index.html.
 */
export function resolveAsset(root: string, url: string): string | null {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return null
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null
  return resolveUiFile(root, u.pathname)
}

/** The handler for protocol.handle(APP_SCHEME, ...): GET only, files under root only. */
export function appProtocolHandler(root: string): (req: Request) => Promise<Response> {
  return async (req) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return new Response(null, { status: 405 })
    const file = resolveAsset(root, req.url)
    if (file === null) return new Response(null, { status: 404 })
    let body: Buffer
    try {
      body = await readFile(file)
    } catch {
      return new Response(null, { status: 404 })
    }
    const headers = {
      'content-type': contentType(file),
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-cache',
    }
    return new Response(req.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers })
  }
}
