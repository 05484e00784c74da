import { createHash, randomBytes } from 'node:crypto'
import { statSync } from 'node:fs'
import { VigilError } from '../../shared/errors.ts'
import { openSecrets, type SecretCipher, type SecretStore } from '../secrets/index.ts'

/** Secret names are `ingest/<device>`; the sealed value is the key and what it may do. */
const PREFIX = 'ingest/'
const DEVICE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/
export const DEFAULT_RATE_PER_S = 10

/** What a key lets its device do; the key itself is shown once, when it is made. */
export interface IngestKeyInfo {
  device: string
  /** The one asset the device may write. */
  asset: string
  /** Requests per second, with bursts of twice as many. */
  ratePerS: number
  createdAt: number
}

interface Sealed extends IngestKeyInfo {
  key: string
}

const digest = (key: string) => createHash('sha256').update(key).digest('base64url')

/**
 * API keys of the devices that push readings (POST /api/ingest), one per device, kept sealed
 * in the secret store (src/main/secrets) like every other credential. A request's key is
 * found by its SHA-256, so no key is compared character by character; the table is reread
 * when the secrets file changes, so `vigil ingest-key add` takes effect without a restart.
 */
export class IngestKeys {
  private readonly dir: string
  private readonly cipher: SecretCipher | undefined
  private byDigest = new Map<string, IngestKeyInfo>()
  private seenMtime = -1
  private checkedAt = -Infinity

  constructor(dir: string, cipher?: SecretCipher) {
    this.dir = dir
    this.cipher = cipher
  }

  private store(): SecretStore {
    return openSecrets(this.dir, this.cipher)
  }

  add(device: string, asset: string, ratePerS = DEFAULT_RATE_PER_S): { key: string; info: IngestKeyInfo } {
    if (!DEVICE.test(device))
      throw new VigilError(
        'bad-request',
        `device "${device.slice(0, 80)}" must start with a letter or digit and hold only letters, digits, _ . - (at most 64)`,
      )
    if (!asset) throw new VigilError('bad-request', `device ${device}: --asset names the asset it writes`)
    if (!(ratePerS > 0 && ratePerS <= 10_000))
      throw new VigilError(
        'bad-request',
        `device ${device}: rate ${ratePerS} must be in (0, 10000] requests/s`,
      )
    const store = this.store()
    if (store.has(PREFIX + device))
      throw new VigilError(
        'bad-request',
        `device ${device} has a key already; delete it first to make a new one`,
      )
    const key = `vgk_${randomBytes(32).toString('base64url')}`
    const info: IngestKeyInfo = { device, asset, ratePerS, createdAt: Date.now() }
    store.set(PREFIX + device, JSON.stringify({ ...info, key } satisfies Sealed))
    this.checkedAt = -Infinity
    this.seenMtime = -1
    return { key, info }
  }

  list(): IngestKeyInfo[] {
    return [...this.load().values()].sort((a, b) => a.device.localeCompare(b.device))
  }

  delete(device: string): boolean {
    const done = this.store().delete(PREFIX + device)
    this.checkedAt = -Infinity
    this.seenMtime = -1
    return done
  }

  /** The device a presented key belongs to, or null. */
  lookup(key: string): IngestKeyInfo | null {
    return this.load().get(digest(key)) ?? null
  }

  /** Rereads the sealed keys when the secrets file changed, checking at most once a second. */
  private load(): Map<string, IngestKeyInfo> {
    const now = Date.now()
    if (now - this.checkedAt < 1000) return this.byDigest
    this.checkedAt = now
    const store = this.store()
    let mtime = 0
    try {
      mtime = statSync(store.file).mtimeMs
    } catch {
      // No secrets file yet: no keys.
    }
    if (mtime === this.seenMtime) return this.byDigest
    const next = new Map<string, IngestKeyInfo>()
    for (const name of store.names()) {
      if (!name.startsWith(PREFIX)) continue
      const { key, ...info } = JSON.parse(store.get(name)) as Sealed
      next.set(digest(key), info)
    }
    this.byDigest = next
    this.seenMtime = mtime
    return next
  }
}
