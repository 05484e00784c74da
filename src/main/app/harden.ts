import type { App, Session } from 'electron'
import { APP_ORIGIN, CSP, devCsp } from './security.ts'

/*
 * Session- and app-wide rules that no page, ours or not, can opt out of: no permission
 * prompts, no navigation, no new windows, no webviews, and the CSP header on our pages.
 */

export function hardenSession(ses: Session, devServerUrl: string | undefined): void {
  // A control-room display needs no camera, notifications, geolocation or USB: deny all.
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  ses.setPermissionCheckHandler(() => false)
  ses.setDevicePermissionHandler(() => false)

  // The vigil:// handler already sends the CSP; this also covers the dev server's pages.
  const devOrigin = devServerUrl ? new URL(devServerUrl).origin : null
  const devPolicy = devServerUrl ? devCsp(devServerUrl) : null
  ses.webRequest.onHeadersReceived((details, callback) => {
    const policy = details.url.startsWith(`${APP_ORIGIN}/`)
      ? CSP
      : devOrigin && devPolicy && new URL(details.url).origin === devOrigin
        ? devPolicy
        : null
    if (policy === null) return callback({})
    const headers = { ...details.responseHeaders }
    for (const k of Object.keys(headers)) if (k.toLowerCase() === 'content-security-policy') delete headers[k]
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [policy] } })
  })
}

export function hardenContents(app: App): void {
  app.on('web-contents-created', (_e, contents) => {
    // The app is one page; routing happens in-page, so any real navigation is unwanted.
    contents.on('will-navigate', (ev) => ev.preventDefault())
    contents.on('will-redirect', (ev) => ev.preventDefault())
    contents.on('will-attach-webview', (ev) => ev.preventDefault())
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  })
}
