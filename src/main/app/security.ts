import type { Privileges, WebPreferences } from 'electron'

/*
 * The window's security settings as plain data, so a test under Node can hold them: the
 * Electron security checklist (electronjs.org/docs/latest/tutorial/security), with every
 * choice written out rather than left to a default that a future Electron might change.
 */

/** The renderer is served from this privileged scheme, never from file:// (checklist item 18). */
export const APP_SCHEME = 'vigil'
export const APP_HOST = 'app'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
export const APP_START_URL = `${APP_ORIGIN}/index.html`
/**
 * standard + secure make vigil://app a real secure origin (module scripts, fetch of its own
 * files, storage); stream lets <audio> alarm tones seek; codeCache keeps V8's cache. Not
 * bypassCSP, not corsEnabled (which would let other origins read our files), no service workers.
 */
export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  stream: true,
  codeCache: true,
} as const satisfies Privileges

/**
 * Only the window's preload touches Electron; the page gets window.vigil and nothing else.
 * The remote module no longer exists in Electron (removed in 14), so there is nothing to
 * switch off for it; the test asserts that no option tries.
 */
export function webPreferences(preload: string, opts: { devTools: boolean }): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    sandbox: true,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    plugins: false,
    enableWebSQL: false,
    safeDialogs: true,
    spellcheck: false,
    devTools: opts.devTools,
  }
}

const STRICT = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  // uPlot and React set element styles inline.
  'style-src': ["'self'", "'unsafe-inline'"],
  'connect-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'frame-ancestors': ["'none'"],
} as const

const render = (p: Record<string, readonly string[]>): string =>
  Object.entries(p)
    .map(([k, v]) => `${k} ${v.join(' ')}`)
    .join('; ')

/** The policy for the built app's pages. */
export const CSP = render(STRICT)

/**
 * The policy while the renderer comes from the electron-vite dev server: Vite's React
 * refresh preamble is an inline script and hot reload talks over a WebSocket to the same
 * host, so development adds exactly those two and nothing else.
 */
export function devCsp(devServerUrl: string): string {
  const u = new URL(devServerUrl)
  const ws = `${u.protocol === 'https:' ? 'wss' : 'ws'}://${u.host}`
  return render({
    ...STRICT,
    'script-src': [...STRICT['script-src'], "'unsafe-inline'"],
    'connect-src': [...STRICT['connect-src'], ws],
  })
}

/**
 * Whether a frame's URL is the page we loaded: same scheme and host, and for file: URLs
 * (where every file shares one origin) the same path. Query and hash may differ, so the
 * renderer can route with them.
 */
export function isOurFrame(url: string, expected: string): boolean {
  let a: URL, b: URL
  try {
    a = new URL(url)
    b = new URL(expected)
  } catch {
    return false
  }
  if (a.protocol !== b.protocol || a.host !== b.host || a.username || a.password) return false
  return a.protocol !== 'file:' || a.pathname === b.pathname
}
