import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openSecrets, SECRETS_FILE } from '../secrets/index.ts'
import { desktopCipher } from './safe-storage-cipher.ts'

/** Electron's safeStorage cannot run under Node: this stands in for it with a reversible XOR. */
function fakeSafeStorage(backend: string, available = true) {
  const flip = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a))
  return {
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString: (s: string) => flip(Buffer.from(s, 'utf8')),
    decryptString: (b: Buffer) => flip(b).toString('utf8'),
  }
}
const dir = mkdtempSync(join(tmpdir(), 'vigil-safe-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('desktop secrets', () => {
  it('seal with the OS keychain and do not open under another name', () => {
    const d = join(dir, 'keychain')
    const s = openSecrets(d, desktopCipher(fakeSafeStorage('gnome_libsecret'), d))
    s.set('opcua/line-1', 'hunter22')
    expect(JSON.parse(readFileSync(join(d, SECRETS_FILE), 'utf8')).scheme).toBe('electron-safe-storage')
    expect(s.get('opcua/line-1')).toBe('hunter22')
    const file = join(d, SECRETS_FILE)
    const f = JSON.parse(readFileSync(file, 'utf8'))
    expect(f.secrets['opcua/line-1']).not.toContain(Buffer.from('hunter22').toString('base64'))
    f.secrets['opcua/line-2'] = f.secrets['opcua/line-1']
    writeFileSync(file, JSON.stringify(f))
    const again = openSecrets(d, desktopCipher(fakeSafeStorage('gnome_libsecret'), d))
    expect(again.get('opcua/line-1')).toBe('hunter22')
    expect(() => again.get('opcua/line-2')).toThrow(
      /"opcua\/line-2" .* cannot be read: it was sealed under another name/,
    )
  })

  it("use the 0600 key file where Linux has no keyring and Electron would fall back to 'basic_text'", () => {
    const d = join(dir, 'basic')
    const s = openSecrets(d, desktopCipher(fakeSafeStorage('basic_text'), d))
    s.set('api_key', 'k-0000001')
    expect(JSON.parse(readFileSync(join(d, SECRETS_FILE), 'utf8')).scheme).toBe('aes-256-gcm')
  })

  it('refuse to open a keychain-sealed file with the key file, saying why', () => {
    const d = join(dir, 'keychain')
    expect(() => openSecrets(d)).toThrow(
      /sealed with electron-safe-storage, but this Vigil opens aes-256-gcm/,
    )
  })
})
