import { join } from 'node:path'
import type { SecretCipher } from './cipher.ts'
import { keyFileCipher } from './key-file-cipher.ts'
import { SecretStore } from './secret-store.ts'

export type { SecretCipher } from './cipher.ts'
export { keyFileCipher, KEY_FILE } from './key-file-cipher.ts'
export { SecretStore } from './secret-store.ts'

export const SECRETS_FILE = 'secrets.json'

/**
 * The secrets of the Vigil whose user data is in `dir`: headless mode passes nothing and gets
 * the key file; the desktop app passes its safeStorage cipher.
 */
export function openSecrets(dir: string, cipher: SecretCipher = keyFileCipher(dir)): SecretStore {
  return new SecretStore(join(dir, SECRETS_FILE), cipher)
}
