import { mkdirSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'

/** The same folder Electron's app.getPath('userData') gives for the app named Vigil. */
export function userDataDir(): string {
  const home = homedir()
  if (process.platform === 'win32')
    return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Vigil')
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'Vigil')
  return join(process.env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Vigil')
}

export function defaultDbPath(): string {
  const dir = userDataDir()
  mkdirSync(dir, { recursive: true })
  return join(dir, 'vigil.db')
}
