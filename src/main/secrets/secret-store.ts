import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { VigilError } from '../../shared/errors.ts'
import type { SecretCipher } from './cipher.ts'

/** "mqtt/plant-broker", "opcua.line-2", "api_key": what plant files and settings refer to. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9_./-]{0,99}$/
const MAX_VALUE = 64 * 1024

interface SecretsFile {
  version: 1
  scheme: string
  /** name -> base64 of the sealed value. */
  secrets: Record<string, string>
}

/**
 * Credentials (OPC UA and MQTT passwords, API keys) sealed at rest in one JSON file beside the
 * plant's other user data. Values are opened only when asked for and never kept, printed or
 * put into an error message: an error names the secret and the file, never the value.
 */
export class SecretStore {
  readonly file: string
  private readonly cipher: SecretCipher
  private data: SecretsFile

  constructor(file: string, cipher: SecretCipher) {
    this.file = file
    this.cipher = cipher
    this.data = existsSync(file) ? this.read() : { version: 1, scheme: cipher.scheme, secrets: {} }
  }

  /** How the file's values are sealed: the cipher's scheme. */
  get scheme(): string {
    return this.cipher.scheme
  }

  names(): string[] {
    return Object.keys(this.data.secrets).sort()
  }

  has(name: string): boolean {
    return Object.hasOwn(this.data.secrets, name)
  }

  set(name: string, value: string): void {
    checkName(name)
    if (typeof value !== 'string' || value.length === 0 || value.length > MAX_VALUE)
      throw new VigilError('bad-request', `secret "${name}": the value must be 1 to ${MAX_VALUE} characters`)
    const sealed = this.cipher.seal(Buffer.from(value, 'utf8'), name)
    this.data.secrets[name] = sealed.toString('base64')
    this.write()
  }

  /** The secret's value; throws naming the secret when it is missing or will not open. */
  get(name: string): string {
    checkName(name)
    if (!this.has(name))
      throw new VigilError(
        'not-found',
        `secret "${name}" is not in ${this.file} (add it with \`vigil secret set ${name}\`)`,
      )
    try {
      return this.cipher.open(Buffer.from(this.data.secrets[name]!, 'base64'), name).toString('utf8')
    } catch (e) {
      throw new VigilError(
        'config.invalid',
        `secret "${name}" in ${this.file} cannot be read: ${(e as Error).message}`,
      )
    }
  }

  delete(name: string): boolean {
    if (!this.has(name)) return false
    delete this.data.secrets[name]
    this.write()
    return true
  }

  private read(): SecretsFile {
    let raw: unknown
    try {
      raw = JSON.parse(readFileSync(this.file, 'utf8'))
    } catch (e) {
      throw new VigilError(
        'config.invalid',
        `${this.file}: not a Vigil secrets file (${(e as Error).message})`,
      )
    }
    const f = raw as Partial<SecretsFile>
    if (
      f?.version !== 1 ||
      typeof f.scheme !== 'string' ||
      typeof f.secrets !== 'object' ||
      f.secrets === null
    )
      throw new VigilError('config.invalid', `${this.file}: not a Vigil secrets file (version 1)`)
    if (f.scheme !== this.cipher.scheme)
      throw new VigilError(
        'config.invalid',
        `${this.file}: sealed with ${f.scheme}, but this Vigil opens ${this.cipher.scheme} (the desktop app and \`vigil serve\` keep separate secrets)`,
      )
    return { version: 1, scheme: f.scheme, secrets: { ...f.secrets } }
  }

  /** Whole-file replace: a crash mid-write leaves the old file, never half a new one. */
  private write(): void {
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 })
    const tmp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
    writeFileSync(tmp, `${JSON.stringify(this.data, null, 2)}\n`, { mode: 0o600 })
    renameSync(tmp, this.file)
  }
}

function checkName(name: string): void {
  if (typeof name !== 'string' || !NAME.test(name))
    throw new VigilError(
      'bad-request',
      `secret name "${String(name).slice(0, 100)}" must start with a letter or digit and hold only letters, digits, _ . / - (at most 100)`,
    )
}
