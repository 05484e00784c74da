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

export { CSP, devCsp } from '../ui-assets.ts'

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
