import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { X509Certificate } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import type { Result } from '../../../shared/errors.ts'
import type { OpcuaBrowseResult } from '../../../shared/opcua-channels.ts'
import type { AssetConfig, PlantConfig } from '../../../shared/plant.ts'
import { Q } from '../../../shared/quality.ts'
import type { LiveMessage, SampleBatch, SourceStatus } from '../../../shared/samples.ts'
import { createEngine, type RunningEngine } from '../../engine/engine.ts'
import { loadPlantConfig } from '../../engine/plant-config.ts'
import { sleep, until } from '../../mqtt/test-helpers.ts'
import { clientPkiDir, simPkiDir, trustCertificate } from '../../opcua/pki.ts'
import { startSimServer, type SimServer } from '../../opcua/sim-server.ts'
import { demoPlantPath } from '../../paths.ts'
import { openSecrets } from '../../secrets/index.ts'

/*
 * The OPC UA source against `vigil opcua-sim`'s server (node-opcua, on a free port), inside
 * the real engine: pipeline, store and alarms. The simulated pump runs at 10 samples/s so
 * every wait is short.
 */

const demo = loadPlantConfig(demoPlantPath())
const pump = demo.assets.find((a) => a.id === 'P-101')!
const simPlant: PlantConfig = {
  ...demo,
  assets: [{ ...pump, source: { ...pump.source, rateHz: 10 } as AssetConfig['source'] }],
}

let open: { engine?: RunningEngine; sims: SimServer[]; dirs: string[] } = { sims: [], dirs: [] }
afterEach(async () => {
  await open.engine?.stop()
  for (const s of open.sims) await s.stop()
  for (const d of open.dirs) rmSync(d, { recursive: true, force: true })
  open = { sims: [], dirs: [] }
})

const tempDir = (name: string) => {
  const d = mkdtempSync(join(tmpdir(), `vigil-opcua-${name}-`))
  open.dirs.push(d)
  return d
}

async function sim(dataDir: string, extra: Partial<Parameters<typeof startSimServer>[0]> = {}) {
  const s = await startSimServer({ dataDir, plant: simPlant, ...extra })
  open.sims.push(s)
  return s
}

/** Vigil on a plant whose pump is read from the simulator over OPC UA; every live message is kept. */
async function vigil(dataDir: string, source: Record<string, unknown>) {
  const plant: PlantConfig = {
    name: 'OPC UA test plant',
    assets: [
      {
        ...pump,
        models: [],
        source: {
          kind: 'opcua',
          samplingIntervalMs: 100,
          statusEveryMs: 300,
          keepaliveMs: 1000,
          reconnect: { minMs: 200, maxMs: 1000 },
          ...source,
        } as AssetConfig['source'],
      },
    ],
  }
  const engine = await createEngine({
    config: plant,
    dbPath: join(dataDir, 'vigil.db'),
    userDataDir: dataDir,
  })
  open.engine = engine
  const batches: SampleBatch[] = []
  const statuses: SourceStatus[] = []
  engine.subscribe((m: LiveMessage) => {
    if (m.topic === 'samples') batches.push(m.batch)
    if (m.topic === 'status' && m.status.kind === 'opcua') statuses.push(m.status)
  })
  const rows = () => batches.reduce((n, b) => n + b.t.length, 0)
  return { engine, batches, statuses, rows }
}

const tag = (id: string) => pump.tags.findIndex((t) => t.id === id)
const value = <T>(r: Result<unknown>): T => {
  if (!r.ok) throw new Error(r.error.message)
  return r.value as T
}

/** What a person does once, out of band: trust the simulator's certificate in Vigil's PKI. */
async function trustSim(dataDir: string) {
  const own = join(simPkiDir(dataDir), 'own', 'certs')
  const pem = readdirSync(own).find((f) => f.endsWith('.pem'))!
  await trustCertificate(clientPkiDir(dataDir), new X509Certificate(readFileSync(join(own, pem))).raw)
}

