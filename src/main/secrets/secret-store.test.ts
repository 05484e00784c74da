import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { KEY_FILE, keyFileCipher, openSecrets, SECRETS_FILE } from './index.ts'

const PASSWORD = 'Tr0ub4dor&3-plant-broker'
let dir = ''
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-secrets-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

/** Everything written to the terminal while `fn` runs. */
function output(fn: () => void): string {
  const seen: string[] = []
  const grab = (...a: unknown[]) => void seen.push(a.map(String).join(' '))
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation((c) => (grab(c), true)),
    vi.spyOn(process.stderr, 'write').mockImplementation((c) => (grab(c), true)),
    ...(['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
      vi.spyOn(console, m).mockImplementation(grab),
    ),
  ]
  try {
    fn()
  } finally {
    for (const s of spies) s.mockRestore()
  }
  return seen.join('\n')
}

describe('secrets in headless mode', () => {
  it('keeps a password sealed: not in the secrets file, the key file or anything printed', () => {
    const said = output(() => {
      const s = openSecrets(dir)
      s.set('mqtt/plant-broker', PASSWORD)
      expect(openSecrets(dir).get('mqtt/plant-broker')).toBe(PASSWORD)
      expect(() => s.get('opcua/line-2')).toThrow(/secret "opcua\/line-2" is not in .*secrets\.json/)
    })
    const forms = [PASSWORD, Buffer.from(PASSWORD).toString('base64'), Buffer.from(PASSWORD).toString('hex')]
    for (const f of readdirSync(dir)) {
      const text = readFileSync(join(dir, f), 'latin1')
      for (const form of forms) expect(text, f).not.toContain(form)
    }
    for (const form of forms) expect(said).not.toContain(form)
    expect(JSON.parse(readFileSync(join(dir, SECRETS_FILE), 'utf8'))).toMatchObject({
      version: 1,
      scheme: 'aes-256-gcm',
    })
  })

  it.skipIf(process.platform === 'win32')(
    'creates the key file and the secrets file readable by their owner only',
    () => {
      openSecrets(dir).set('api_key', 'k-123456')
      expect(statSync(join(dir, KEY_FILE)).mode & 0o777).toBe(0o600)
      expect(statSync(join(dir, SECRETS_FILE)).mode & 0o777).toBe(0o600)
    },
  )

  it.skipIf(process.platform === 'win32')(
    'refuses a key file that other users may read, saying how to fix it',
    () => {
      openSecrets(dir).set('api_key', 'k-123456')
      chmodSync(join(dir, KEY_FILE), 0o644)
      expect(() => openSecrets(dir).get('api_key')).toThrow(
        /secret\.key: other users may read this key \(mode 0644\); run `chmod 600/,
      )
    },
  )

  it('will not open a value moved under another name, edited, or sealed with another key', () => {
    const s = openSecrets(dir)
    s.set('opcua/line-1', 'first-password')
    s.set('opcua/line-2', 'second-password')
    const file = join(dir, SECRETS_FILE)
    const f = JSON.parse(readFileSync(file, 'utf8'))
    f.secrets['opcua/line-2'] = f.secrets['opcua/line-1']
    writeFileSync(file, JSON.stringify(f))
    const said = output(() =>
      expect(() => openSecrets(dir).get('opcua/line-2')).toThrow(
        /secret "opcua\/line-2" in .* cannot be read/,
      ),
    )
    expect(said).toBe('')
    const other = mkdtempSync(join(tmpdir(), 'vigil-secrets-other-'))
    try {
      expect(() => openSecrets(dir, keyFileCipher(other)).get('opcua/line-1')).toThrow(/does not open with/)
    } finally {
      rmSync(other, { recursive: true, force: true })
    }
  })

  it('refuses a bad name, an empty value and a file that is not a secrets file, naming each', () => {
    const s = openSecrets(dir)
    expect(() => s.set('../etc', 'x')).toThrow(/secret name "\.\.\/etc" must start/)
    expect(() => s.set('ok', '')).toThrow(/secret "ok": the value must be/)
    writeFileSync(join(dir, SECRETS_FILE), '{"version": 2}')
    expect(() => openSecrets(dir)).toThrow(/secrets\.json: not a Vigil secrets file/)
  })

  it('lists names and deletes a secret', () => {
    const s = openSecrets(dir)
    s.set('b', 'two-two')
    s.set('a', 'one-one')
    expect(s.names()).toEqual(['a', 'b'])
    expect(s.delete('a')).toBe(true)
    expect(s.delete('a')).toBe(false)
    expect(openSecrets(dir).names()).toEqual(['b'])
  })
})
