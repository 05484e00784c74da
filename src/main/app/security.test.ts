import { describe, expect, it } from 'vitest'
import { APP_SCHEME_PRIVILEGES, APP_START_URL, CSP, devCsp, isOurFrame, webPreferences } from './security.ts'

describe('the window', () => {
  const prefs = webPreferences('/app/out/preload/index.cjs', { devTools: false })

  it('isolates the page: context isolation, sandbox, no Node anywhere, web security on', () => {
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
    })
  })

  it('loads the CommonJS preload it is given and sets no remote-module or blink-feature switch', () => {
    expect(prefs.preload).toBe('/app/out/preload/index.cjs')
    const keys = Object.keys(prefs)
    expect(keys.filter((k) => /remote|blinkfeatures/i.test(k))).toEqual([])
  })

  it('offers DevTools only when asked', () => {
    expect(prefs.devTools).toBe(false)
    expect(webPreferences('p', { devTools: true }).devTools).toBe(true)
  })
})

describe('the vigil:// scheme', () => {
  it('is a standard secure origin that neither skips the CSP nor lets other origins read it', () => {
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({ standard: true, secure: true })
    const p: Record<string, boolean> = APP_SCHEME_PRIVILEGES
    expect([p['bypassCSP'], p['corsEnabled'], p['allowServiceWorkers']]).toEqual([
      undefined,
      undefined,
      undefined,
    ])
  })
})

describe('the content security policy', () => {
  it('allows only our own scripts, styles, connections and images, no inline code, and no plugins, base, framing or forms', () => {
    expect(CSP).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; " +
        "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
    )
  })

  it('in development adds only the inline refresh preamble, injected styles and the hot-reload socket', () => {
    const directives = (p: string) => new Map(p.split('; ').map((d) => [d.split(' ')[0], d] as const))
    const strict = directives(CSP)
    const dev = directives(devCsp('http://localhost:5173/'))
    expect([...dev.keys()]).toEqual([...strict.keys()])
    for (const [k, v] of dev) {
      if (k === 'script-src') expect(v).toBe("script-src 'self' 'unsafe-inline'")
      else if (k === 'style-src') expect(v).toBe("style-src 'self' 'unsafe-inline'")
      else if (k === 'connect-src') expect(v).toBe("connect-src 'self' ws://localhost:5173")
      else expect(v).toBe(strict.get(k))
    }
  })
})

describe('isOurFrame', () => {
  it('accepts our page, also with a route in the hash or query', () => {
    expect(isOurFrame(APP_START_URL, APP_START_URL)).toBe(true)
    expect(isOurFrame(`${APP_START_URL}#/alarms`, APP_START_URL)).toBe(true)
    expect(isOurFrame('vigil://app/history?asset=P-101', APP_START_URL)).toBe(true)
    expect(isOurFrame('http://localhost:5173/#/overview', 'http://localhost:5173/')).toBe(true)
  })

  it('refuses other hosts, schemes, ports and look-alikes', () => {
    expect(isOurFrame('vigil://evil/index.html', APP_START_URL)).toBe(false)
    expect(isOurFrame('vigil://app.evil/index.html', APP_START_URL)).toBe(false)
    expect(isOurFrame('https://app/index.html', APP_START_URL)).toBe(false)
    expect(isOurFrame('http://localhost:5174/', 'http://localhost:5173/')).toBe(false)
    expect(isOurFrame('vigil://user@app/index.html', APP_START_URL)).toBe(false)
    expect(isOurFrame('about:blank', APP_START_URL)).toBe(false)
    expect(isOurFrame('', APP_START_URL)).toBe(false)
  })

  it('on file: URLs, where every file shares an origin, requires the same file', () => {
    const ours = 'file:///opt/vigil/out/renderer/index.html'
    expect(isOurFrame(`${ours}#/alarms`, ours)).toBe(true)
    expect(isOurFrame('file:///home/op/Downloads/evil.html', ours)).toBe(false)
  })
})
