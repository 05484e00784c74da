import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { BUNDLE } from './launch.ts'

/*
 * electron-builder cannot run here (it needs Electron's binary), so this holds what it would
 * be told: its own schema check, and the settings the security of the shipped app rests on.
 */

const config = parse(readFileSync('electron-builder.yml', 'utf8'))
const require = createRequire(import.meta.url)
const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration(c: unknown, log: { isEnabled: boolean; add(): void }): Promise<void>
}

describe('electron-builder.yml', () => {
  it("passes electron-builder's own schema check", async () => {
    await expect(validateConfiguration(config, { isEnabled: false, add() {} })).resolves.toBeUndefined()
  })

  it('flips the fuses that stop the binary from being used as a Node runtime or loading another app', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    })
  })

  it('packs the app in an asar with the native modules and models unpacked', () => {
    expect(config.asar).toBe(true)
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining([
        '**/node_modules/better-sqlite3/**',
        '**/node_modules/onnxruntime-node/**',
        'models/**',
      ]),
    )
  })

  it('ships the built app, models and resources, and copies models and resources beside app.asar', () => {
    expect(config.files).toEqual(
      expect.arrayContaining(['out/**', 'package.json', 'models/**', 'resources/**']),
    )
    const extra = config.extraResources.map((r: { from: string; to: string }) => `${r.from}->${r.to}`)
    expect(extra).toEqual(['models->models', 'resources->resources'])
  })

  it('builds an AppImage and a deb, an NSIS installer and a dmg, for the Vigil product', () => {
    expect(config.productName).toBe('Vigil')
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z]+)+$/)
    expect(config.linux.target).toEqual(['AppImage', 'deb'])
    expect(config.win.target).toEqual(['nsis'])
    expect(config.mac.target).toEqual(['dmg'])
  })

  it('starts the bundles electron-vite emits: out/main/index.js and a CommonJS out/preload/index.cjs', async () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'))
    // The config as data: the shape electron.vite.config.ts is written in, not every shape Vite allows.
    type Bundle = { input: Record<string, string>; output: { format?: string; entryFileNames: string } }
    type Side = { build: { outDir: string; rollupOptions: Bundle } }
    const vite = (await import('../../../electron.vite.config.ts')).default as unknown as Record<
      'main' | 'preload' | 'renderer',
      Side
    >
    const main = vite.main.build.rollupOptions
    expect(main.input.index).toBe(resolve('src/main/app/main.ts'))
    expect(join('out/main', main.output.entryFileNames.replace('[name]', 'index'))).toBe(pkg.main)
    const preload = vite.preload.build.rollupOptions
    expect(preload.input.index).toBe(resolve('src/preload/index.ts'))
    expect(preload.output.format).toBe('cjs')
    const emitted = join('out/preload', preload.output.entryFileNames.replace('[name]', 'index'))
    expect(emitted).toBe(join('out/main', BUNDLE.preload))
    expect(join(vite.renderer.build.outDir)).toBe(resolve('out/main', BUNDLE.renderer))
  })
})
