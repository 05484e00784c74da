import { EventEmitter } from 'node:events'
import type { App, Session } from 'electron'
import { describe, expect, it } from 'vitest'
import { hardenContents, hardenSession } from './harden.ts'
import { APP_ORIGIN, CSP, devCsp } from './security.ts'

/*
 * Electron cannot run here, so the app, a page's webContents and the session are stand-ins
 * that record what harden.ts registers; the test then plays the events Electron would send.
 */

type Handler = (...args: never[]) => unknown

function fakeContents() {
  const contents = Object.assign(new EventEmitter(), {
    openHandler: null as Handler | null,
    setWindowOpenHandler(h: Handler) {
      contents.openHandler = h
    },
  })
  return contents
}

/** Emits `event` on the page and says whether a handler called preventDefault. */
function prevented(contents: EventEmitter, event: string, ...args: unknown[]): boolean {
  let stopped = false
  contents.emit(event, { preventDefault: () => (stopped = true) }, ...args)
  return stopped
}

function fakeSession() {
  const got: Record<string, Handler> = {}
  const ses = {
    setPermissionRequestHandler: (h: Handler) => (got.request = h),
    setPermissionCheckHandler: (h: Handler) => (got.check = h),
    setDevicePermissionHandler: (h: Handler) => (got.device = h),
    webRequest: { onHeadersReceived: (h: Handler) => (got.headers = h) },
  }
  /** The response headers the session would give this URL's response. */
  const headersFor = (url: string, responseHeaders: Record<string, string[]> = {}) => {
    let out: { responseHeaders?: Record<string, string[]> } | undefined
    ;(got.headers as unknown as (d: object, cb: (r: typeof out) => void) => void)(
      { url, responseHeaders },
      (r) => (out = r),
    )
    return out
  }
  return { ses: ses as unknown as Session, got, headersFor }
}

describe('every page the app creates', () => {
  const app = new EventEmitter()
  hardenContents(app as unknown as App)
  const page = fakeContents()
  app.emit('web-contents-created', {}, page)

  it('cannot navigate, be redirected or attach a webview', () => {
    expect(prevented(page, 'will-navigate', 'https://example.com/')).toBe(true)
    expect(prevented(page, 'will-navigate', `${APP_ORIGIN}/other`)).toBe(true)
    expect(prevented(page, 'will-redirect', 'https://example.com/')).toBe(true)
    expect(prevented(page, 'will-attach-webview', {}, {})).toBe(true)
  })

  it('cannot open a new window, whatever the URL', () => {
    const open = page.openHandler as unknown as (d: { url: string }) => unknown
    expect(open({ url: 'https://example.com/' })).toEqual({ action: 'deny' })
    expect(open({ url: `${APP_ORIGIN}/index.html` })).toEqual({ action: 'deny' })
  })
})

describe('the session', () => {
  it('denies every permission request, check and device', () => {
    const { ses, got } = fakeSession()
    hardenSession(ses, undefined)
    let answer: boolean | undefined
    ;(got.request as unknown as (...a: unknown[]) => void)({}, 'media', (ok: boolean) => (answer = ok))
    expect(answer).toBe(false)
    expect((got.check as unknown as () => boolean)()).toBe(false)
    expect((got.device as unknown as () => boolean)()).toBe(false)
  })

  it("puts the strict CSP on our pages in place of any the response carried, and leaves others' alone", () => {
    const { ses, headersFor } = fakeSession()
    hardenSession(ses, undefined)
    const ours = headersFor(`${APP_ORIGIN}/index.html`, { 'content-security-policy': ['default-src *'] })
    expect(ours?.responseHeaders).toEqual({ 'Content-Security-Policy': [CSP] })
    expect(headersFor('https://example.com/')).toEqual({})
  })

  it('in development gives the dev server its own policy, and only that origin', () => {
    const dev = 'http://localhost:5173/'
    const { ses, headersFor } = fakeSession()
    hardenSession(ses, dev)
    expect(headersFor('http://localhost:5173/src/main.tsx')?.responseHeaders).toEqual({
      'Content-Security-Policy': [devCsp(dev)],
    })
    expect(headersFor('http://localhost:5174/')).toEqual({})
  })
})