describe('OPC UA source', () => {
  it('reads the simulated pump under Sign with a user whose password is a secret, OPC UA status as quality', async () => {
    const dir = tempDir('quality')
    const password = 'pump-house-7'
    const server = await sim(dir, { users: [{ username: 'vigil', password }], allowAnonymous: false })
    await trustSim(dir)
    openSecrets(dir).set('opcua/sim', password)
    const v = await vigil(dir, {
      endpoint: server.endpoint,
      securityMode: 'Sign',
      user: { username: 'vigil', passwordSecret: 'opcua/sim' },
      nodes: server.assets[0]!.nodes,
    })
    await until(() => v.rows() >= 10, 20_000, 'ten rows')
    server.setStatus('P-101', 'Motor_RPM', 'UncertainSensorNotAccurate')
    server.setStatus('P-101', 'Vibration_mm_s', 'BadSensorFailure')
    const rpm = tag('Motor_RPM')
    const vib = tag('Vibration_mm_s')
    const bearing = tag('Bearing_Temperature_C')
    const flagged = () =>
      v.batches.some((b) =>
        b.quality![rpm]!.some((q, i) => q & Q.UNCERTAIN && b.values[vib]![i]! !== b.values[vib]![i]!),
      )
    await until(flagged, 10_000, 'an uncertain speed beside a bad vibration')
    const b = v.batches.find((x) => x.quality![rpm]!.some((q) => q & Q.UNCERTAIN))!
    const i = b.quality![rpm]!.findIndex((q) => (q & Q.UNCERTAIN) !== 0)
    // Uncertain keeps its value, flagged; Bad carries no value and is MISSING; the rest is good.
    expect(b.values[rpm]![i]).toBeGreaterThan(2000)
    expect(b.quality![vib]![i]! & Q.MISSING).toBe(Q.MISSING)
    expect(b.quality![bearing]![i]).toBe(Q.GOOD)
    expect(b.values[bearing]![i]).toBeGreaterThan(20)

    await until(
      () => v.statuses.some((s) => s.state === 'running' && (s.samplesPerS ?? 0) > 5),
      5000,
      'samples/s',
    )
    const health = value<{ sources: SourceStatus[] }>(await v.engine.dispatch('system.health', {}))
    const st = health.sources.find((s) => s.assetId === 'P-101')!
    expect(st).toMatchObject({ kind: 'opcua', state: 'running' })
    expect(st.lastSampleAt).toBeGreaterThan(Date.now() - 5000)
    expect(v.statuses.some((s) => /Sign, Basic256Sha256|Sign, Aes/.test(s.message ?? ''))).toBe(true)
    // The flags reach the history too.
    await v.engine.settle()
    const h = value<{ raw: boolean; quality: Uint8Array[] }>(
      await v.engine.dispatch('history.range', {
        assetId: 'P-101',
        tags: ['Motor_RPM'],
        from: Date.now() - 60_000,
        to: Date.now() + 1000,
        maxPoints: 20_000,
      }),
    )
    expect(h.raw).toBe(true)
    expect(h.quality[0]!.some((q) => q & Q.UNCERTAIN)).toBe(true)
  }, 60_000)

  it('marks the gap when the server restarts mid-subscription, then streams again without a restart', async () => {
    const dir = tempDir('restart')
    const first = await sim(dir)
    const v = await vigil(dir, {
      endpoint: first.endpoint,
      securityMode: 'None',
      nodes: first.assets[0]!.nodes,
    })
    await until(() => v.rows() >= 10, 20_000, 'ten rows')
    const port = first.port
    await first.stop()
    open.sims = []
    await until(() => v.statuses.some((s) => s.state === 'stale'), 10_000, 'the source to go stale')
    const lastBefore = Math.max(...v.batches.map((b) => b.t[b.t.length - 1]!))
    const stale = v.statuses.find((s) => s.state === 'stale')!
    expect(stale.message).toMatch(/opc\.tcp:\/\/localhost:\d+: .*retrying in/)
    const alarms = value<unknown[]>(await v.engine.dispatch('alarms.list', { assetId: 'P-101' }))
    expect(JSON.stringify(alarms)).toContain('P-101 data source stale')
    await sleep(3000) // 30 samples the simulator makes while no server serves them

    await sim(dir, { port })
    const before = v.batches.length
    await until(
      () => v.batches.slice(before).reduce((n, b) => n + b.t.length, 0) >= 10,
      20_000,
      'rows after the restart',
    )
    await until(() => v.statuses.at(-1)?.state === 'running', 5000, 'running again')
    // Backoff: each failed attempt waits twice as long as the one before, up to reconnect.maxMs
    // (status is also refreshed between attempts, repeating the last wait).
    const waits = v.statuses
      .map((s) => /retrying in ([\d.]+) s/.exec(s.state === 'stale' ? (s.message ?? '') : '')?.[1])
      .filter((w) => w !== undefined)
      .map(Number)
    // How many attempts fit in the outage depends on how long each failed connect takes on the
    // machine, so the distinct waits are checked as a prefix of the doubling, capped at 1 s.
    const distinct = waits.filter((w, i) => w !== waits[i - 1])
    expect(distinct.length).toBeGreaterThanOrEqual(3)
    expect(distinct).toEqual([0.2, 0.4, 0.8, 1].slice(0, distinct.length))
    const after = v.batches.slice(before)
    const t = after.flatMap((b) => Array.from(b.t))
    const gap = after.flatMap((b) =>
      Array.from(b.t, (ti, i) => ({ ti, missing: b.quality!.every((q) => q[i]! & Q.MISSING) })),
    )
    // One gap mark: an all-MISSING row where the first lost sample was due (about 100 ms after
    // the last one kept). A restarted server may also send its first scan with a Bad status
    // (no data yet), which is rightly MISSING too: that row sits at the restart, not in the gap.
    const marks = gap.filter((g) => g.missing && g.ti < lastBefore + 1000)
    expect(marks.length).toBe(1)
    expect(gap.filter((g) => g.missing).length).toBeLessThanOrEqual(2)
    expect(marks[0]!.ti).toBeGreaterThan(lastBefore)
    expect(marks[0]!.ti).toBeLessThan(lastBefore + 500)
    expect(t.filter((x) => x > marks[0]!.ti).length).toBeGreaterThanOrEqual(9)
  }, 60_000)

  it('asks the server for deadbands: a change smaller than one is not sent, the tag holds its value', async () => {
    const dir = tempDir('deadband')
    const server = await sim(dir)
    const nodes: Record<string, unknown> = { ...server.assets[0]!.nodes }
    nodes['ns=1;s=P-101.Motor_RPM'] = { tag: 'Motor_RPM', deadband: { type: 'absolute', value: 1000 } }
    // 60% of the flow's EURange (0..3000 L/min): far more than its noise.
    nodes['ns=1;s=P-101.Flow_Rate_L_min'] = {
      tag: 'Flow_Rate_L_min',
      deadband: { type: 'percent', value: 60 },
    }
    const v = await vigil(dir, { endpoint: server.endpoint, securityMode: 'None', nodes })
    await until(() => v.rows() >= 15, 20_000, 'fifteen rows')
    // Only values the server sent: a row gathered before a node's first notification holds
    // that tag as NaN (no value yet), which is not a second value. Seen on a loaded CI machine.
    const column = (id: string) =>
      v.batches.flatMap((b) => Array.from(b.values[tag(id)]!).filter((x) => !Number.isNaN(x)))
    expect(new Set(column('Motor_RPM')).size).toBe(1)
    expect(new Set(column('Flow_Rate_L_min')).size).toBe(1)
    expect(new Set(column('Bearing_Temperature_C')).size).toBeGreaterThan(10)
  }, 60_000)

  it('chooses SignAndEncrypt by itself when the server offers it', async () => {
    const dir = tempDir('default-security')
    const server = await sim(dir)
    await trustSim(dir)
    // The simulator offers None, Sign and SignAndEncrypt; no securityMode nor securityPolicy here: 'auto' decides.
    const v = await vigil(dir, { endpoint: server.endpoint, nodes: server.assets[0]!.nodes })
    await until(() => v.rows() >= 5, 20_000, 'rows under the chosen security')
    const up = v.statuses.find((s) => /connected to/.test(s.message ?? ''))
    expect(up?.message).toMatch(
      /\(SignAndEncrypt, (Basic256Sha256|Aes256_Sha256_RsaPss|Aes128_Sha256_RsaOaep)\)/,
    )
  }, 60_000)

  it('refuses an untrusted server certificate under SignAndEncrypt until it is trusted, then reads', async () => {
    const dir = tempDir('trust')
    const server = await sim(dir)
    const v = await vigil(dir, {
      endpoint: server.endpoint,
      securityMode: 'SignAndEncrypt',
      nodes: server.assets[0]!.nodes,
    })
    await until(() => v.statuses.some((s) => s.state === 'failed'), 15_000, 'the refusal')
    const failed = v.statuses.find((s) => s.state === 'failed')!
    const thumbprint = /certificate ([0-9a-f]{40})/.exec(failed.message ?? '')?.[1]
    expect(thumbprint).toBeDefined()
    expect(failed.message).toContain(`vigil opcua-trust ${thumbprint} --endpoint ${server.endpoint}`)
    const browsed = value<OpcuaBrowseResult>(
      await v.engine.dispatch('opcua.browse', { endpoint: server.endpoint }),
    )
    expect(browsed).toMatchObject({ status: 'untrusted', certificate: { thumbprint } })
    await sleep(1500)
    expect(v.rows()).toBe(0)

    value(await v.engine.dispatch('opcua.trust', { endpoint: server.endpoint, thumbprint: thumbprint! }))
    await until(() => v.rows() >= 5, 15_000, 'rows once trusted')
    expect(v.statuses.some((s) => /\(SignAndEncrypt, /.test(s.message ?? ''))).toBe(true)
    const tree = value<OpcuaBrowseResult>(
      await v.engine.dispatch('opcua.browse', { endpoint: server.endpoint, nodeId: 'ns=1;s=P-101' }),
    )
    expect(tree.status).toBe('ok')
    if (tree.status === 'ok') expect(tree.children.map((c) => c.nodeId)).toContain('ns=1;s=P-101.Motor_RPM')
  }, 60_000)
})
