import type { SafeStorage } from 'electron'
import { VigilError } from '../../shared/errors.ts'
import type { SecretCipher } from '../secrets/cipher.ts'
import { keyFileCipher } from '../secrets/key-file-cipher.ts'
import { openSecrets } from '../secrets/index.ts'
import type { SecretStore } from '../secrets/secret-store.ts'

type Safe = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> & {
  getSelectedStorageBackend?: () => string
}

/**
 * Secrets sealed by the OS (Keychain on macOS, DPAPI on Windows, the Secret Service or KWallet
 * on Linux) through Electron's safeStorage. The name travels inside the sealed text, so a value
 * copied under another name does not open.
 */
export function safeStorageCipher(safe: Safe): SecretCipher {
  return {
    scheme: 'electron-safe-storage',
    seal(plain, name) {
      if (!safe.isEncryptionAvailable())
        throw new VigilError('unavailable', 'the operating system offers no secret storage to this app')
      return safe.encryptString(`${name}\0${plain.toString('utf8')}`)
    },
    open(sealed, name) {
      const text = safe.decryptString(sealed)
      const cut = text.indexOf('\0')
      if (cut < 0 || text.slice(0, cut) !== name) throw new Error('it was sealed under another name')
      return Buffer.from(text.slice(cut + 1), 'utf8')
    },
  }
}

/**
 * The desktop app's cipher: safeStorage when the OS really encrypts. On Linux without a
 * keyring Electron falls back to 'basic_text', a key written in Chromium's source, which is
 * no protection; the headless key file (0600, in the user-data folder) is used instead.
 */
export function desktopCipher(safe: Safe, userDataDir: string): SecretCipher {
  const backend = safe.getSelectedStorageBackend?.()
  if (!safe.isEncryptionAvailable() || backend === 'basic_text') return keyFileCipher(userDataDir)
  return safeStorageCipher(safe)
}

/**
 * The desktop engine's secrets (OPC UA and MQTT passwords): the user-data folder's secrets
 * file, sealed by the OS keychain where there is one. main.ts hands it to the engine, which
 * would otherwise open the headless key-file store.
 */
export function desktopSecrets(safe: Safe, userDataDir: string): SecretStore {
  return openSecrets(userDataDir, desktopCipher(safe, userDataDir))
}
