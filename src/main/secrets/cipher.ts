/**
 * How secrets are sealed at rest. Headless: AES-256-GCM under a key file (key-file-cipher.ts).
 * Desktop: the OS keychain through Electron's safeStorage (src/main/app/safe-storage-cipher.ts,
 * the only place that may import electron). A cipher binds each sealed value to its secret's
 * name, so a value copied under another name in the file does not open.
 */
export interface SecretCipher {
  /** Written into the secrets file, so a file is never opened with another cipher than its own. */
  readonly scheme: string
  seal(plain: Buffer, name: string): Buffer
  /** Throws when the value was tampered with, sealed under another name, or with another key. */
  open(sealed: Buffer, name: string): Buffer
}
