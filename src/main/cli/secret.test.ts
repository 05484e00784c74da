import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openSecrets } from '../secrets/index.ts'

const dir = mkdtempSync(join(tmpdir(), 'vigil-secret-cli-'))
const cli = new URL('./vigil.ts', import.meta.url).pathname
const run = (args: string[], input = '') =>
  spawnSync(process.execPath, [cli, 'secret', ...args, '--dir', dir], {
    input,
    encoding: 'utf8',
    timeout: 20_000,
  })
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('vigil secret', () => {
  it('stores a password read from stdin, sealed, and never prints it', () => {
    const value = 'opc-ua-Passw0rd!-line-2'
    const set = run(['set', 'opcua/line-2'], `${value}\n`)
    expect(set.status, set.stderr).toBe(0)
    const list = run(['list'])
    expect(list.stdout.trim()).toBe('opcua/line-2')
    const said = [set, list].map((r) => r.stdout + r.stderr).join('\n')
    expect(said).toContain('stored secret "opcua/line-2"')
    expect(said).not.toContain(value)
    for (const f of readdirSync(dir)) {
      expect(readFileSync(join(dir, f), 'latin1'), f).not.toContain(value)
      if (process.platform !== 'win32') expect(statSync(join(dir, f)).mode & 0o777, f).toBe(0o600)
    }
    expect(openSecrets(dir).get('opcua/line-2')).toBe(value)
  })

  it('says what is wrong with a bad name or a missing secret, and exits non-zero', () => {
    const bad = run(['set', '../x'], 'v\n')
    expect(bad.status).toBe(1)
    expect(bad.stderr).toMatch(/vigil secret: secret name "\.\.\/x" must start/)
    const gone = run(['delete', 'nope'])
    expect(gone.status).toBe(1)
    expect(gone.stderr).toMatch(/secret "nope" is not in/)
  })
})
