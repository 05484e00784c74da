import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { PlantConfig } from '../../shared/plant.ts'
import type { SourceStatus } from '../../shared/samples.ts'
import { createEngine } from '../engine/engine.ts'
import { startMosquitto } from '../mqtt/mosquitto.ts'
import { rawClient, sleep, until } from '../mqtt/test-helpers.ts'
import { appRoot } from '../paths.ts'
import { SECRETS_FILE } from '../secrets/index.ts'
import { desktopSecrets } from './safe-storage-cipher.ts'

/** Electron's safeStorage cannot run under Node: this stands in for the OS keychain with a reversible XOR. */
const keychain = {
  isEncryptionAvailable: () => true,
  getSelectedStorageBackend: () => 'gnome_libsecret',
  encryptString: (s: string) => Buffer.from(Buffer.from(s, 'utf8').map((x) => x ^ 0x5a)),
  decryptString: (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a)).toString('utf8'),
}
const dir = mkdtempSync(join(tmpdir(), 'vigil-desktop-secrets-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const PASSWORD = 'pump-broker-Pa55'

function filesUnder(d: string): string[] {
  return readdirSync(d).flatMap((f) => {
    const p = join(d, f)
    return statSync(p).isDirectory() ? filesUnder(p) : [p]
  })
}

describe('the desktop engine and its secrets', () => {
  it('reads an MQTT password sealed by the OS keychain through passwordSecret, and never shows it', async () => {
    const broker = await startMosquitto({ users: { vigil: PASSWORD } })
    desktopSecrets(keychain, dir).set('mqtt/plant-broker', PASSWORD)
    const asset = {
      id: 'P-101',
      name: 'pump',
      class: 'pump',
      models: [],
      tags: [{ id: 'Motor_RPM', unit: 'rpm', min: 0, max: 3600 }],
      source: {
        kind: 'mqtt',
        broker: { url: broker.url, username: 'vigil', passwordSecret: 'mqtt/plant-broker' },
        json: [{ topic: 'plant/p101', time: 'ts', fields: { Motor_RPM: 'rpm' } }],
        holdMs: 0,
      },
    }
    const engine = await createEngine({
      config: PlantConfig.parse({ name: 'desktop', assets: [asset] }),
      dbPath: join(dir, 'vigil.db'),
      userDataDir: dir,
      secrets: () => desktopSecrets(keychain, dir),
    })
    const statuses: SourceStatus[] = []
    let rows = 0
    engine.subscribe((m) => {
      if (m.topic === 'status') statuses.push(m.status)
      if (m.topic === 'samples') rows += m.batch.t.length
    })
    try {
      await until(() => statuses.some((s) => /connected/.test(s.message ?? '')), 10_000, 'the login')
      await sleep(300)
      const pub = await rawClient(broker.url, { username: 'vigil', password: PASSWORD })
      for (let i = 1; i <= 3; i++)
        await pub.publishAsync('plant/p101', JSON.stringify({ ts: Date.now() + i, rpm: 1450 + i }), {
          qos: 1,
        })
      await pub.endAsync()
      await until(() => rows === 3, 10_000, 'three rows through the secured broker')
    } finally {
      await engine.stop()
      await broker.dispose()
    }
    expect(statuses.some((s) => s.state === 'failed')).toBe(false)
    expect(JSON.parse(readFileSync(join(dir, SECRETS_FILE), 'utf8')).scheme).toBe('electron-safe-storage')
    const shown = [PASSWORD, Buffer.from(PASSWORD).toString('base64'), Buffer.from(PASSWORD).toString('hex')]
    for (const f of filesUnder(dir)) {
      const text = readFileSync(f).toString('latin1')
      for (const s of shown) expect(text.includes(s), `${f} holds the password`).toBe(false)
    }
    for (const s of statuses) expect(s.message ?? '').not.toContain(PASSWORD)
  }, 60_000)

  it('stores a secret given over the contract in the keychain-sealed file, answers names only, and audits no value', async () => {
    const d = join(dir, 'contract')
    mkdirSync(d)
    const engine = await createEngine({
      config: PlantConfig.parse({
        name: 'one pushed asset',
        assets: [
          {
            id: 'PUMP-7',
            name: 'Pump 7',
            class: 'pump',
            source: { kind: 'http' },
            tags: [{ id: 'Motor_RPM', unit: 'rpm', min: 0, max: 4000 }],
          },
        ],
      }),
      dbPath: join(d, 'vigil.db'),
      userDataDir: d,
      secrets: () => desktopSecrets(keychain, d),
    })
    try {
      const set = await engine.dispatch('secrets.set', { name: 'opcua/line-2', secret: PASSWORD })
      expect(set).toEqual({ ok: true, value: { name: 'opcua/line-2' } })
      const bad = await engine.dispatch('secrets.set', { name: '../x', secret: PASSWORD })
      expect(bad).toMatchObject({ ok: false, error: { code: 'bad-request' } })
      expect(bad.ok ? '' : bad.error.message).toMatch(/secrets.set: name: must be a secret name/)
      expect(await engine.dispatch('secrets.list', {})).toEqual({
        ok: true,
        value: { names: ['opcua/line-2'], scheme: 'electron-safe-storage' },
      })
      expect(desktopSecrets(keychain, d).get('opcua/line-2')).toBe(PASSWORD)
      await engine.settle()
      const audit = await engine.dispatch('audit.list', {})
      expect(JSON.stringify(audit)).toContain('secrets.set')
      expect(JSON.stringify(audit)).not.toContain(PASSWORD)
      expect(await engine.dispatch('secrets.delete', { name: 'opcua/line-2' })).toEqual({
        ok: true,
        value: { deleted: true },
      })
    } finally {
      await engine.stop()
    }
    for (const f of filesUnder(d))
      expect(readFileSync(f).toString('latin1').includes(PASSWORD), f).toBe(false)
  })

  it('is what the Electron shell hands the engine (main.ts cannot run without the Electron binary)', () => {
    const main = readFileSync(join(appRoot(), 'src/main/app/main.ts'), 'utf8')
    const call = /createEngine\(\{[\s\S]*?\}\)\n/.exec(main)?.[0] ?? ''
    expect(call).toMatch(/secrets: \(\) => desktopSecrets\(safeStorage, userData\)/)
    expect(call).toMatch(/userDataDir: userData/)
  })
})
