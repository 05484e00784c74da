import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path'

/*
 * The built renderer as both shells serve it: the Electron app over vigil://app/ and
 * `vigil serve` over HTTP. One policy, one content-type table, one path check, so the two
 * cannot drift apart.
 */

const STRICT = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  // No 'unsafe-inline': uPlot and React set styles through the CSSOM (el.style.x = ...),
  // which CSP does not govern; the e2e tests fail on any CSP violation report.
  'style-src': ["'self'"],
  'connect-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'frame-ancestors': ["'none'"],
  'form-action': ["'none'"],
} as const

const render = (p: Record<string, readonly string[]>): string =>
  Object.entries(p)
    .map(([k, v]) => `${k} ${v.join(' ')}`)
    .join('; ')

/** The Content-Security-Policy of the built app's pages. */
export const CSP = render(STRICT)

/**
 * The policy while the renderer comes from the electron-vite dev server: Vite's React
 * refresh preamble is an inline script, Vite injects CSS as <style> tags, and hot reload talks over a WebSocket to the same
 * host, so development adds exactly those two and nothing else.
 */
export function devCsp(devServerUrl: string): string {
  const u = new URL(devServerUrl)
  const ws = `${u.protocol === 'https:' ? 'wss' : 'ws'}://${u.host}`
  return render({
    ...STRICT,
    'script-src': [...STRICT['script-src'], "'unsafe-inline'"],
    'style-src': [...STRICT['style-src'], "'unsafe-inline'"],
    'connect-src': [...STRICT['connect-src'], ws],
  })
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.wasm': 'application/wasm',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
}

export const contentType = (file: string): string =>
  TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream'

/**
 * The file under `root` that a URL path names, or null when it escapes root (../ in any
 * encoding), holds a NUL or names a dot-file. A path without an extension is a client-side
 * route and gets index.html.
 */
export function resolveUiFile(root: string, urlPath: string): string | null {
  let path: string
  try {
    path = decodeURIComponent(urlPath)
  } catch {
    return null
  }
  // A backslash is a separator on Windows and an ordinary character elsewhere; the built UI
  // never names a file with one, so refusing it keeps both readings out.
  if (
    path.includes('\0') ||
    path.includes('\\') ||
    path.split('/').some((p) => p.startsWith('.') && p !== '.' && p !== '..')
  )
    return null
  if (path === '/' || path === '' || extname(path) === '') path = '/index.html'
  const base = resolve(root)
  const file = resolve(join(base, path))
  const rel = relative(base, file)
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return null
  return file
}
