import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, sep } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { appProtocolHandler, resolveAsset } from './app-protocol.ts'
import { CSP } from './security.ts'

const dir = mkdtempSync(join(tmpdir(), 'vigil-protocol-'))
const root = join(dir, 'renderer')
mkdirSync(join(root, 'assets'), { recursive: true })
writeFileSync(join(root, 'index.html'), '<!doctype html><title>Vigil</title>')
writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)')
writeFileSync(join(dir, 'secret.txt'), 'not for the page')
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const serve = appProtocolHandler(root)
const get = (url: string, method = 'GET') => serve(new Request(url, { method }))

describe('vigil://app/ serves the built renderer', () => {
  it('serves index.html with the strict CSP header and its type', async () => {
    const res = await get('vigil://app/index.html')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-security-policy')).toBe(CSP)
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await res.text()).toContain('<title>Vigil</title>')
  })

  it('serves a script as JavaScript, so module scripts load', async () => {
    const res = await get('vigil://app/assets/index-abc.js')
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(await res.text()).toBe('console.log(1)')
  })

  it('answers a client-side route with index.html, so a reload on a view works', async () => {
    expect(await (await get('vigil://app/alarms')).text()).toContain('<title>Vigil</title>')
    expect(await (await get('vigil://app/')).text()).toContain('<title>Vigil</title>')
  })

  it('refuses paths that climb out of the renderer folder, however encoded', async () => {
    for (const p of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
    ]) {
      const file = resolveAsset(root, `vigil://app${p}`)
      if (file !== null) expect(file.startsWith(root + sep), `${p} -> ${file}`).toBe(true)
      expect((await get(`vigil://app${p}`)).status, p).toBe(404)
    }
  })

  it('refuses other hosts, other schemes, malformed escapes and NUL bytes', () => {
    expect(resolveAsset(root, 'vigil://other/index.html')).toBeNull()
    expect(resolveAsset(root, 'file:///etc/passwd')).toBeNull()
    expect(resolveAsset(root, 'vigil://app/%E0%A4%A')).toBeNull()
    expect(resolveAsset(root, 'vigil://app/index.html%00.js')).toBeNull()
  })

  it('answers a missing file with 404 and anything but GET or HEAD with 405', async () => {
    expect((await get('vigil://app/assets/missing.js')).status).toBe(404)
    expect((await get('vigil://app/index.html', 'POST')).status).toBe(405)
    const head = await get('vigil://app/index.html', 'HEAD')
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
  })
})
