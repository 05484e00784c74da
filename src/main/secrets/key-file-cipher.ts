import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { closeSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { VigilError } from '../../shared/errors.ts'
import type { SecretCipher } from './cipher.ts'

export const KEY_FILE = 'secret.key'
const IV = 12
const TAG = 16

/**
 * AES-256-GCM under a random 256-bit key kept in `dir`/secret.key, created on first use with
 * permissions 0600 (owner only). The file's name goes into each value's authenticated data.
 * A key file that others may read is refused rather than used, as ssh does with its keys;
 * on Windows the user profile's ACL guards it and mode bits are not checked.
 */
export function keyFileCipher(dir: string): SecretCipher {
  const file = join(dir, KEY_FILE)
  let key: Buffer | null = null
  const getKey = () => (key ??= loadOrCreateKey(dir, file))
  return {
    scheme: 'aes-256-gcm',
    seal(plain, name) {
      const iv = randomBytes(IV)
      const c = createCipheriv('aes-256-gcm', getKey(), iv)
      c.setAAD(Buffer.from(name))
      const body = Buffer.concat([c.update(plain), c.final()])
      return Buffer.concat([iv, c.getAuthTag(), body])
    },
    open(sealed, name) {
      if (sealed.length < IV + TAG) throw new Error('too short to be a sealed value')
      const d = createDecipheriv('aes-256-gcm', getKey(), sealed.subarray(0, IV))
      d.setAAD(Buffer.from(name))
      d.setAuthTag(sealed.subarray(IV, IV + TAG))
      try {
        return Buffer.concat([d.update(sealed.subarray(IV + TAG)), d.final()])
      } catch {
        throw new Error(`it does not open with ${file} (another key, or the file was edited)`)
      }
    },
  }
}

function loadOrCreateKey(dir: string, file: string): Buffer {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  try {
    // 'wx': create only if absent, so two processes starting at once cannot each write a key.
    const fd = openSync(file, 'wx', 0o600)
    try {
      const key = randomBytes(32)
      writeSync(fd, `${key.toString('base64')}\n`)
      return key
    } finally {
      closeSync(fd)
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
  }
  const mode = statSync(file).mode & 0o777
  if (process.platform !== 'win32' && (mode & 0o077) !== 0)
    throw new VigilError(
      'config.invalid',
      `${file}: other users may read this key (mode ${mode.toString(8).padStart(4, '0')}); run \`chmod 600 ${file}\``,
    )
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')
  if (key.length !== 32)
    throw new VigilError('config.invalid', `${file}: not a Vigil secret key (expected 32 bytes in base64)`)
  return key
}
