import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { electronBinary, hasDisplay, needsBuild, OUTPUTS } from './start.mjs'

const dirs: string[] = []
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })))

/** A checkout in a temp folder; `at` sets a file's mtime in seconds, so no test waits on the clock. */
function checkout() {
  const root = mkdtempSync(join(tmpdir(), 'vigil-start-'))
  dirs.push(root)
  const put = (rel: string, at: number, body = '') => {
    const p = join(root, rel)
    mkdirSync(dirname(p), { recursive: true })
    writeFileSync(p, body)
    utimesSync(p, at, at)
  }
  return { root, put }
}

describe('npm start rebuilds only when it must', () => {
  it('builds when a bundle is missing', () => {
    const { root, put } = checkout()
    put('src/main/app/main.ts', 100)
    put('package.json', 100)
    put(OUTPUTS[0]!, 200)
    expect(needsBuild(root)).toBe(true)
  })

  it('skips the build when every bundle is newer than every source', () => {
    const { root, put } = checkout()
    put('src/main/app/main.ts', 100)
    put('electron.vite.config.ts', 100)
    put('package.json', 100)
    for (const o of OUTPUTS) put(o, 200)
    expect(needsBuild(root)).toBe(false)
  })

  it('builds again after a source or the build config changes, but not after a test changes', () => {
    const { root, put } = checkout()
    put('package.json', 100)
    for (const o of OUTPUTS) put(o, 200)
    put('src/renderer/features/alarms/AlarmsView.test.tsx', 300)
    expect(needsBuild(root)).toBe(false)
    put('src/renderer/features/alarms/AlarmsView.tsx', 300)
    expect(needsBuild(root)).toBe(true)
    put('src/renderer/features/alarms/AlarmsView.tsx', 100)
    put('electron.vite.config.ts', 300)
    expect(needsBuild(root)).toBe(true)
  })
})

describe("finding Electron's binary without triggering its download", () => {
  it('reports none when electron was installed without its binary', () => {
    const { root, put } = checkout()
    put('node_modules/electron/index.js', 100)
    expect(electronBinary(root)).toBeNull()
    put('node_modules/electron/path.txt', 100, 'electron')
    expect(electronBinary(root)).toBeNull()
  })

  it('finds the executable that path.txt names under dist/', () => {
    const { root, put } = checkout()
    put('node_modules/electron/path.txt', 100, 'Electron.app/Contents/MacOS/Electron')
    put('node_modules/electron/dist/Electron.app/Contents/MacOS/Electron', 100)
    expect(electronBinary(root)).toBe(
      join(root, 'node_modules/electron/dist/Electron.app/Contents/MacOS/Electron'),
    )
  })
})

describe('a display to open a window on', () => {
  it('exists on Linux only with X or Wayland, and always on Windows and macOS', () => {
    expect(hasDisplay({}, 'linux')).toBe(false)
    expect(hasDisplay({ DISPLAY: ':0' }, 'linux')).toBe(true)
    expect(hasDisplay({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux')).toBe(true)
    expect(hasDisplay({}, 'win32')).toBe(true)
    expect(hasDisplay({}, 'darwin')).toBe(true)
  })
})
